from __future__ import annotations

from pymongo.errors import DuplicateKeyError


def duplicate_key_field(error: DuplicateKeyError) -> str | None:
    """The field name behind a duplicate-key error, without leaking the raw server message."""
    details = error.details or {}
    key_pattern = details.get("keyPattern") or details.get("keyValue") or {}
    return next(iter(key_pattern), None)
