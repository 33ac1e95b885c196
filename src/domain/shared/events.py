"""Domain events, recorded on aggregates and saved with them (the outbox), never published
before the write that produced them succeeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.shared.ids import new_id


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened. ``topic`` and ``key`` tell the relay where it goes."""

    name: str
    topic: str
    key: str
    occurred_at: datetime
    payload: dict[str, Any]
    event_id: str = field(default_factory=new_id)


class RecordsEvents:
    """Mixin for aggregates: collects events until the repository saves them."""

    def _pending_events(self) -> list[DomainEvent]:
        events = self.__dict__.setdefault("_events", [])
        return events

    def record(self, event: DomainEvent) -> None:
        self._pending_events().append(event)

    def pull_events(self) -> list[DomainEvent]:
        events = list(self._pending_events())
        self._pending_events().clear()
        return events

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        return tuple(self._pending_events())
