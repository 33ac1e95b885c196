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
from adapters.outbound.orders.in_memory import (
    InMemoryIdempotencyStore,
    InMemoryOrderRepository,
    InMemoryPeople,
    InMemoryScheduleRepository,
    InMemoryServiceCatalog,
)
from adapters.outbound.payments.in_memory import InMemoryPaymentGateway
from application.accounts.ports import LoginThrottle, PasswordHasher, RefreshSessionStore, UserRepository
from application.orders.payment_gateway import PaymentGateway
from application.orders.ports import IdempotencyStore, OrderRepository, People, ScheduleRepository, ServiceCatalog
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
        self.orders = InMemoryOrderRepository()
        self.schedules = InMemoryScheduleRepository()
        self.catalog = InMemoryServiceCatalog()
        self.people = InMemoryPeople()
        self.idempotency = InMemoryIdempotencyStore()
        self.gateway = InMemoryPaymentGateway()

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
    def provide_orders(self) -> OrderRepository:
        return self.orders

    @provider
    def provide_schedules(self) -> ScheduleRepository:
        return self.schedules

    @provider
    def provide_catalog(self) -> ServiceCatalog:
        return self.catalog

    @provider
    def provide_people(self) -> People:
        return self.people

    @provider
    def provide_idempotency(self) -> IdempotencyStore:
        return self.idempotency

    @provider
    def provide_payment_gateway(self) -> PaymentGateway:
        return self.gateway
