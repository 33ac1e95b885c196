"""The command every context's erasure handler takes when a person deletes their account (the
``account.deleted`` event, decoded by the erasure worker). Shared so one worker can hand the same
command to every context, and a new context's handler has an obvious shape to follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PersonDeleted:
    person_id: str
    deleted_at: datetime
