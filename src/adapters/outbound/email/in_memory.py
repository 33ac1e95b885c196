"""In-memory fakes of the e-mail ports, with state a test can read."""

from __future__ import annotations

import threading
from datetime import datetime

from domain.email.messages import OutgoingEmail


class InMemoryEmailSender:
    def __init__(self) -> None:
        self.outbox: list[OutgoingEmail] = []
        self._lock = threading.Lock()

    def send(self, message: OutgoingEmail) -> None:
        with self._lock:
            self.outbox.append(message)

    def to(self, address: str) -> list[OutgoingEmail]:
        return [m for m in self.outbox if m.to == address]


class InMemorySentEmails:
    def __init__(self) -> None:
        self.sent: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def was_sent(self, event_id: str) -> bool:
        return event_id in self.sent

    def mark_sent(self, event_id: str, template: str, at: datetime) -> None:
        with self._lock:
            self.sent.setdefault(event_id, (template, at))
