"""Refresh sessions: a refresh token rotates on every use; reusing a rotated one revokes its
whole family (it was stolen, or the legitimate client is confused; either way, log out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class RefreshSession:
    id: str
    family_id: str
    user_id: str
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.rotated_at is None and self.revoked_at is None and now < self.expires_at
