"""The app wired with in-memory fakes: appended after the real modules, its bindings win."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from injector import Module, provider, singleton

from adapters.outbound.accounts.in_memory import (
    InMemoryLoginThrottle,
    InMemoryRefreshSessionStore,
    InMemoryUserRepository,
    PlainTextPasswordHasher,
)
from adapters.outbound.operations.in_memory import InMemoryArchiver
from application.accounts.ports import LoginThrottle, PasswordHasher, RefreshSessionStore, UserRepository
from application.operations.ports import DatabaseArchiver
from application.shared.ports import Clock, ReadinessChecks


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class StaticReadiness:
    def __init__(self, name: str, up: bool = True) -> None:
        self.name = name
        self.up = up

    def check(self) -> tuple[bool, str]:
        return self.up, "fake"


class FakesModule(Module):
    """Every port bound to an in-memory fake; the test keeps a handle on each to inspect it."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.users = InMemoryUserRepository()
        self.sessions = InMemoryRefreshSessionStore()
        self.throttle = InMemoryLoginThrottle()
        self.hasher = PlainTextPasswordHasher()
        self.readiness = [StaticReadiness("mongodb"), StaticReadiness("kafka")]
        self.archiver = InMemoryArchiver()

    @provider
    def provide_clock(self) -> Clock:
        return self.clock

    @provider
    def provide_readiness(self) -> ReadinessChecks:
        return ReadinessChecks(tuple(self.readiness))

    @provider
    def provide_users(self) -> UserRepository:
        return self.users

    @singleton
    @provider
    def provide_sessions(self) -> RefreshSessionStore:
        return self.sessions

    @provider
    def provide_throttle(self) -> LoginThrottle:
        return self.throttle

    @provider
    def provide_hasher(self) -> PasswordHasher:
        return self.hasher

    @provider
    def provide_archiver(self) -> DatabaseArchiver:
        return self.archiver
