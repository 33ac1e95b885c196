"""In-memory adapters of the orders ports: thread-safe, with state a test can read. The order
repository keeps the same rules as MongoDB: one holder per reservation unit, a version check on
save, events kept beside the order they came with."""

from __future__ import annotations

import copy
import threading
from datetime import date, datetime, timedelta

from application.orders.ports import Contact, StoredResponse
from application.shared.pagination import Page, PageRequest
from domain.orders.errors import ConcurrentOrderChange, SlotTaken
from domain.orders.free_time import DayFreeTime, PartOfDay
from domain.orders.order import Order, OrderStatus, ServiceSnapshot
from domain.orders.schedule import SellerSchedule
from domain.shared.errors import Conflict, InvalidInput, NotFound
from domain.shared.events import DomainEvent


class InMemoryOrderRepository:
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.reservations: dict[tuple[str, datetime], str] = {}  # (seller, unit) -> order id
        self.events: list[DomainEvent] = []
        self.leases: dict[str, tuple[datetime, str]] = {}
        self._lock = threading.RLock()

    def _apply_slot_change(self, order: Order) -> None:
        if order.slot_change == "reserve":
            keys = [(order.seller_id, unit) for unit in order.units]
            if any(key in self.reservations for key in keys):
                raise SlotTaken()
            for key in keys:
                self.reservations[key] = order.id
        elif order.slot_change == "release":
            for key in [k for k, holder in self.reservations.items() if holder == order.id]:
                del self.reservations[key]

    def add(self, order: Order) -> None:
        with self._lock:
            self._apply_slot_change(order)
            order.slot_change = None
            self.events.extend(order.pull_events())
            self.orders[order.id] = copy.deepcopy(order)

    def get(self, order_id: str) -> Order | None:
        with self._lock:
            order = self.orders.get(order_id)
            return copy.deepcopy(order) if order else None

    def save(self, order: Order) -> None:
        with self._lock:
            stored = self.orders.get(order.id)
            if stored is None or stored.version != order.version:
                raise ConcurrentOrderChange()
            self._apply_slot_change(order)
            order.slot_change = None
            order.version += 1
            self.events.extend(order.pull_events())
            self.leases.pop(order.id, None)
            self.orders[order.id] = copy.deepcopy(order)

    def find_by_payment_id(self, payment_id: str) -> Order | None:
        with self._lock:
            found = next((o for o in self.orders.values() if o.payment and o.payment.payment_id == payment_id), None)
            return copy.deepcopy(found) if found else None

    def find_by_invoice_id(self, invoice_id: str) -> Order | None:
        with self._lock:
            found = next((o for o in self.orders.values() if o.invoice and o.invoice.invoice_id == invoice_id), None)
            return copy.deepcopy(found) if found else None

    def list_for(self, *, buyer_id: str | None = None, seller_id: str | None = None,
                 statuses: list[OrderStatus] | None = None, page: PageRequest,
                 with_timeline: bool = False) -> Page[Order]:
        with self._lock:
            found = [o for o in self.orders.values()
                     if (buyer_id is None or o.buyer_id == buyer_id) and (seller_id is None or o.seller_id == seller_id)
                     and (not statuses or o.status in statuses)]
            found.sort(key=lambda o: (o.created_at, o.id), reverse=True)
            items = [copy.deepcopy(o) for o in found[page.offset:page.offset + page.page_size]]
            if not with_timeline:  # as the Mongo adapter's lists do
                for item in items:
                    item.timeline = []
            return Page(items=items, total=len(found), request=page)

    def taken_units(self, seller_id: str, start: datetime, end: datetime) -> set[datetime]:
        with self._lock:
            return {unit for (seller, unit) in self.reservations if seller == seller_id and start <= unit < end}

    def claim_due(self, *, now: datetime, lease: timedelta, owner: str) -> str | None:
        with self._lock:
            due = sorted((o.deadline.at, o.id) for o in self.orders.values()
                         if o.deadline is not None and o.deadline.at <= now
                         and (o.id not in self.leases or self.leases[o.id][0] <= now))
            if not due:
                return None
            order_id = due[0][1]
            self.leases[order_id] = (now + lease, owner)
            return order_id


class InMemoryScheduleRepository:
    def __init__(self) -> None:
        self.schedules: dict[str, SellerSchedule] = {}
        self._lock = threading.Lock()

    def get(self, seller_id: str) -> SellerSchedule | None:
        schedule = self.schedules.get(seller_id)
        return copy.deepcopy(schedule) if schedule else None

    def save(self, schedule: SellerSchedule) -> None:
        with self._lock:
            stored = self.schedules.get(schedule.seller_id)
            if (stored.version if stored else 0) != schedule.version:
                raise Conflict("the availability was changed by another request; reload and try again")
            schedule.version += 1
            self.schedules[schedule.seller_id] = copy.deepcopy(schedule)

    def seller_ids(self) -> list[str]:
        with self._lock:
            return list(self.schedules)


class InMemoryFreeTimeSummaries:
    def __init__(self) -> None:
        self.days: dict[tuple[str, date], DayFreeTime] = {}
        self._lock = threading.Lock()

    def put(self, days: list[DayFreeTime]) -> None:
        with self._lock:
            for day in days:
                self.days[(day.seller_id, day.day)] = day

    def longest_free(self, day: date, part: PartOfDay | None) -> dict[str, int]:
        with self._lock:
            found = {seller: summary.longest_in(part) for (seller, d), summary in self.days.items() if d == day}
        return {seller: minutes for seller, minutes in found.items() if minutes > 0}


class InMemoryServiceCatalog:
    """Services by id; ``unbookable`` maps a service id to the reason it cannot be booked now."""

    def __init__(self) -> None:
        self.services: dict[str, ServiceSnapshot] = {}
        self.unbookable: dict[str, str] = {}

    def add(self, service: ServiceSnapshot) -> None:
        self.services[service.service_id] = service

    def bookable_service(self, service_id: str) -> ServiceSnapshot:
        service = self.services.get(service_id)
        if service is None:
            raise NotFound("service not found", field="service_id")
        if service_id in self.unbookable:
            raise Conflict(self.unbookable[service_id], field="service_id")
        return service


class InMemoryPeople:
    def __init__(self) -> None:
        self.people: dict[str, Contact] = {}

    def add(self, contact: Contact) -> None:
        self.people[contact.user_id] = contact

    def contact(self, user_id: str) -> Contact | None:
        return self.people.get(user_id)


class InMemoryIdempotencyStore:
    def __init__(self) -> None:
        self.records: dict[str, dict] = {}
        self._lock = threading.Lock()

    def begin(self, *, scope: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        with self._lock:
            record = self.records.get(scope)
            if record is None:
                self.records[scope] = {"fingerprint": fingerprint, "response": None}
                return None
            if record["fingerprint"] != fingerprint:
                raise InvalidInput("this Idempotency-Key was already used with a different request",
                                   field="Idempotency-Key")
            if record["response"] is None:
                raise Conflict("a request with this Idempotency-Key is still being processed")
            return record["response"]

    def finish(self, *, scope: str, response: StoredResponse, now: datetime) -> None:
        with self._lock:
            self.records[scope]["response"] = response

    def abandon(self, *, scope: str) -> None:
        with self._lock:
            self.records.pop(scope, None)


class InMemoryCompletedJobs:
    """The fake of the CompletedJobs port: completed jobs counted per seller, for tests to read."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, seller_id: str) -> None:
        with self._lock:
            self.counts[seller_id] = self.counts.get(seller_id, 0) + 1
