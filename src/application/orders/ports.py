"""What the orders use cases need from the outside world. The payment gateway's port lives in
``payment_gateway.py``, shared with the Square adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from domain.orders.free_time import DayFreeTime, PartOfDay
from domain.orders.order import START_EARLIEST_BEFORE_SLOT, Order, OrderStatus, OrderTimers, ServiceSnapshot
from domain.orders.pricing import CancellationPolicy, FeePolicy
from domain.orders.schedule import SellerSchedule


@dataclass(frozen=True)
class OrderPolicy:
    """Every window, fee and policy value of the orders context, from configuration."""

    fees: FeePolicy
    timers: OrderTimers
    cancellation: CancellationPolicy
    scheduler_lease: timedelta = timedelta(seconds=60)
    earliest_start_before_slot: timedelta = START_EARLIEST_BEFORE_SLOT
    max_slot_days: int = 31
    # How many days ahead each seller's free-time summary is kept (search by date goes this far).
    free_time_days: int = 60
    # How many bookings a buyer may hold unpaid at once: with one seller, and in all.
    max_unpaid_per_seller: int = 2
    max_unpaid_per_buyer: int = 4


class OrderRepository(Protocol):
    def add(self, order: Order) -> None:
        """Store a new order, its slot's reservations (when it holds one) and its events, in one
        transaction. Raises SlotTaken when another booking holds any of the units."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def save(self, order: Order) -> None:
        """Store the changes if nobody saved the order since it was read (else ConcurrentOrderChange),
        with its events and reservation changes in the same transaction; clears a scheduler's lease."""
        ...

    def find_by_payment_id(self, payment_id: str) -> Order | None: ...

    def find_by_invoice_id(self, invoice_id: str) -> Order | None: ...

    def list_for(self, *, buyer_id: str | None = None, seller_id: str | None = None,
                 statuses: list[OrderStatus] | None = None, page: PageRequest,
                 with_timeline: bool = False) -> Page[Order]:
        """Newest first. Lists leave each order's timeline empty unless ``with_timeline`` asks for it."""
        ...

    def taken_units(self, seller_id: str, start: datetime, end: datetime) -> set[datetime]:
        """The reservation units of the seller's bookings between two instants."""
        ...

    def claim_due(self, *, now: datetime, lease: timedelta, owner: str) -> str | None:
        """Atomically lease one order whose deadline has passed and that nobody holds a live
        lease on; its id, or None when nothing is due."""
        ...


class ScheduleRepository(Protocol):
    def get(self, seller_id: str) -> SellerSchedule | None: ...

    def save(self, schedule: SellerSchedule) -> None:
        """Insert or update if unchanged since read (else Conflict)."""
        ...

    def seller_ids(self) -> list[str]:
        """Every seller with a schedule (the daily free-time refresh walks them)."""
        ...


class FreeTimeSummaries(Protocol):
    """Per seller and local day, the free-time summary search reads instead of computing slots."""

    def put(self, days: list[DayFreeTime]) -> None:
        """Insert or replace each (seller, day)."""
        ...

    def longest_free(self, day: date, part: PartOfDay | None) -> dict[str, int]:
        """Seller id -> the longest job (minutes) that can start on ``day`` (in that part), for
        every seller who has any; sellers without a summary for the day are left out."""
        ...


class ServiceCatalog(Protocol):
    def bookable_service(self, service_id: str) -> ServiceSnapshot:
        """The service as it is now. Raises NotFound for an unknown or deleted service and
        Conflict (with the reason) for one that cannot be booked now (paused, seller away)."""
        ...


@dataclass(frozen=True)
class Contact:
    user_id: str
    name: str
    email: str
    phone: str | None = None


class People(Protocol):
    def contact(self, user_id: str) -> Contact | None: ...


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    # The created resource's address (201's Location), replayed with the body.
    location: str | None = None


class IdempotencyStore(Protocol):
    """The first answer to each (user, route, Idempotency-Key), replayed to retries."""

    def begin(self, *, scope: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        """None when this is the first request with the key (it is now reserved); the stored
        answer when it is a retry. Raises Conflict while the first is still running, and
        InvalidInput when the key comes back with a different body."""
        ...

    def finish(self, *, scope: str, response: StoredResponse, now: datetime) -> None: ...

    def abandon(self, *, scope: str) -> None:
        """Forget a reservation whose request failed on our side, so a retry runs again."""
        ...


class CompletedJobs(Protocol):
    """The count of jobs a seller has completed, which the catalog shows on the seller's profile.
    Called inside the unit of work that saves the completed order, so the count moves in the same
    transaction: exactly once per completion, never for a completion that was not stored."""

    def add(self, seller_id: str) -> None: ...
