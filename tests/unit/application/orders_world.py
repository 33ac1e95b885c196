"""The orders use cases wired to in-memory fakes, with a seller who works every day 08:00-20:00
in Madrid and a bookable fixed-price, hourly and quote-priced service."""

from __future__ import annotations

import dataclasses
import threading
import typing
from datetime import UTC, datetime, time, timedelta

from adapters.outbound.mongo.in_memory_unit_of_work import InMemoryUnitOfWork
from adapters.outbound.orders.in_memory import (
    InMemoryCompletedJobs,
    InMemoryOrderRepository,
    InMemoryPeople,
    InMemoryScheduleRepository,
    InMemoryServiceCatalog,
)
from adapters.outbound.payments.in_memory import InMemoryPaymentGateway
from application.orders import use_cases as uc
from application.orders.payment_gateway import PaymentGateway
from application.orders.ports import (
    CompletedJobs,
    Contact,
    OrderPolicy,
    OrderRepository,
    People,
    ScheduleRepository,
    ServiceCatalog,
)
from application.shared.ports import Clock, UnitOfWork
from domain.orders.order import Order, OrderTimers, ServiceSnapshot
from domain.orders.pricing import CancellationPolicy, FeePolicy, PriceModel
from domain.orders.schedule import SellerSchedule, WorkingRange
from domain.shared.access import Actor, Role
from domain.shared.money import Money
from tests.fakes import FakeClock

BUYER = Actor("buyer", frozenset({Role.BUYER}))
SELLER = Actor("seller", frozenset({Role.BUYER, Role.SELLER}))
SUPPORT = Actor("agent", frozenset({Role.SUPPORT}))
STRANGER = Actor("stranger", frozenset({Role.BUYER, Role.SELLER}))
POLICY = OrderPolicy(fees=FeePolicy(basis_points=1000, minimum=100),
                     timers=OrderTimers(payment_window=timedelta(minutes=15),
                                        seller_response_window=timedelta(hours=48),
                                        auto_complete_after=timedelta(hours=72)),
                     cancellation=CancellationPolicy(full_refund_before=timedelta(hours=24), late_refund_percent=50),
                     # Room for the many unpaid bookings these tests make; the caps have tests of their own.
                     max_unpaid_per_seller=50, max_unpaid_per_buyer=50)
# Tuesday 1 December 2026, 10:00 Madrid (09:00 UTC) is three days after the fake clock's now.
SLOT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
        self.orders = InMemoryOrderRepository()
        self.schedules = InMemoryScheduleRepository()
        self.catalog = InMemoryServiceCatalog()
        self.people = InMemoryPeople()
        self.gateway = InMemoryPaymentGateway()
        self.completed_jobs = InMemoryCompletedJobs()
        self.uow = InMemoryUnitOfWork()
        self.schedules.save(SellerSchedule(seller_id="seller", time_zone="Europe/Madrid", buffer_minutes=30,
                                           weekly_hours={d: [WorkingRange(time(8), time(20))] for d in range(7)}))
        self.catalog.add(ServiceSnapshot("fixed", "seller", "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60))
        self.catalog.add(ServiceSnapshot("hourly", "seller", "Cleaning", PriceModel.HOURLY, Money(2000, "EUR"), 120))
        self.catalog.add(ServiceSnapshot("quote", "seller", "Rewire a flat", PriceModel.QUOTE, None, 240))
        self.people.add(Contact("buyer", "Ana", "ana@example.com"))
        self.people.add(Contact("seller", "Carlos", "carlos@example.com"))
        self._ports = {OrderRepository: self.orders, ScheduleRepository: self.schedules, ServiceCatalog: self.catalog,
                       People: self.people, PaymentGateway: self.gateway, OrderPolicy: POLICY, Clock: self.clock,
                       CompletedJobs: self.completed_jobs, UnitOfWork: self.uow}

    def __call__(self, use_case: type):
        hints = typing.get_type_hints(use_case)
        return use_case(**{f.name: self._ports[hints[f.name]] for f in dataclasses.fields(use_case)})

    def book(self, service_id: str = "fixed", start: datetime = SLOT, buyer: Actor = BUYER, **extra) -> Order:
        return self(uc.BookService).execute(buyer, uc.BookCommand(service_id=service_id, start=start,
                                                                  address="Calle Mayor 1", **extra))

    def paid(self, **booking) -> Order:
        order = self.book(**booking)
        return self(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="pay-1")

    def accepted(self, **booking) -> Order:
        order = self.paid(**booking)
        return self(uc.AcceptOrder).execute(SELLER, order.id)


class BothReadFirst:
    """An order repository whose readers wait for each other: both completions read the same
    version before either saves, the race a double-click or a retry after a timeout makes."""

    def __init__(self, inner, parties: int) -> None:
        self._inner = inner
        self._barrier = threading.Barrier(parties)

    def get(self, order_id):
        order = self._inner.get(order_id)
        self._barrier.wait(timeout=10)
        return order

    def __getattr__(self, name):
        return getattr(self._inner, name)
