"""In-memory adapters of the accounts ports: fast, thread-safe, and with state a test can read.
They obey the same contract tests as the MongoDB adapters."""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta
from typing import Protocol

from domain.accounts.email import Email
from domain.accounts.errors import EmailAlreadyRegistered
from domain.accounts.one_time_tokens import OneTimeToken
from domain.accounts.sessions import RefreshSession
from domain.accounts.user import User
from domain.shared.erasure import ErasureBlocker
from domain.shared.events import DomainEvent
from domain.shared.errors import Conflict


class EventSink(Protocol):
    def append(self, events: list[DomainEvent]) -> None: ...


class InMemoryUserRepository:
    def __init__(self, outbox: EventSink | None = None) -> None:
        self.users: dict[str, User] = {}
        self._lock = threading.Lock()
        # The in-memory outbox the fakes share; events recorded on a user land there on save.
        self.outbox = outbox

    def add(self, user: User) -> None:
        with self._lock:
            if self.users.get(user.id) == user:
                return  # the same add again (a retried write): done already
            if any(u.email == user.email for u in self.users.values()):
                raise EmailAlreadyRegistered()
            self.users[user.id] = copy.deepcopy(user)

    def get(self, user_id: str) -> User | None:
        user = self.users.get(user_id)
        return copy.deepcopy(user) if user else None

    def get_by_email(self, email: Email) -> User | None:
        return next((copy.deepcopy(u) for u in self.users.values() if u.email == email), None)

    def save(self, user: User) -> None:
        with self._lock:
            stored = self.users.get(user.id)
            if stored is None or stored.version != user.version:
                raise Conflict("the account was changed by another request; reload and try again")
            events = user.pull_events()
            if events:
                if self.outbox is None:
                    raise AssertionError("this InMemoryUserRepository was built without an outbox for its events")
                self.outbox.append(events)
            user.version += 1
            self.users[user.id] = copy.deepcopy(user)


class InMemoryRefreshSessionStore:
    def __init__(self) -> None:
        self.sessions: dict[str, RefreshSession] = {}
        self._lock = threading.Lock()

    def add(self, session: RefreshSession) -> None:
        self.sessions[session.id] = copy.deepcopy(session)

    def get_by_token_hash(self, token_hash: str) -> RefreshSession | None:
        return next((copy.deepcopy(s) for s in self.sessions.values() if s.token_hash == token_hash), None)

    def mark_rotated(self, session_id: str, now: datetime) -> bool:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None or session.rotated_at is not None or session.revoked_at is not None:
                return False
            session.rotated_at = now
            return True

    def revoke_family(self, family_id: str, now: datetime) -> None:
        for session in self.sessions.values():
            if session.family_id == family_id and session.revoked_at is None:
                session.revoked_at = now

    def revoke_all_for_user(self, user_id: str, now: datetime, *, except_family: str | None = None) -> None:
        for session in self.sessions.values():
            if session.user_id == user_id and session.revoked_at is None and session.family_id != except_family:
                session.revoked_at = now


class InMemoryLoginThrottle:
    def __init__(self, *, max_failures: int = 5, window: timedelta = timedelta(minutes=15),
                 max_failures_per_address: int = 50) -> None:
        self.failures: dict[str, list[datetime]] = {}
        self._max = max_failures
        self._max_per_address = max_failures_per_address
        self._window = window

    def retry_after(self, keys: list[str], now: datetime) -> int | None:
        waits = []
        for key in keys:
            limit = self._max_per_address if key.startswith("address:") else self._max
            recent = sorted((t for t in self.failures.get(key, []) if t > now - self._window), reverse=True)[:limit]
            if len(recent) >= limit:
                waits.append(max(1, int((recent[-1] + self._window - now).total_seconds()) + 1))
        return max(waits) if waits else None

    def record_failure(self, keys: list[str], now: datetime) -> None:
        for key in keys:
            self.failures.setdefault(key, []).append(now)

    def reset(self, keys: list[str]) -> None:
        for key in keys:
            if key.startswith("email:"):
                self.failures.pop(key, None)


class PlainTextPasswordHasher:
    """For unit tests only: argon2 is slow on purpose. Never bound outside tests."""

    def hash(self, password: str) -> str:
        return f"plain${password}"

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"plain${password}"

    def needs_rehash(self, password_hash: str) -> bool:
        return False

    def dummy_verify(self, password: str) -> None:
        return None


class InMemoryErasureBlockers:
    """The fake of ErasureBlockers: a test says what blocks whom."""

    def __init__(self) -> None:
        self.blocked: dict[str, list[ErasureBlocker]] = {}

    def find(self, user_id: str) -> list[ErasureBlocker]:
        return list(self.blocked.get(user_id, []))


class InMemoryOneTimeTokenStore:
    def __init__(self) -> None:
        self.tokens: dict[str, OneTimeToken] = {}
        self._lock = threading.Lock()

    def add(self, token: OneTimeToken) -> None:
        with self._lock:
            self.tokens[token.id] = copy.deepcopy(token)

    def find_usable(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None:
        return next((copy.deepcopy(t) for t in self.tokens.values()
                     if t.token_hash == token_hash and t.purpose == purpose and t.is_usable(now)), None)

    def consume(self, token_id: str, now: datetime) -> bool:
        with self._lock:
            token = self.tokens.get(token_id)
            if token is None or not token.is_usable(now):
                return False
            token.used_at = now
            return True

    def revoke_all(self, user_id: str, purpose: str, now: datetime) -> None:
        with self._lock:
            for token in self.tokens.values():
                if token.user_id == user_id and token.purpose == purpose and token.used_at is None:
                    token.used_at = now
