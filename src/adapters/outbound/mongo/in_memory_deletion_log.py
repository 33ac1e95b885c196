"""The in-memory deletion log: the fake of both contexts' DeletionLog ports, and, like the real
one, outside the (in-memory) backed-up database, so a test's restore does not reach it."""

from __future__ import annotations

import threading
from datetime import datetime


class InMemoryDeletionLog:
    def __init__(self) -> None:
        self.entries: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def record(self, user_id: str, deleted_at: datetime) -> None:
        with self._lock:
            self.entries.setdefault(user_id, deleted_at)

    def since(self, moment: datetime) -> list[tuple[str, datetime]]:
        with self._lock:
            return sorted(((user_id, at) for user_id, at in self.entries.items() if at >= moment),
                          key=lambda entry: entry[1])
