"""The in-memory outbox: the in-memory repositories append their aggregates' events to it (as the
MongoDB ones do in their transaction), and it is the fake of the relay's OutboxStore port."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from adapters.correlation import outbox_headers
from application.shared.outbox_relay import OutboxMessage
from domain.shared.events import DomainEvent


@dataclass
class OutboxRecord:
    message: OutboxMessage
    status: str = "pending"
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    leased: bool = False


class InMemoryOutbox:
    def __init__(self) -> None:
        self.records: dict[str, OutboxRecord] = {}
        self._lock = threading.Lock()

    def append(self, events: list[DomainEvent]) -> None:
        headers = outbox_headers()
        with self._lock:
            for event in events:
                message = OutboxMessage(event_id=event.event_id, topic=event.topic, key=event.key, name=event.name,
                                        payload=dict(event.payload), occurred_at=event.occurred_at,
                                        headers=dict(headers))
                self.records[event.event_id] = OutboxRecord(message, next_attempt_at=event.occurred_at)

    def messages(self, *, topic: str | None = None, status: str | None = None) -> list[OutboxMessage]:
        """For tests: what is in the outbox, oldest first."""
        return [r.message for r in sorted(self.records.values(), key=lambda r: r.message.occurred_at)
                if (topic is None or r.message.topic == topic) and (status is None or r.status == status)]

    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        with self._lock:
            due = sorted((r for r in self.records.values()
                          if r.status == "pending" and r.next_attempt_at is not None and r.next_attempt_at <= now),
                         key=lambda r: (r.next_attempt_at, r.message.occurred_at))[:limit]
            for record in due:
                record.next_attempt_at, record.leased = now + lease, True
            return [r.message for r in due]

    def mark_sent(self, event_ids: Sequence[str], now: datetime) -> None:
        with self._lock:
            for event_id in event_ids:
                record = self.records[event_id]
                if record.status == "pending":
                    record.status, record.sent_at, record.last_error, record.leased = "sent", now, None, False

    def requeue_sent_since(self, since: datetime, now: datetime) -> int:
        with self._lock:
            again = [r for r in self.records.values()
                     if r.status == "sent" and r.sent_at is not None and r.sent_at >= since]
            for record in again:
                record.message = replace(record.message, attempts=0)
                record.status, record.sent_at, record.next_attempt_at = "pending", None, now
            return len(again)

    def schedule_retry(self, event_id: str, attempts: int, next_attempt_at: datetime, error: str) -> None:
        with self._lock:
            record = self.records[event_id]
            if record.status == "pending":
                record.message = replace(record.message, attempts=attempts)
                record.next_attempt_at, record.last_error, record.leased = next_attempt_at, error, False

    def bring_forward(self, now: datetime) -> int:
        with self._lock:
            delayed = [r for r in self.records.values() if r.status == "pending" and not r.leased
                       and r.next_attempt_at is not None and r.next_attempt_at > now]
            for record in delayed:
                record.next_attempt_at = now
            return len(delayed)

    def backlog(self, now: datetime) -> tuple[int, float | None]:
        pending = [r.message.occurred_at for r in self.records.values() if r.status == "pending"]
        if not pending:
            return 0, None
        return len(pending), (now - min(pending)).total_seconds()
