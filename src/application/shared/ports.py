"""Ports every context may need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
