"""The transactional outbox: events are written in the same MongoDB transaction as the
aggregate that recorded them, and a relay publishes them to Kafka afterwards. Accepting a
request and publishing its event can therefore never disagree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import mongoengine
from mongoengine import DateTimeField, DictField, Document, IntField, StringField
from pymongo.client_session import ClientSession

from adapters.correlation import outbox_headers
from domain.shared.clock import utc
from domain.shared.events import DomainEvent

PENDING = "pending"
SENT = "sent"


class OutboxDocument(Document):
    id = StringField(primary_key=True)  # the event id: the consumers' de-duplication key
    topic = StringField(required=True)
    key = StringField(required=True)
    name = StringField(required=True)
    payload = DictField()
    headers = DictField()
    occurred_at = DateTimeField(required=True)
    status = StringField(default=PENDING)
    attempts = IntField(default=0)
    next_attempt_at = DateTimeField()
    sent_at = DateTimeField()
    last_error = StringField()
    # The token of the relay's claim that holds the event's lease now; dropped when it is marked sent
    # or rescheduled, so a pending event without one is waiting out a retry delay.
    claim = StringField()

    meta = {
        "collection": "outbox",
        "indexes": [
            # The relay's query: pending events due now, oldest first.
            {"fields": ["status", "next_attempt_at", "occurred_at"]},
            # Sent events are kept a week for inspection, then removed by the server.
            {"fields": ["sent_at"], "expireAfterSeconds": 7 * 24 * 3600},
        ],
        "auto_create_index": False,
    }


def outbox_entry(event: DomainEvent, headers: dict[str, str] | None = None) -> dict:
    return {"_id": event.event_id, "topic": event.topic, "key": event.key, "name": event.name,
            "payload": event.payload, "headers": headers or {}, "occurred_at": event.occurred_at,
            "status": PENDING, "attempts": 0, "next_attempt_at": event.occurred_at}


def append_events(events: list[DomainEvent], session: ClientSession | None) -> None:
    """Write the events to the outbox, inside the caller's transaction, with the id of the request
    (or consumed message) that caused them, so their consumers log under the same id."""
    if events:
        headers = outbox_headers()
        OutboxDocument._get_collection().insert_many([outbox_entry(e, headers) for e in events], session=session)


@contextmanager
def transaction() -> Iterator[ClientSession]:
    """A multi-document transaction on the process's connection (replica set or Atlas; the local
    secantus server supports them too). Commits on success, aborts on any exception."""
    client = mongoengine.get_connection()
    with client.start_session() as session, session.start_transaction():
        yield session


def pending_count_and_oldest(now: datetime) -> tuple[int, float | None]:
    """For readiness and metrics: how many events wait, and the age in seconds of the oldest."""
    collection = OutboxDocument._get_collection()
    count = collection.count_documents({"status": PENDING})
    oldest = collection.find_one({"status": PENDING}, {"occurred_at": 1}, sort=[("occurred_at", 1)])
    if not oldest:
        return count, None
    return count, (now - utc(oldest["occurred_at"])).total_seconds()
