"""The relay's side of the MongoDB outbox: claim due events with a lease, mark them sent, or
schedule a retry. Every write is conditional on the event still pending, so two relays running
at once never undo each other's work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from pymongo import WriteConcern

from adapters.outbound.mongo.outbox import PENDING, SENT, OutboxDocument, pending_count_and_oldest
from application.shared.outbox_relay import OutboxMessage, OutboxStore
from application.shared.ports import Clock
from domain.shared.clock import utc

MAX_ERROR_LENGTH = 500
# Oldest due first; the index (status, next_attempt_at, occurred_at) serves it on MongoDB.
CLAIM_ORDER = [("next_attempt_at", 1), ("occurred_at", 1)]


# The relay's own bookkeeping (leases, sent marks, retry times) is acknowledged by the primary
# alone, not journaled: losing one of these writes in a crash only publishes an event again, which
# the at-least-once contract already allows (consumers de-duplicate by event id). The events
# themselves are written with the aggregates, under the application's write concern. Waiting on a
# journal flush per relay round held the API's writes up behind it on the same server.
RELAY_WRITE_CONCERN = WriteConcern(w=1, j=False)


class MongoOutboxStore:
    def _collection(self):
        return OutboxDocument._get_collection().with_options(write_concern=RELAY_WRITE_CONCERN)

    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        due = {"status": PENDING, "next_attempt_at": {"$lte": now}}
        # Three commands per batch whatever its size: the sorted read of the candidates, one
        # conditional update that leases them under this claim's own token, and the read of what
        # this claim won. The relay shares the API's database, so per-event round trips (two per
        # event, claim and mark, before) were database work competing with requests.
        candidates = [raw["_id"] for raw in self._collection().find(due, {"_id": 1}).sort(CLAIM_ORDER).limit(limit)]
        if not candidates:
            return []
        token = uuid.uuid4().hex
        # Conditional per document: the lease moves next_attempt_at past "now", so another relay
        # that read the same candidates updates none of the ones this claim took (and skips them).
        self._collection().update_many({"_id": {"$in": candidates}, **due},
                                       {"$set": {"next_attempt_at": now + lease, "claim": token}})
        won = {raw["_id"]: raw for raw in self._collection().find({"_id": {"$in": candidates}, "claim": token})}
        return [OutboxMessage(event_id=raw["_id"], topic=raw["topic"], key=raw["key"], name=raw["name"],
                              payload=raw.get("payload") or {}, occurred_at=utc(raw["occurred_at"]),
                              headers=raw.get("headers") or {}, attempts=raw.get("attempts", 0))
                for raw in (won[event_id] for event_id in candidates if event_id in won)]

    def mark_sent(self, event_ids: Sequence[str], now: datetime) -> None:
        if event_ids:
            self._collection().update_many({"_id": {"$in": list(event_ids)}, "status": PENDING},
                                           {"$set": {"status": SENT, "sent_at": now},
                                            "$unset": {"last_error": "", "claim": ""}})

    def schedule_retry(self, event_id: str, attempts: int, next_attempt_at: datetime, error: str) -> None:
        self._collection().update_one(
            {"_id": event_id, "status": PENDING},
            {"$set": {"attempts": attempts, "next_attempt_at": next_attempt_at,
                      "last_error": error[:MAX_ERROR_LENGTH]}, "$unset": {"claim": ""}})

    def bring_forward(self, now: datetime) -> int:
        # A claim token marks an event leased to a relay right now (schedule_retry and mark_sent
        # drop it): those are left to their relay.
        result = self._collection().update_many(
            {"status": PENDING, "next_attempt_at": {"$gt": now}, "claim": {"$exists": False}},
            {"$set": {"next_attempt_at": now}})
        return result.modified_count

    def backlog(self, now: datetime) -> tuple[int, float | None]:
        return pending_count_and_oldest(now)

    def requeue_sent_since(self, since: datetime, now: datetime) -> int:
        # An operator's replay after a broker lost its data: kept as durably as the events.
        result = OutboxDocument._get_collection().update_many(
            {"status": SENT, "sent_at": {"$gte": since}},
            {"$set": {"status": PENDING, "next_attempt_at": now, "attempts": 0}, "$unset": {"sent_at": ""}})
        return result.modified_count


class OutboxBacklogReadiness:
    """Reports the backlog on /health/ready. A backlog is normal while the broker is away (the API
    keeps accepting writes); only events older than ``max_age_seconds`` make the service unready."""

    name = "outbox"

    def __init__(self, store: OutboxStore, clock: Clock, max_age_seconds: int) -> None:
        self._store = store
        self._clock = clock
        self._max_age = max_age_seconds

    def check(self) -> tuple[bool, str]:
        try:
            count, oldest = self._store.backlog(self._clock.now())
        except Exception as error:  # readiness reports, it never raises
            return False, f"unknown: {type(error).__name__}"
        if oldest is None:
            return True, "0 pending events"
        detail = f"{count} pending event(s), oldest {oldest:.0f}s old"
        if oldest > self._max_age:
            return False, f"{detail} (limit {self._max_age}s): is the outbox relay running?"
        return True, detail
