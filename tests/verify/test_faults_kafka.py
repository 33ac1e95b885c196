"""The Kafka broker SIGKILLed and restarted while support requests stream in through the API
(API -> outbox -> relay -> Kafka -> support worker -> ticket). At the end every request has
exactly one ticket.

Tansu runs on memory storage here, so a restart is a broker that lost its disk: topics, offsets
and every event it had acknowledged are gone. Events the relay had not yet had acknowledged stay
pending in the outbox and are republished by the relay on its own. Events the dead broker had
acknowledged but the worker had not read yet are lost from Kafka while the outbox holds them as
sent; `flask outbox-replay` republishes those, and the worker's de-duplication by request id turns
any copy it already handled into a no-op. The run prints both figures: lost before the replay,
lost and doubled after it."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.inbound.cli.messaging import support_worker
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.support.mongo_documents import TicketDocument
from application.shared.outbox_relay import RelayOutbox, ReplayOutbox
from devtools.processes import free_port
from devtools.services import kafka_broker
from tests.integration.test_support_kafka import make_app, request_body, running, settings_for, sign_up, wait_until

pytestmark = pytest.mark.verify

REQUESTS = 300
USERS = 5


@pytest.fixture
def broker(tmp_path: Path):
    process = kafka_broker(free_port(), log_path=tmp_path / "kafka.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def tickets_by_request() -> dict[str, int]:
    counts: dict[str, int] = {}
    for raw in TicketDocument._get_collection().find({}, {"_id": 1}):
        counts[raw["_id"]] = counts.get(raw["_id"], 0) + 1
    return counts


def opened_events_by_ticket() -> dict[str, int]:
    """How many times each ticket was opened: a handler that acted twice would record it twice."""
    counts: dict[str, int] = {}
    for raw in OutboxDocument._get_collection().find({"name": "support.ticket_opened"}, {"payload": 1}):
        ticket_id = raw["payload"]["ticket_id"]
        counts[ticket_id] = counts.get(ticket_id, 0) + 1
    return counts


def test_the_broker_killed_and_restarted_mid_stream_loses_and_doubles_no_request(mongo_url, broker, caplog):
    caplog.set_level(logging.WARNING)
    settings = settings_for("broker-kill", mongo_url, f"127.0.0.1:{broker.port}", log_level="WARNING")
    app = make_app(settings)
    injector = app.extensions["injector"]
    users = [sign_up(app.test_client(), f"user{n}@example.com") for n in range(USERS)]

    accepted: list[str] = []
    refused: list[int] = []
    half_way = threading.Event()

    def stream() -> None:
        client = app.test_client()
        for n in range(REQUESTS):
            answer = client.post("/support/requests", json=request_body(n), headers=users[n % USERS])
            if answer.status_code == 202:
                accepted.append(answer.json["id"])
            else:
                refused.append(answer.status_code)
            if n == REQUESTS // 3:
                half_way.set()
            time.sleep(0.01)

    worker = support_worker(settings, injector)
    stream_start = injector.get(RelayOutbox).clock.now()
    with running(injector.get(RelayOutbox).run, worker.run):
        producer = threading.Thread(target=stream, daemon=True)
        producer.start()
        assert half_way.wait(60), "the stream did not reach a third"
        broker.kill()
        killed_at = time.monotonic()
        time.sleep(2)
        broker.restart()
        outage = time.monotonic() - killed_at
        producer.join(120)
        assert not producer.is_alive(), "the stream did not finish"
        wait_until(lambda: OutboxDocument._get_collection().count_documents(
            {"topic": "support.requests", "status": "pending"}) == 0, 90, "the outbox to drain")
        time.sleep(5)  # room for the worker to catch up with what the new broker holds
        lost_before_replay = len(set(accepted) - set(tickets_by_request()))
        replayed = injector.get(ReplayOutbox).execute(since=stream_start - timedelta(seconds=1))
        wait_until(lambda: set(accepted) <= set(tickets_by_request()), 90, "a ticket for every request")
        time.sleep(2)  # room for any duplicate to show up

    tickets = tickets_by_request()
    opened = opened_events_by_ticket()
    lost = sorted(set(accepted) - set(tickets))
    doubled = sorted(t for t in accepted if tickets.get(t, 0) > 1 or opened.get(t, 0) > 1)
    print(f"\n[faults/kafka] requests tried {REQUESTS}, accepted {len(accepted)}, refused {len(refused)}, "
          f"broker down {outage:.1f}s; lost before the replay {lost_before_replay}, events replayed {replayed}; "
          f"tickets {len(tickets)}, lost {len(lost)}, doubled {len(doubled)}, "
          f"deliveries handled {worker.handled} ({worker.handled - len(tickets)} redelivered, ignored)")
    assert len(accepted) == REQUESTS and not refused
    assert lost == [] and doubled == []
    assert set(tickets) == set(accepted)
