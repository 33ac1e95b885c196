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
        self.silent_for: set[str] = set()  # these events get no delivery report, the others do
        self._lock = threading.Lock()

    def publish(self, messages: list[OutboxMessage]) -> dict[str, str | None]:
        with self._lock:
            if self.silent:
                return {}
            if self.failing_with is not None:
                return {m.event_id: self.failing_with for m in messages}
            delivered = [m for m in messages if m.event_id not in self.silent_for]
            self.published.extend(delivered)
            return {m.event_id: None for m in delivered}


class InMemoryConsumerLag:
    """The fake of the ConsumerLag port: tests set the lags, or a broker that does not answer."""

    def __init__(self) -> None:
        self.lags: dict[tuple[str, str], int] = {}
        self.failing_with: Exception | None = None

    def read(self) -> dict[tuple[str, str], int]:
        if self.failing_with is not None:
            raise self.failing_with
        return dict(self.lags)
