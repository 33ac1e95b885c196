"""One request id from the HTTP request to the worker that handles what it caused, on fakes:
API (X-Request-ID) -> outbox row -> relay -> published headers -> KafkaWorker's log lines -> the
events the worker's own handler records (and so on, down the chain)."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

import pytest

from adapters.correlation import KAFKA_REQUEST_ID_HEADER, bind_request_id, current_request_id
from adapters.inbound.cli.kafka_worker import KafkaWorker, WorkerPolicy
from adapters.inbound.cli.messaging import support_event_handler
from adapters.inbound.http.logs import JsonFormatter
from adapters.outbound.kafka.publisher import encode_event
from application.shared.outbox_relay import OutboxMessage, RelayOutbox, RelayPolicy
from application.support.use_cases import OpenTicket
from domain.shared.events import DomainEvent
from domain.support.events import MARKETPLACE_EVENTS_TOPIC, SUPPORT_REQUESTS_TOPIC, TICKET_OPENED
from tests.http.helpers import signed_in

POLICY = WorkerPolicy(dead_letter_topic="dlq", max_attempts=1, retry_backoff_seconds=0.001, poll_timeout_seconds=0.01)


class PublishedMessage:
    """What a consumer receives for a message the publisher sent: its value and its headers."""

    def __init__(self, message: OutboxMessage, offset: int, headers: dict[str, str]) -> None:
        self._message, self._offset = message, offset
        self._headers = [(k, v.encode()) for k, v in headers.items()]

    def error(self):
        return None

    def value(self):
        return encode_event(self._message)

    def key(self):
        return self._message.key.encode()

    def headers(self):
        return self._headers

    def topic(self):
        return self._message.topic

    def partition(self):
        return 0

    def offset(self):
        return self._offset


class OneShotConsumer:
    def __init__(self, messages, stop: threading.Event) -> None:
        self.messages, self.stop = list(messages), stop

    def poll(self, timeout):
        if not self.messages:
            self.stop.set()
            return None
        return self.messages.pop(0)

    def commit(self, *, message, asynchronous):
        pass

    def close(self):
        pass


class NoDeadLetters:
    def produce(self, *args, **kwargs):
        raise AssertionError("nothing should be parked")

    def flush(self, timeout):
        return 0


@pytest.fixture
def json_lines():
    """The JSON log lines written while the test runs, as the worker process would print them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in lines]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def relay_everything(app, fakes) -> None:
    with app.app_context():
        relay = app.extensions["injector"].get(RelayOutbox)
        assert relay.execute() > 0


def consume(fakes, handler, *, topic: str, start: int = 0) -> KafkaWorker:
    """Hand the worker what was published on ``topic``, headers included, as Kafka would."""
    published = [m for m in fakes.publisher.published if m.topic == topic]
    # The publisher puts the event's identity next to the stored headers (as KafkaEventPublisher does).
    messages = [PublishedMessage(m, start + n, {"event_id": m.event_id, "name": m.name, **m.headers})
                for n, m in enumerate(published)]
    stop = threading.Event()
    worker = KafkaWorker("support-worker", OneShotConsumer(messages, stop), NoDeadLetters(), handler, POLICY)
    worker.run(stop)
    return worker


def test_the_request_id_goes_from_the_http_request_to_the_outbox_row_and_the_published_headers(app, client, fakes):
    headers = signed_in(client, "ana@example.com")
    answer = client.post("/support/requests", headers={**headers, "X-Request-ID": "trace-42"},
                         json={"category": "payments", "subject": "Charged twice", "description": "Two charges"})
    assert answer.status_code == 202, answer.json

    [row] = fakes.outbox.messages(topic=SUPPORT_REQUESTS_TOPIC)
    assert row.headers == {KAFKA_REQUEST_ID_HEADER: "trace-42"}
    relay_everything(app, fakes)
    [sent] = [m for m in fakes.publisher.published if m.topic == SUPPORT_REQUESTS_TOPIC]
    assert sent.headers == {KAFKA_REQUEST_ID_HEADER: "trace-42"}
    assert current_request_id() is None  # the request's id did not leak out of it


def test_the_worker_logs_under_the_message_request_id_and_passes_it_on_to_the_events_it_records(
        app, client, fakes, json_lines):
    headers = signed_in(client, "ana@example.com")
    client.post("/support/requests", headers={**headers, "X-Request-ID": "trace-43"},
                json={"category": "order", "subject": "Stuck", "description": "It never started"})
    relay_everything(app, fakes)
    with app.app_context():
        handler = support_event_handler(app.extensions["injector"].get(OpenTicket))
    worker = consume(fakes, handler, topic=SUPPORT_REQUESTS_TOPIC)

    assert worker.handled == 1
    handled = [line for line in json_lines() if line["message"].startswith("support-worker: handled")]
    assert [line["request_id"] for line in handled] == ["trace-43"]
    assert handled[0]["event_name"] == "support.request_submitted" and "event_id" in handled[0]
    # The ticket the worker opened records a notification: same id, so its consumer logs it too.
    [opened] = [m for m in fakes.outbox.messages(topic=MARKETPLACE_EVENTS_TOPIC) if m.name == TICKET_OPENED]
    assert opened.headers == {KAFKA_REQUEST_ID_HEADER: "trace-43"}
    assert current_request_id() is None


def test_a_message_without_a_request_id_is_handled_under_a_fresh_one_per_message(fakes, json_lines, clock):
    seen: list[str | None] = []
    fakes.publisher.published.extend(
        OutboxMessage(event_id=f"e{n}", topic="things", key="k", name="thing.happened", payload={},
                      occurred_at=clock.now() - timedelta(seconds=n)) for n in range(2))
    consume(fakes, lambda event: seen.append(current_request_id()), topic="things")

    assert len(seen) == 2 and all(seen) and seen[0] != seen[1]
    logged = [line["request_id"] for line in json_lines() if "handled" in line["message"]]
    assert logged == seen


def test_events_recorded_outside_any_request_carry_no_request_id_header(fakes, clock):
    fakes.outbox.append([DomainEvent(name="x", topic="t", key="k", occurred_at=clock.now(), payload={})])
    with bind_request_id("job-9"):
        fakes.outbox.append([DomainEvent(name="y", topic="t", key="k", occurred_at=clock.now(), payload={})])
    assert [m.headers for m in fakes.outbox.messages(topic="t")] == [{}, {KAFKA_REQUEST_ID_HEADER: "job-9"}]
