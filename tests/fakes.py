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
from adapters.outbound.kafka.in_memory import InMemoryEventPublisher
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.notifications.in_memory import InMemoryNotificationInbox
from adapters.outbound.support.in_memory import InMemorySupportRequestRepository, InMemoryTicketRepository
from application.accounts.ports import LoginThrottle, PasswordHasher, RefreshSessionStore, UserRepository
from application.notifications.ports import NotificationInbox
from application.shared.outbox_relay import EventPublisher, OutboxStore
from application.shared.ports import Clock, ReadinessChecks
from application.support.ports import SupportRequestRepository, TicketRepository


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
        self.outbox = InMemoryOutbox()
        self.publisher = InMemoryEventPublisher()
        self.support_requests = InMemorySupportRequestRepository(self.outbox)
        self.tickets = InMemoryTicketRepository(self.outbox)
        self.inbox = InMemoryNotificationInbox()

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
    def provide_outbox(self) -> OutboxStore:
        return self.outbox

    @provider
    def provide_publisher(self) -> EventPublisher:
        return self.publisher

    @provider
    def provide_support_requests(self) -> SupportRequestRepository:
        return self.support_requests

    @provider
    def provide_tickets(self) -> TicketRepository:
        return self.tickets

    @provider
    def provide_inbox(self) -> NotificationInbox:
        return self.inbox
