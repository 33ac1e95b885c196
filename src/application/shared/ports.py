"""Ports every context may need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class ReadinessCheck(Protocol):
    """One dependency that /health/ready reports on (the database, the broker...)."""

    name: str

    def check(self) -> tuple[bool, str]:
        """(up, detail). Must answer within a second or two and never raise."""
        ...


@dataclass(frozen=True)
class ReadinessChecks:
    checks: tuple[ReadinessCheck, ...]


class UnitOfWork(Protocol):
    """One atomic unit of writes, possibly across contexts' stores: ``with uow: ...`` commits them
    all when the block ends normally and none of them when it raises. Nested units join the outer
    one. A lost race surfaces as ``domain.shared.errors.ConcurrentChange``."""

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool | None: ...


class ConsumerLag(Protocol):
    """How far each worker's consumer group is behind its topic, for the operators' metrics."""

    def read(self) -> dict[tuple[str, str], int]:
        """(topic, group) -> messages on the topic the group has not committed yet. A group whose
        topic does not exist yet is absent; raises when the broker cannot be asked."""
        ...
