"""The request id on the real broker (Tansu) and MongoDB (secantus): the API's access line, the
outbox row, the Kafka message's header and the support worker's log line all carry the id the
caller sent, and so does the notification event the worker records in turn."""

from __future__ import annotations

import json
import logging

import pytest

from adapters.correlation import KAFKA_REQUEST_ID_HEADER
from adapters.inbound.cli.messaging import support_worker
from adapters.inbound.http.logs import JsonFormatter
from adapters.outbound.mongo.outbox import OutboxDocument
from application.shared.outbox_relay import RelayOutbox
from tests.integration.kafka_reading import read_from_beginning
from tests.integration.test_support_kafka import make_app, request_body, running, settings_for, sign_up, wait_until

pytestmark = pytest.mark.integration


class JsonLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


def test_the_request_id_travels_from_the_api_through_kafka_to_the_workers_log_line(mongo_url, kafka_servers):
    settings = settings_for("request_id", mongo_url, kafka_servers)
    app = make_app(settings)
    injector = app.extensions["injector"]
    client = app.test_client()
    ana = sign_up(client, "ana@example.com")
    logs = JsonLines()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(logs)
    root.setLevel(logging.INFO)
    try:
        accepted = client.post("/support/requests", json=request_body(), headers={**ana, "X-Request-ID": "trace-int-7"})
        assert accepted.status_code == 202 and accepted.headers["X-Request-ID"] == "trace-int-7"
        request_id = accepted.json["id"]
        row = OutboxDocument._get_collection().find_one({"payload.request_id": request_id})
        assert row["headers"] == {KAFKA_REQUEST_ID_HEADER: "trace-int-7"}

        with running(injector.get(RelayOutbox).run, support_worker(settings, injector).run):
            wait_until(lambda: client.get(f"/support/requests/{request_id}", headers=ana).json["status"] == "open",
                       30, "the ticket to open")
    finally:
        root.removeHandler(logs)
        root.setLevel(previous_level)

    [on_kafka] = [dict(m.headers() or []) for m in
                  read_from_beginning(kafka_servers, settings.support_requests_topic, 1, "request-id-reader")]
    assert on_kafka[KAFKA_REQUEST_ID_HEADER] == b"trace-int-7"
    access = [line for line in logs.lines if line["logger"] == "marketplace.access" and line["method"] == "POST"
              and line["path"] == "/support/requests"]
    handled = [line for line in logs.lines if line["message"].startswith("support-worker: handled")]
    assert [line["request_id"] for line in access] == ["trace-int-7"]
    assert [line["request_id"] for line in handled] == ["trace-int-7"]
    # The worker's ticket records the user's notification: it keeps the id for the next consumer.
    notice = OutboxDocument._get_collection().find_one({"topic": "marketplace.events",
                                                        "payload.ticket_id": request_id})
    assert notice["headers"] == {KAFKA_REQUEST_ID_HEADER: "trace-int-7"}
