"""The Kafka publisher of the outbox relay against the local broker."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from adapters.outbound.kafka.publisher import KafkaEventPublisher
from application.shared.outbox_relay import OutboxMessage
from devtools.processes import free_port
from tests.integration.kafka_reading import read_from_beginning

pytestmark = pytest.mark.integration


def message(n: int) -> OutboxMessage:
    return OutboxMessage(event_id=f"e{n}", topic="logical.topic", key="user-1", name="thing.happened",
                         payload={"n": n}, occurred_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
                         headers={"request_id": "req-1"})


def test_events_go_to_the_mapped_topic_with_their_identity_in_headers_and_each_is_reported(kafka_servers):
    topic = f"publisher.test.{time.monotonic_ns()}"
    publisher = KafkaEventPublisher(kafka_servers, topics={"logical.topic": topic}, delivery_timeout_ms=5000)
    try:
        assert publisher.publish([message(1), message(2)]) == {"e1": None, "e2": None}
    finally:
        publisher.close()

    received = read_from_beginning(kafka_servers, topic, 2, "publisher-test")
    assert sorted(json.loads(m.value())["payload"]["n"] for m in received) == [1, 2]
    first = next(m for m in received if json.loads(m.value())["event_id"] == "e1")
    assert first.key() == b"user-1"
    assert dict(first.headers()) == {"event_id": b"e1", "name": b"thing.happened", "request_id": b"req-1"}


def test_an_unreachable_broker_reports_a_failure_per_event_within_the_delivery_timeout():
    publisher = KafkaEventPublisher(f"127.0.0.1:{free_port()}", topics={}, delivery_timeout_ms=1000)
    started = time.monotonic()
    reports = publisher.publish([message(1), message(2)])
    assert set(reports) == {"e1", "e2"} and all(reports.values())
    assert time.monotonic() - started < 5
