"""The accounts context's events on the marketplace events topic."""

from __future__ import annotations

from datetime import datetime

from domain.shared.events import DomainEvent

TOPIC = "marketplace.events"
ACCOUNT_DELETED = "account.deleted"


def account_deleted(user_id: str, *, deleted_at: datetime, replayed: bool) -> DomainEvent:
    # Only the id and the time: the event is kept in the outbox and on Kafka after the person is
    # gone, so it must carry nothing that identifies them beyond the opaque id.
    return DomainEvent(name=ACCOUNT_DELETED, topic=TOPIC, key=user_id, occurred_at=deleted_at,
                       payload={"user_id": user_id, "deleted_at": deleted_at.isoformat(), "replayed": replayed})
