"""Replaying the outbox, the same checks on the in-memory fake and on MongoDB (secantus), so the
fake the unit tests use cannot drift from the store the relay runs on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.mongo.connection import MongoConnection
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.mongo.outbox import OutboxDocument, append_events
from adapters.outbound.mongo.outbox_store import MongoOutboxStore
from domain.shared.events import DomainEvent

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "mongo"])
def store(request):
    if request.param == "memory":
        outbox = InMemoryOutbox()
        return outbox, outbox.append
    MongoConnection(request.getfixturevalue("mongo_url"), "outbox_replay_tests").ensure([OutboxDocument])
    OutboxDocument._get_collection().delete_many({})
    return MongoOutboxStore(), lambda events: append_events(events, None)


def test_only_events_sent_since_the_moment_become_due_again(store):
    outbox, append = store
    events = [DomainEvent(name="thing.happened", topic="marketplace.events", key="k", occurred_at=T0,
                          payload={"n": n}) for n in range(3)]
    append(events)
    # A second after they were due: secantus's compound-index scan misses a bound equal to the value.
    for n, message in enumerate(outbox.claim_due(T0 + timedelta(seconds=1), 10, timedelta(seconds=30))):
        outbox.mark_sent([message.event_id], T0 + timedelta(minutes=n))
    assert outbox.claim_due(T0 + timedelta(hours=1), 10, timedelta(seconds=30)) == []

    now = T0 + timedelta(hours=1)
    assert outbox.requeue_sent_since(T0 + timedelta(minutes=1), now) == 2

    due = outbox.claim_due(now + timedelta(seconds=1), 10, timedelta(seconds=30))
    assert sorted(m.payload["n"] for m in due) == [1, 2]
    assert {m.event_id for m in due} == {events[1].event_id, events[2].event_id}  # same ids: consumers de-duplicate
    assert all(m.attempts == 0 for m in due)
    assert outbox.backlog(now)[0] == 2
    assert outbox.requeue_sent_since(T0, now) == 1  # the pending ones are not sent: only the first again
