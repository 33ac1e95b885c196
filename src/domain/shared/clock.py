from __future__ import annotations

from datetime import UTC, datetime


def utc(dt: datetime) -> datetime:
    """Naive datetimes come back from MongoDB in UTC; make them aware."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
