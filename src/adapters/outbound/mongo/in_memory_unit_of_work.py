"""The in-memory unit of work: one unit at a time, so the fakes' writes in a unit do not
interleave with another's. The fakes have no rollback; ``committed``/``failed`` let tests check
which units a use case opened and how they ended."""

from __future__ import annotations

import threading
from types import TracebackType


class InMemoryUnitOfWork:
    def __init__(self) -> None:
        self.committed = 0
        self.failed = 0
        self._lock = threading.RLock()
        self._depth = threading.local()

    def __enter__(self) -> InMemoryUnitOfWork:
        self._lock.acquire()
        self._depth.value = getattr(self._depth, "value", 0) + 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._depth.value -= 1
        if self._depth.value == 0:
            if exc_type is None:
                self.committed += 1
            else:
                self.failed += 1
        self._lock.release()
