"""Single-use, short-lived tokens mailed to a person: a password reset, an e-mail confirmation.
Only a hash is stored; the token itself exists in the mail and nowhere else we keep for long."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from domain.shared.errors import InvalidInput

PASSWORD_RESET = "password_reset"
VERIFY_EMAIL = "verify_email"


def hash_one_time_token(token: str) -> str:
    # 256 random bits: a fast hash is enough, as for refresh tokens.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class OneTimeToken:
    id: str
    user_id: str
    purpose: str
    token_hash: str
    email: str  # the address it was mailed to: a confirmation confirms that address, not a later one
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class InvalidOneTimeToken(InvalidInput):
    code = "invalid_or_expired_token"

    def __init__(self) -> None:
        # One answer for unknown, used and expired: the link is dead either way, ask for a new one.
        super().__init__("this link is not valid any more (used already or expired); ask for a new one",
                         field="token")
