from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.accounts.email import Email
from domain.accounts.one_time_tokens import OneTimeToken
from domain.accounts.password_policy import PasswordWeakness
from domain.accounts.sessions import RefreshSession
from domain.accounts.user import User
from domain.shared.access import Role
from domain.shared.erasure import ErasureBlocker


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Store a new user; raises EmailAlreadyRegistered when the e-mail is taken."""
        ...

    def get(self, user_id: str) -> User | None: ...

    def get_by_email(self, email: Email) -> User | None: ...

    def save(self, user: User) -> None:
        """Store changes; raises Conflict when someone else saved the user since it was read."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    def dummy_verify(self, password: str) -> None:
        """Spend the time of a real verification, so an unknown e-mail is not faster."""
        ...


class PasswordStrength(Protocol):
    def weakness(self, password: str, personal: Sequence[str]) -> PasswordWeakness | None:
        """None when the password is hard enough to guess; otherwise the main reason it is not.
        ``personal``: the person's own words (e-mail, name) that a guesser would try first."""
        ...


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    roles: frozenset[Role]
    session_epoch: int
    token_id: str


class AccessTokens(Protocol):
    def issue(self, user: User, now: datetime) -> tuple[str, int]:
        """A signed access token and its lifetime in seconds."""
        ...

    def verify(self, token: str, now: datetime) -> AccessClaims:
        """Raises InvalidToken for a bad signature, audience, issuer, algorithm or an expired token."""
        ...


class RefreshSessionStore(Protocol):
    def add(self, session: RefreshSession) -> None: ...

    def get_by_token_hash(self, token_hash: str) -> RefreshSession | None: ...

    def mark_rotated(self, session_id: str, now: datetime) -> bool:
        """Atomically mark a usable session as rotated; False if it was rotated or revoked already."""
        ...

    def revoke_family(self, family_id: str, now: datetime) -> None: ...

    def revoke_all_for_user(self, user_id: str, now: datetime, *, except_family: str | None = None) -> None: ...


class LoginThrottle(Protocol):
    def retry_after(self, keys: list[str], now: datetime) -> int | None:
        """Seconds to wait if any key has failed too often lately, else None."""
        ...

    def record_failure(self, keys: list[str], now: datetime) -> None: ...

    def reset(self, keys: list[str]) -> None: ...


class ErasureBlockers(Protocol):
    """What other contexts say keeps a person from leaving (open orders, pending payments)."""

    def find(self, user_id: str) -> list[ErasureBlocker]:
        """One per order that stands in the way; empty when none."""
        ...


class DeletionLog(Protocol):
    """Who was deleted when, kept OUTSIDE the backed-up database: a restored backup replays the
    deletions made after it. Holds the user id and the time only."""

    def record(self, user_id: str, deleted_at: datetime) -> None:
        """Idempotent per user: recording a deletion again keeps the first time."""
        ...


class OneTimeTokenStore(Protocol):
    """Mailed single-use tokens (password reset, e-mail confirmation), by hash."""

    def add(self, token: OneTimeToken) -> None: ...

    def find_usable(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None: ...

    def consume(self, token_id: str, now: datetime) -> bool:
        """Atomically mark a usable token used; False if it was used (or expired) meanwhile."""
        ...

    def revoke_all(self, user_id: str, purpose: str, now: datetime) -> None:
        """Mark every unused token of this purpose of the person used (a newer one replaced them)."""
        ...


@dataclass(frozen=True)
class RecoveryPolicy:
    password_reset_ttl: timedelta = timedelta(minutes=30)
    email_verification_ttl: timedelta = timedelta(days=3)
