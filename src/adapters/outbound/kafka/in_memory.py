"""The in-memory fake of the EventPublisher port: records what was published, and can play a
broker that is down (every delivery fails) or silent (no delivery report at all)."""

from __future__ import annotations

import threading

from application.shared.outbox_relay import OutboxMessage


class InMemoryEventPublisher:
    def __init__(self) -> None:
        self.published: list[OutboxMessage] = []
        self.failing_with: str | None = None
        self.silent = False
        self._lock = threading.Lock()

    def publish(self, messages: list[OutboxMessage]) -> dict[str, str | None]:
        with self._lock:
            if self.silent:
                return {}
            if self.failing_with is not None:
                return {m.event_id: self.failing_with for m in messages}
            self.published.extend(messages)
            return {m.event_id: None for m in messages}
