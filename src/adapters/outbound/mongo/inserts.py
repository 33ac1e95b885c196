"""Inserts that survive the driver's own retry. pymongo retries a write once when the connection
drops (a primary failing over, a server restarted); if the first attempt had landed before the
answer was lost, the retry meets its own document and fails with a duplicate key. A real replica
set recognises the retry by its transaction number; the local server forgets that across a
restart (tests/verify/test_faults_mongo.py). Either way, meeting exactly the document we were
inserting means the write happened: it is a success, not a conflict."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


def insert_once(collection: Collection, raw: dict[str, Any]) -> bool:
    """True when this call inserted ``raw``; False when the identical document was already there.
    Another document with the same key still raises DuplicateKeyError."""
    try:
        collection.insert_one(raw)
        return True
    except DuplicateKeyError:
        existing = collection.find_one({"_id": raw["_id"]})
        if existing is not None and _comparable(existing) == _comparable(raw):
            return False
        raise


def _comparable(value: Any) -> Any:
    """As BSON stores it: datetimes in UTC to the millisecond, tuples as lists."""
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    return value
