"""The Kafka publisher starts a new producer after a round in which nothing was acknowledged: an
idempotent producer that outlived a broker's lost state without a fatal error kept failing every
event (a `make verify` Kafka fault run timed out waiting for the outbox to drain)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from adapters.outbound.kafka import publisher as publisher_module
from application.shared.outbox_relay import OutboxMessage


class FakeProducer:
    made: list["FakeProducer"] = []
    fail = True

    def __init__(self, config: dict) -> None:
        self.config = config
        self.pending: list = []
        FakeProducer.made.append(self)

    def produce(self, topic, key, value, headers, on_delivery) -> None:
        self.pending.append(on_delivery)

    def poll(self, _timeout: float) -> int:
        return 0

    def flush(self, _timeout: float) -> int:
        for report in self.pending:
            report("KafkaError{code=_MSG_TIMED_OUT}" if FakeProducer.fail else None, None)
        self.pending.clear()
        return 0


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(event_id=f"e{n}", topic="support.requests", key="k", name="support.request_submitted",
                         occurred_at=datetime(2026, 12, 4, tzinfo=timezone.utc), payload={}, attempts=0, headers={})


@pytest.fixture
def publisher(monkeypatch):
    FakeProducer.made, FakeProducer.fail = [], True
    monkeypatch.setattr(publisher_module, "Producer", FakeProducer)
    return publisher_module.KafkaEventPublisher("127.0.0.1:1", topics={})


def test_a_round_without_any_acknowledgement_gets_a_new_producer_next_round(publisher):
    assert publisher.publish([_message(1), _message(2)]) == {"e1": "KafkaError{code=_MSG_TIMED_OUT}",
                                                             "e2": "KafkaError{code=_MSG_TIMED_OUT}"}
    FakeProducer.fail = False
    assert publisher.publish([_message(3)]) == {"e3": None}
    assert len(FakeProducer.made) == 2


def test_a_round_with_an_acknowledgement_keeps_its_producer(publisher):
    FakeProducer.fail = False
    publisher.publish([_message(1)])
    publisher.publish([_message(2)])
    assert len(FakeProducer.made) == 1
