"""Support requests through the whole pipeline on a real broker (Tansu) and MongoDB (secantus):
API -> outbox -> relay -> Kafka -> support worker -> ticket -> notifications worker -> inbox.
The relay and the workers run in threads of the test, with bounded waits, and are always stopped."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confluent_kafka import Producer

from adapters.inbound.cli.messaging import notifications_worker, support_worker
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.support.mongo_documents import TicketDocument
from application.accounts.use_cases import CreateStaffAccount, CreateStaffAccountCommand
from application.shared.outbox_relay import RelayOutbox
from devtools.processes import free_port
from devtools.services import kafka_broker
from domain.shared.access import Role
from tests import conftest
from tests.integration.kafka_reading import read_from_beginning

pytestmark = pytest.mark.integration

PASSWORD = "a-long-password-1"


def settings_for(name: str, mongo_url: str, kafka_servers: str, **overrides):
    suffix = f"{name}-{time.monotonic_ns()}"
    return conftest.test_settings(
        mongodb_uri=mongo_url, mongodb_db=f"support_kafka_{name}", kafka_bootstrap_servers=kafka_servers,
        argon2_memory_kib=1024, argon2_time_cost=1,
        support_requests_topic=f"support.requests.{suffix}",
        support_requests_dlq_topic=f"support.requests.dlq.{suffix}",
        marketplace_events_topic=f"marketplace.events.{suffix}",
        marketplace_events_dlq_topic=f"marketplace.events.dlq.{suffix}",
        support_worker_group=f"support-{suffix}", notifications_worker_group=f"notifications-{suffix}",
        # Tansu's group joins take ~20 s with the default timeouts.
        kafka_session_timeout_ms=6000, kafka_heartbeat_interval_ms=500,
        kafka_delivery_timeout_ms=2000, outbox_lease_seconds=10, outbox_retry_base_ms=200, outbox_retry_max_ms=1500,
        outbox_idle_wait_ms=100, consumer_retry_backoff_ms=50, **overrides)


def make_app(settings):
    """A database of its own per test (the server lives for the session and starts empty)."""
    from bootstrap import create_app

    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def sign_up(client, email: str) -> dict[str, str]:
    client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Ana"})
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def request_body(n: int = 0) -> dict:
    # No order id: naming one needs an order of the requester's own, and this is about the pipeline.
    return {"category": "order", "subject": f"Stuck order {n}", "description": "It never started",
            "page_url": "/orders"}


@contextlib.contextmanager
def running(*loops: Callable[[threading.Event], None]) -> Iterator[None]:
    stop = threading.Event()
    threads = [threading.Thread(target=loop, args=(stop,), daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        assert not any(t.is_alive() for t in threads), "a worker did not stop"


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def pending_outbox() -> int:
    return OutboxDocument._get_collection().count_documents({"status": "pending"})


def test_a_request_travels_to_a_ticket_and_the_users_inbox(mongo_url, kafka_servers):
    settings = settings_for("journey", mongo_url, kafka_servers)
    app = make_app(settings)
    injector = app.extensions["injector"]
    client = app.test_client()
    ana = sign_up(client, "ana@example.com")
    with app.app_context():
        injector.get(CreateStaffAccount).execute(CreateStaffAccountCommand(
            email="sofia@example.com", password=PASSWORD, display_name="Sofia", role=Role.SUPPORT))
    agent = {"Authorization": "Bearer " + client.post("/auth/login", json={
        "email": "sofia@example.com", "password": PASSWORD}).json["access_token"]}

    accepted = client.post("/support/requests", json=request_body(), headers=ana)
    assert accepted.status_code == 202
    request_id, reference = accepted.json["id"], accepted.json["reference"]

    with running(injector.get(RelayOutbox).run, support_worker(settings, injector).run,
                 notifications_worker(settings, injector).run):
        wait_until(lambda: client.get(f"/support/requests/{request_id}", headers=ana).json["status"] == "open",
                   30, "the ticket to open")
        wait_until(lambda: client.get("/notifications", headers=ana).json["total"] == 1, 30, "the notification")
        [received] = client.get("/notifications", headers=ana).json["items"]
        assert reference in received["title"] and received["data"]["ticket_id"] == request_id

        assert client.post(f"/support/tickets/{request_id}/replies", json={"body": "On it"},
                           headers=agent).status_code == 201
        wait_until(lambda: client.get("/notifications", headers=ana).json["unread"] == 2, 30, "the reply's notice")

    inbox = client.get("/notifications", headers=ana).json
    assert [n["event"] for n in inbox["items"]] == ["support.ticket_replied", "support.ticket_opened"]
    assert pending_outbox() == 0
    ready = client.get("/health/ready").json["checks"]["outbox"]
    assert ready == {"up": True, "detail": "0 pending events"}


def test_with_the_broker_down_requests_are_accepted_and_none_is_lost(mongo_url, tmp_path: Path):
    port = free_port()
    broker = kafka_broker(port, log_path=tmp_path / "kafka.log")
    broker.start()
    try:
        settings = settings_for("outage", mongo_url, f"127.0.0.1:{port}")
        app = make_app(settings)
        injector = app.extensions["injector"]
        client = app.test_client()
        ana = sign_up(client, "ana@example.com")
        broker.stop()

        started = time.monotonic()
        ids = []
        for n in range(200):
            answer = client.post("/support/requests", json=request_body(n), headers=ana)
            assert answer.status_code == 202
            ids.append(answer.json["id"])
        assert time.monotonic() - started < 30, "accepting must not wait for the broker"

        with running(injector.get(RelayOutbox).run):
            wait_until(lambda: OutboxDocument._get_collection().count_documents({"attempts": {"$gte": 1}}) > 0,
                       20, "the relay to try and fail")
            assert pending_outbox() == 200
            ready = client.get("/health/ready").json["checks"]
            assert ready["kafka"]["up"] is False and ready["outbox"]["detail"].startswith("200 pending event(s)")

            broker = kafka_broker(port, log_path=tmp_path / "kafka-restarted.log")
            broker.start()
            with running(support_worker(settings, injector).run):
                wait_until(lambda: TicketDocument._get_collection().count_documents({}) >= 200, 60,
                           "200 tickets")
                time.sleep(1)  # room for any duplicate to show up

        tickets = TicketDocument._get_collection()
        assert sorted(d["_id"] for d in tickets.find({}, {"_id": 1})) == sorted(ids)
        assert OutboxDocument._get_collection().count_documents(
            {"topic": "support.requests", "status": "pending"}) == 0
    finally:
        broker.stop()


def test_a_poison_message_goes_to_the_dead_letter_topic_and_the_next_one_is_handled(mongo_url, kafka_servers):
    settings = settings_for("poison", mongo_url, kafka_servers)
    app = make_app(settings)
    injector = app.extensions["injector"]
    client = app.test_client()
    ana = sign_up(client, "ana@example.com")

    producer = Producer({"bootstrap.servers": kafka_servers})
    # Same key as Ana's requests: same partition, so the good message really comes after it.
    ana_id = client.get("/me", headers=ana).json["id"]
    producer.produce(settings.support_requests_topic, key=ana_id.encode(), value=b"{not json")
    assert producer.flush(10) == 0
    request_id = client.post("/support/requests", json=request_body(), headers=ana).json["id"]

    worker = support_worker(settings, injector)
    with running(injector.get(RelayOutbox).run, worker.run):
        wait_until(lambda: client.get(f"/support/requests/{request_id}", headers=ana).json["status"] == "open",
                   30, "the ticket after the poison message")
    assert worker.dead_lettered == 1

    [parked] = read_from_beginning(kafka_servers, settings.support_requests_dlq_topic, 1, "dlq-reader")
    assert parked.value() == b"{not json"
    assert dict(parked.headers())["dlq.error"].startswith(b"PoisonMessage")
