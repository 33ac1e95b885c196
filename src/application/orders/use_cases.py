"""Orders: availability, booking, quotes, the order's life with its payments, timers, and the
updates the payment gateway sends back."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from application.orders.payment_gateway import InvoiceStatus, PaymentGateway, PaymentStatus, RefundStatus
from application.orders.free_time import FreeTimeKeeper
from application.orders.ports import (
    CompletedJobs,
    Contact,
    FreeTimeSummaries,
    OrderPolicy,
    OrderRepository,
    People,
    ScheduleRepository,
    ServiceCatalog,
)
from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock, UnitOfWork
from domain.orders.errors import (
    ActionNotAllowed,
    ConcurrentOrderChange,
    OrderNotFound,
    PartyNotAllowed,
    SlotNotAvailable,
    TooManyUnpaidBookings,
)
from domain.orders.order import (
    AFTER_CAPTURE,
    DEADLINE_ACTIONS,
    CancellationTerms,
    Action,
    DeadlineKind,
    InvoiceRecord,
    Order,
    OrderStatus,
    Party,
    RESERVATION_PREFIX,
    PaymentRecord,
    RefundRecord,
    ServiceSnapshot,
)
from domain.orders.pricing import Breakdown, CancellationPolicy, PriceModel, hourly_subtotal
from domain.orders import erasure
from domain.orders.free_time import PartOfDay
from domain.orders.schedule import MAX_RANGES_PER_DAY, SellerSchedule, TimeOff, WorkingRange
from domain.shared.access import Actor, Role
from domain.shared.erasure import ErasureBlocker
from domain.shared.errors import (
    DependencyUnavailable,
    DomainError,
    InvalidInput,
    NotFound,
    SellerCannotTakePayments,
)
from domain.shared.ids import new_id
from domain.shared.money import Money

log = logging.getLogger(__name__)
T = TypeVar("T")
SYSTEM = "system"
MAX_HOURLY_MINUTES = 12 * 60


def gateway_key(order_id: str, purpose: str, idempotency_key: str) -> str:
    """The key sent to the gateway, derived from the client's: a retried request reuses it, so the
    gateway never charges, captures or refunds twice. Square accepts at most 45 characters."""
    return hashlib.sha256(f"{order_id}:{purpose}:{idempotency_key}".encode()).hexdigest()[:45]


def _load(orders: OrderRepository, actor: Actor, order_id: str) -> tuple[Order, Party]:
    order = orders.get(order_id)
    if order is None:
        raise OrderNotFound()
    try:
        return order, order.party_of(actor)
    except NotFound:
        raise OrderNotFound() from None


def _ensure(order: Order, action: Action, party: Party) -> None:
    """Refuse before calling the gateway, not after."""
    order.check(action, party)


def _land(orders: OrderRepository, order: Order, action: Action, party: Party, apply: Callable[[Order], None],
          *, settled: frozenset[OrderStatus]) -> Order:
    """Save what the gateway has already done. Square's signed news of that same call can reach
    the webhook and move the order first; then re-read and re-apply, and when the news already
    settled the order the way this action would (a state in ``settled``), answer with it: the
    caller's action has landed, it is no conflict."""
    def change(current: Order) -> bool:
        try:
            current.check(action, party)
        except ActionNotAllowed:
            if current.status in settled:
                return False
            raise ConcurrentOrderChange() from None
        apply(current)
        return True

    landed = _with_retries(orders, lambda: orders.get(order.id), change, first=order)
    assert landed is not None
    return landed


CAPTURED = frozenset({OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED})
RELEASED = frozenset({OrderStatus.CANCELLED, OrderStatus.DECLINED, OrderStatus.EXPIRED})


def _ensure_can_take_payments(gateway: PaymentGateway, seller_id: str) -> None:
    ok, reason = gateway.can_take_payments(seller_id)
    if not ok:
        raise SellerCannotTakePayments(f"this seller cannot take bookings right now: {reason}")


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput("give the time with its offset, e.g. 2026-12-01T09:00:00+01:00", field="start")
    return moment.astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AvailabilityCommand:
    time_zone: str
    buffer_minutes: int
    weekly_hours: dict[int, list[tuple[time, time]]]


# What GET /me/availability shows a seller who never set hours, and so what a partial edit starts from.
DEFAULT_TIME_ZONE = "UTC"


@dataclass(frozen=True)
class GetMyAvailability:
    schedules: ScheduleRepository

    def execute(self, actor: Actor) -> SellerSchedule:
        actor.ensure_role(Role.SELLER)
        return self.schedules.get(actor.user_id) or SellerSchedule(seller_id=actor.user_id,
                                                                   time_zone=DEFAULT_TIME_ZONE)


def _store_schedule(schedules: ScheduleRepository, actor: Actor, current: SellerSchedule | None,
                    command: AvailabilityCommand) -> SellerSchedule:
    schedule = SellerSchedule(
        seller_id=actor.user_id, time_zone=command.time_zone, buffer_minutes=command.buffer_minutes,
        weekly_hours={day: [WorkingRange(start, end) for start, end in ranges]
                      for day, ranges in command.weekly_hours.items() if ranges},
        time_off=current.time_off if current else [], version=current.version if current else 0)
    schedules.save(schedule)
    return schedule


@dataclass(frozen=True)
class SetMyAvailability:
    """Replace the weekly hours, buffer and time zone as a whole (time off is kept)."""

    schedules: ScheduleRepository

    def execute(self, actor: Actor, command: AvailabilityCommand) -> SellerSchedule:
        actor.ensure_role(Role.SELLER)
        return _store_schedule(self.schedules, actor, self.schedules.get(actor.user_id), command)


@dataclass(frozen=True)
class AvailabilityChanges:
    """A partial edit: None keeps what is stored (none of these can be cleared)."""

    time_zone: str | None = None
    buffer_minutes: int | None = None
    weekly_hours: dict[int, list[tuple[time, time]]] | None = None


@dataclass(frozen=True)
class PatchMyAvailability:
    """Change only what the seller sent: an older form that knows nothing of a later setting keeps it."""

    schedules: ScheduleRepository

    def execute(self, actor: Actor, changes: AvailabilityChanges) -> SellerSchedule:
        actor.ensure_role(Role.SELLER)
        current = self.schedules.get(actor.user_id)
        base = current or SellerSchedule(seller_id=actor.user_id, time_zone=DEFAULT_TIME_ZONE)
        weekly = ({day: [(r.start, r.end) for r in ranges] for day, ranges in base.weekly_hours.items()}
                  if changes.weekly_hours is None else changes.weekly_hours)
        command = AvailabilityCommand(
            time_zone=base.time_zone if changes.time_zone is None else changes.time_zone,
            buffer_minutes=base.buffer_minutes if changes.buffer_minutes is None else changes.buffer_minutes,
            weekly_hours=weekly)
        return _store_schedule(self.schedules, actor, current, command)


@dataclass(frozen=True)
class GetBookableHours:
    """A seller's weekly hours as bookings use them, for the catalog's public profile: the one
    place a seller's hours live. Time off stays private."""

    schedules: ScheduleRepository

    def execute(self, seller_id: str) -> SellerSchedule | None:
        return self.schedules.get(seller_id)


def _quarter(moment: time, *, up: bool) -> time:
    minutes = moment.hour * 60 + moment.minute + (1 if up and (moment.second or moment.microsecond) else 0)
    minutes = (minutes + 14) // 15 * 15 if up else minutes // 15 * 15
    return time(23, 45) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def _bookable_ranges(ranges: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Free-form hours as a schedule takes them: inside quarter hours, overlaps joined, at most
    MAX_RANGES_PER_DAY (the longest kept)."""
    rounded = sorted((_quarter(start, up=True), _quarter(end, up=False)) for start, end in ranges)
    joined: list[tuple[time, time]] = []
    for start, end in rounded:
        if start >= end:
            continue
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    def length(r: tuple[time, time]) -> int:
        return (r[1].hour * 60 + r[1].minute) - (r[0].hour * 60 + r[0].minute)
    return sorted(sorted(joined, key=length, reverse=True)[:MAX_RANGES_PER_DAY])


@dataclass(frozen=True)
class AdoptWeeklyHours:
    """Hours kept elsewhere before (a seller profile's own "opening hours") become the bookable
    hours of a seller who has none yet; a seller who has some keeps them: bookings already use
    them. Says whether it adopted them."""

    schedules: ScheduleRepository

    def execute(self, seller_id: str, time_zone: str, weekly_hours: dict[int, list[tuple[time, time]]]) -> bool:
        if self.schedules.get(seller_id) is not None:
            return False
        weekly = {day: _bookable_ranges(ranges) for day, ranges in weekly_hours.items()}
        self.schedules.save(SellerSchedule(seller_id=seller_id, time_zone=time_zone,
                                           weekly_hours={day: [WorkingRange(s, e) for s, e in ranges]
                                                         for day, ranges in weekly.items() if ranges}))
        return True


@dataclass(frozen=True)
class AddTimeOff:
    schedules: ScheduleRepository

    def execute(self, actor: Actor, *, start: datetime, end: datetime, note: str) -> TimeOff:
        actor.ensure_role(Role.SELLER)
        schedule = self.schedules.get(actor.user_id)
        if schedule is None:
            raise SlotNotAvailable("set your working hours first (PUT /me/availability)")
        time_off = TimeOff(id=new_id(), start=_to_utc(start), end=_to_utc(end), note=(note or "").strip()[:200])
        schedule.add_time_off(time_off)
        self.schedules.save(schedule)
        return time_off


@dataclass(frozen=True)
class RemoveTimeOff:
    schedules: ScheduleRepository

    def execute(self, actor: Actor, time_off_id: str) -> None:
        actor.ensure_role(Role.SELLER)
        schedule = self.schedules.get(actor.user_id)
        if schedule is None or not schedule.remove_time_off(time_off_id):
            raise NotFound("time off not found")
        self.schedules.save(schedule)


@dataclass(frozen=True)
class FreeSlot:
    start: datetime
    end: datetime
    time_zone: str


@dataclass(frozen=True)
class ListFreeSlots:
    catalog: ServiceCatalog
    schedules: ScheduleRepository
    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock

    def execute(self, service_id: str, first_day: date, last_day: date) -> list[FreeSlot]:
        if last_day < first_day:
            raise InvalidInput("'to' must not be before 'from'", field="to")
        if (last_day - first_day).days + 1 > self.policy.max_slot_days:
            raise InvalidInput(f"ask for at most {self.policy.max_slot_days} days", field="to")
        service = self.catalog.bookable_service(service_id)
        # Offering slots nobody can book would only disappoint: say why instead.
        _ensure_can_take_payments(self.gateway, service.seller_id)
        schedule = self.schedules.get(service.seller_id)
        if schedule is None:
            return []
        duration = timedelta(minutes=service.duration_minutes)
        # The local days' span in UTC, widened a day each side for zones far from UTC.
        span_start = datetime.combine(first_day - timedelta(days=1), time(), tzinfo=schedule.zone)
        span_end = datetime.combine(last_day + timedelta(days=2), time(), tzinfo=schedule.zone)
        taken = self.orders.taken_units(service.seller_id, _to_utc(span_start), _to_utc(span_end))
        starts = schedule.free_slots(first_day=first_day, last_day=last_day, duration=duration,
                                     now=self.clock.now(), taken_units=taken)
        return [FreeSlot(start=s, end=s + duration, time_zone=schedule.time_zone) for s in starts]


@dataclass(frozen=True)
class GetSellersFreeTime:
    """For search (the catalog asks through its own port): who can take a job on a local date,
    and the longest job each can take then, read from the kept summaries."""

    summaries: FreeTimeSummaries
    policy: OrderPolicy
    clock: Clock

    def execute(self, day: date, part_of_day: str | None = None) -> dict[str, int]:
        part = None
        if part_of_day is not None:
            try:
                part = PartOfDay(part_of_day)
            except ValueError:
                raise InvalidInput("must be one of " + ", ".join(p.value for p in PartOfDay),
                                   field="part_of_day") from None
        # Somewhere on Earth it is still yesterday: only a day before that is past for everyone.
        today = self.clock.now().date()
        if day < today - timedelta(days=1):
            raise InvalidInput("must not be in the past", field="available_on")
        if day > today + timedelta(days=self.policy.free_time_days):
            raise InvalidInput(f"at most {self.policy.free_time_days} days ahead", field="available_on")
        return self.summaries.longest_free(day, part)


@dataclass(frozen=True)
class RefreshAllFreeTime:
    """Daily: extend every seller's summary to the new last day and drop what passed today."""

    schedules: ScheduleRepository
    keeper: FreeTimeKeeper

    def execute(self) -> int:
        sellers = self.schedules.seller_ids()
        for seller_id in sellers:
            self.keeper.refresh(seller_id)
        return len(sellers)


# ---------------------------------------------------------------------------------------------
# Booking and quotes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BookCommand:
    service_id: str
    start: datetime
    address: str
    notes: str = ""
    duration_minutes: int | None = None  # hourly services only


def _slot_of(schedule: SellerSchedule | None, service: ServiceSnapshot, command: BookCommand,
             now: datetime) -> tuple[SellerSchedule, datetime, timedelta]:
    if schedule is None:
        raise SlotNotAvailable("the seller has not published their working hours yet", field="service_id")
    minutes = service.duration_minutes
    if command.duration_minutes is not None:
        if service.price_model is not PriceModel.HOURLY:
            raise InvalidInput("only hourly services take a duration", field="duration_minutes")
        if command.duration_minutes % 15 or not 15 <= command.duration_minutes <= MAX_HOURLY_MINUTES:
            raise InvalidInput(f"duration must be 15 to {MAX_HOURLY_MINUTES} minutes, in steps of 15",
                               field="duration_minutes")
        minutes = command.duration_minutes
    start = _to_utc(command.start)
    duration = timedelta(minutes=minutes)
    schedule.check_bookable(start, duration, now)
    return schedule, start, duration


def _ensure_few_unpaid(orders: OrderRepository, policy: OrderPolicy, buyer_id: str, seller_id: str) -> None:
    """Before a booking holds more of the seller's time: each unpaid one holds it for the payment
    window, and expiring only to be booked again it would hold it for ever."""
    page = orders.list_for(buyer_id=buyer_id, statuses=[OrderStatus.PENDING_PAYMENT],
                           page=PageRequest(page_size=policy.max_unpaid_per_buyer))
    if page.total >= policy.max_unpaid_per_buyer:
        raise TooManyUnpaidBookings(cap=policy.max_unpaid_per_buyer, per_seller=False,
                                    unpaid_order_ids=[o.id for o in page.items])
    # Fewer than the overall cap: the page holds every one of them.
    with_seller = [o.id for o in page.items if o.seller_id == seller_id]
    if len(with_seller) >= policy.max_unpaid_per_seller:
        raise TooManyUnpaidBookings(cap=policy.max_unpaid_per_seller, per_seller=True, unpaid_order_ids=with_seller)


@dataclass(frozen=True)
class BookService:
    catalog: ServiceCatalog
    schedules: ScheduleRepository
    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, command: BookCommand) -> Order:
        service = self.catalog.bookable_service(command.service_id)
        if service.price_model is PriceModel.QUOTE:
            raise InvalidInput("this service is priced by quote: request a quote instead", field="service_id")
        if service.price is None:
            raise InvalidInput("this service has no price", field="service_id")
        _ensure_can_take_payments(self.gateway, service.seller_id)
        _ensure_few_unpaid(self.orders, self.policy, actor.user_id, service.seller_id)
        now = self.clock.now()
        schedule, start, duration = _slot_of(self.schedules.get(service.seller_id), service, command, now)
        minutes = int(duration.total_seconds() // 60)
        subtotal = service.price if service.price_model is PriceModel.FIXED else hourly_subtotal(service.price, minutes)
        order = Order.book(order_id=new_id(), buyer_id=actor.user_id,
                           service=ServiceSnapshot(service.service_id, service.seller_id, service.title,
                                                   service.price_model, service.price, minutes),
                           slot_start=start, slot_end=start + duration, time_zone=schedule.time_zone,
                           buffer_minutes=schedule.buffer_minutes, address=command.address, notes=command.notes,
                           breakdown=Breakdown.of(subtotal, self.policy.fees), now=now, timers=self.policy.timers)
        self.orders.add(order)
        return order


@dataclass(frozen=True)
class RequestQuote:
    catalog: ServiceCatalog
    schedules: ScheduleRepository
    orders: OrderRepository
    gateway: PaymentGateway
    clock: Clock

    def execute(self, actor: Actor, command: BookCommand, message: str) -> Order:
        service = self.catalog.bookable_service(command.service_id)
        if service.price_model is not PriceModel.QUOTE:
            raise InvalidInput("this service has a price: book it directly", field="service_id")
        _ensure_can_take_payments(self.gateway, service.seller_id)
        now = self.clock.now()
        schedule, start, duration = _slot_of(self.schedules.get(service.seller_id), service, command, now)
        order = Order.request_quote(order_id=new_id(), buyer_id=actor.user_id, service=service, slot_start=start,
                                    slot_end=start + duration, time_zone=schedule.time_zone,
                                    buffer_minutes=schedule.buffer_minutes, address=command.address,
                                    notes=command.notes, message=message, now=now)
        self.orders.add(order)
        return order


@dataclass(frozen=True)
class OfferQuote:
    orders: OrderRepository
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, price: Money, message: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.OFFER_QUOTE, party)
        order.offer_quote(price, message, actor_id=actor.user_id, party=party, now=self.clock.now(),
                          fee_policy=self.policy.fees)
        self.orders.save(order)
        return order


@dataclass(frozen=True)
class AcceptQuote:
    orders: OrderRepository
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.ACCEPT_QUOTE, party)
        now = self.clock.now()
        if order.slot_start <= now:
            raise SlotNotAvailable("the requested time has passed; request a new quote", field="start")
        order.accept_quote(actor_id=actor.user_id, party=party, now=now, timers=self.policy.timers)
        self.orders.save(order)  # reserves the slot now: SlotTaken if someone booked it meanwhile
        return order


@dataclass(frozen=True)
class RejectQuote:
    orders: OrderRepository
    clock: Clock

    def execute(self, actor: Actor, order_id: str, reason: str = "") -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.REJECT_QUOTE, party)
        order.reject_quote(actor_id=actor.user_id, party=party, now=self.clock.now(), note=(reason or "")[:300])
        self.orders.save(order)
        return order


# ---------------------------------------------------------------------------------------------
# Payment and the seller's answer
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PayOrder:
    """Hold the buyer's card for the order (delayed capture). A decline (402) or an unreachable
    gateway (503) leaves the order payable."""

    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, source_id: str, idempotency_key: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.AUTHORIZE, party)
        assert order.breakdown is not None
        _ensure_can_take_payments(self.gateway, order.seller_id)
        payment = self.gateway.authorize(
            seller_id=order.seller_id, source_id=source_id, amount=order.breakdown.subtotal,
            app_fee=order.breakdown.fee, idempotency_key=gateway_key(order.id, "authorize", idempotency_key),
            reference_id=order.id, note=order.service.title[:500])
        order.authorize(PaymentRecord(payment_id=payment.payment_id, status=payment.status.value,
                                      amount=payment.amount, app_fee=payment.app_fee, card_brand=payment.card_brand,
                                      card_last4=payment.card_last4),
                        actor_id=actor.user_id, party=party, now=self.clock.now(), timers=self.policy.timers)
        try:
            self.orders.save(order)
        except ConcurrentOrderChange:
            current = self.orders.get(order.id)
            if current and current.payment and current.payment.payment_id == payment.payment_id:
                return current
            # The order moved on while the card was being held (it expired, or was cancelled):
            # let the hold go rather than keep the buyer's money blocked.
            _void_quietly(self.gateway, order.seller_id, payment.payment_id)
            raise
        return order


def _void_quietly(gateway: PaymentGateway, seller_id: str, payment_id: str) -> None:
    try:
        gateway.void(seller_id=seller_id, payment_id=payment_id)
    except DomainError as error:  # Square's delay_action CANCEL is the backstop
        log.warning("could not void payment %s: %s", payment_id, error)


@dataclass(frozen=True)
class AcceptOrder:
    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.ACCEPT, party)
        assert order.payment is not None
        payment = self.gateway.capture(seller_id=order.seller_id, payment_id=order.payment.payment_id)
        return _land(self.orders, order, Action.ACCEPT, party, settled=CAPTURED, apply=lambda current: current.accept(
            actor_id=actor.user_id, party=party, now=self.clock.now(), timers=self.policy.timers,
            payment_status=payment.status.value))


@dataclass(frozen=True)
class DeclineOrder:
    orders: OrderRepository
    gateway: PaymentGateway
    clock: Clock

    def execute(self, actor: Actor, order_id: str, reason: str = "") -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.DECLINE, party)
        status = None
        if order.payment is not None:
            status = self.gateway.void(seller_id=order.seller_id, payment_id=order.payment.payment_id).status.value
        return _land(self.orders, order, Action.DECLINE, party, settled=RELEASED, apply=lambda current: current.void(
            Action.DECLINE, actor_id=actor.user_id, party=party, now=self.clock.now(), note=(reason or "")[:300],
            payment_status=status))


@dataclass(frozen=True)
class StartOrder:
    orders: OrderRepository
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.START, party)
        order.start(actor_id=actor.user_id, party=party, now=self.clock.now(),
                    earliest_before=self.policy.earliest_start_before_slot)
        self.orders.save(order)
        return order


def _save_completed(orders: OrderRepository, completed_jobs: CompletedJobs, uow: UnitOfWork, order: Order) -> None:
    """The completed order and the seller's completed-jobs count in one transaction: a completion
    that loses a race (ConcurrentOrderChange, raised before the count) or fails to commit counts
    nothing, and one that is repeated finds the order completed already and is refused."""
    with uow:
        orders.save(order)
        completed_jobs.add(order.seller_id)


@dataclass(frozen=True)
class CompleteOrder:
    orders: OrderRepository
    clock: Clock
    completed_jobs: CompletedJobs
    uow: UnitOfWork

    def execute(self, actor: Actor, order_id: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.COMPLETE, party)
        order.complete(Action.COMPLETE, actor_id=actor.user_id, party=party, now=self.clock.now())
        _save_completed(self.orders, self.completed_jobs, self.uow, order)
        return order


@dataclass(frozen=True)
class CancelOrder:
    """Before capture: the hold is voided, nothing is charged. After: the cancellation policy says
    how much goes back to a cancelling buyer; a seller or support cancelling refunds everything."""

    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, reason: str, idempotency_key: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        _ensure(order, Action.CANCEL, party)
        now = self.clock.now()
        reason = (reason or "").strip()[:300]
        terms = order.cancellation_terms(party, now, self.policy.cancellation)
        if order.status is OrderStatus.ACCEPTED:
            assert order.payment is not None and terms is not None and terms.refund is not None
            amount = terms.refund
            refund = None
            key = gateway_key(order.id, "cancel", idempotency_key)
            if amount.amount > 0:
                refund = _refund(self.orders, self.gateway, order, amount, reason or "cancelación", now=now, key=key)
                order = self.orders.get(order.id) or order  # with its reservation, as saved

            def cancel_after_capture(current: Order) -> None:
                if refund is not None:
                    current.settle_refund(key, refund, actor_id=actor.user_id, party=party, now=now)
                current.cancel_after_capture(actor_id=actor.user_id, party=party, now=now, note=reason, refund=amount)

            return _land(self.orders, order, Action.CANCEL, party, settled=frozenset({OrderStatus.CANCELLED}),
                         apply=cancel_after_capture)
        status = None
        if order.payment is not None:
            status = self.gateway.void(seller_id=order.seller_id, payment_id=order.payment.payment_id).status.value
        return _land(self.orders, order, Action.CANCEL, party, settled=RELEASED, apply=lambda current: current.void(
            Action.CANCEL, actor_id=actor.user_id, party=party, now=now, note=reason, payment_status=status))


def _refund(orders: OrderRepository, gateway: PaymentGateway, order: Order, amount: Money, reason: str, *,
            key: str, now: datetime) -> RefundRecord:
    """Reserve the amount on the order (the ceiling is checked there, under the order's version),
    then refund at the gateway with the commission's share; the caller settles the reservation with
    the record this returns. A refusal releases the reservation; an unknown outcome (the gateway
    unreachable) keeps it, for the client's retry with the same key to finish."""
    def reserve(current: Order) -> bool:
        known = len(current.refunds)
        current.reserve_refund(key, amount, reason, now)
        return len(current.refunds) > known

    reserved = _with_retries(orders, lambda: orders.get(order.id), reserve, first=order)
    assert reserved is not None and reserved.payment is not None
    held = next(r for r in reserved.refunds if r.refund_id == RESERVATION_PREFIX + key)
    try:
        refund = gateway.refund(seller_id=reserved.seller_id, payment_id=reserved.payment.payment_id, amount=amount,
                                app_fee=held.app_fee, idempotency_key=key, reason=reason[:192])
    except DependencyUnavailable:
        raise
    except DomainError:
        _with_retries(orders, lambda: orders.get(order.id), lambda current: current.release_refund(key))
        raise
    return RefundRecord(refund_id=refund.refund_id, amount=refund.amount, app_fee=refund.app_fee,
                        status=refund.status.value, reason=reason, created_at=now)


@dataclass(frozen=True)
class RefundOrder:
    """A partial or full refund by the seller or support; several may follow each other, never
    more in all than was captured, each giving back its share of the commission."""

    orders: OrderRepository
    gateway: PaymentGateway
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, amount: Money | None, reason: str,
                idempotency_key: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        if party not in (Party.SELLER, Party.STAFF):
            raise PartyNotAllowed("only the seller or support can refund an order")
        if order.captured is None:
            raise ActionNotAllowed("only a captured payment can be refunded")
        amount = amount or order.refundable()
        now = self.clock.now()
        key = gateway_key(order.id, "refund", idempotency_key)
        refund = _refund(self.orders, self.gateway, order, amount, (reason or "").strip()[:300], now=now, key=key)

        def record(current: Order) -> bool:
            # Square's refund.updated may have recorded this refund already (add_refund ignores a known id).
            before = [(r.refund_id, r.status) for r in current.refunds]
            current.settle_refund(key, refund, actor_id=actor.user_id, party=party, now=now)
            return [(r.refund_id, r.status) for r in current.refunds] != before

        landed = _with_retries(self.orders, lambda: self.orders.get(order_id), record)
        assert landed is not None
        return landed


@dataclass(frozen=True)
class IssueInvoice:
    """The paid job's invoice is Square's receipt of the captured payment: it shows the job paid,
    and asks for nothing. A Square invoice would be a new bill for money already taken (Square's
    invoices are requests for payment of an unpaid order), so none is created for a paid job."""

    orders: OrderRepository
    gateway: PaymentGateway
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, idempotency_key: str) -> Order:
        order, party = _load(self.orders, actor, order_id)
        if party not in (Party.SELLER, Party.STAFF):
            raise PartyNotAllowed("only the seller issues the invoice")
        if order.invoice is not None:
            return order
        if order.status not in AFTER_CAPTURE or order.payment is None:
            raise ActionNotAllowed("an invoice is issued once the order is accepted")
        payment = self.gateway.get_payment(seller_id=order.seller_id, payment_id=order.payment.payment_id)
        if payment.status is not PaymentStatus.COMPLETED or payment.receipt_url is None:
            raise ActionNotAllowed("the payment has not been charged yet; the receipt comes with the charge")
        now = self.clock.now()

        def record(current: Order) -> bool:
            if current.invoice is not None:
                return False
            current.record_invoice(InvoiceRecord(invoice_id=payment.receipt_number or payment.payment_id,
                                                 status=InvoiceStatus.PAID.value, public_url=payment.receipt_url,
                                                 issued_at=now), actor_id=actor.user_id, party=party, now=now)
            return True

        landed = _with_retries(self.orders, lambda: self.orders.get(order_id), record, first=order)
        assert landed is not None
        return landed


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
# What a side may do beyond the state machine's transitions: money moves on a captured order.
EXTRA_ACTIONS = ("refund", "invoice")


@dataclass(frozen=True)
class OrderView:
    order: Order
    viewer: Party
    # The other side's contact details, shown once the seller has accepted the job.
    counterpart: Contact | None = None
    # What the viewer may do now, as the server would accept it: clients show these, never a copy of the rules.
    actions: tuple[str, ...] = ()
    # What cancelling now would give back to this viewer, by the policy; None when they cannot cancel.
    cancellation: CancellationTerms | None = None
    policy: CancellationPolicy | None = None


def _actions(order: Order, party: Party, now: datetime, policy: OrderPolicy) -> tuple[str, ...]:
    actions = [action.value for action in order.actions_for(party, now, policy.earliest_start_before_slot)]
    if party in (Party.SELLER, Party.STAFF) and order.captured is not None:
        if order.refundable().amount > 0:
            actions.append("refund")
        if order.invoice is None:
            actions.append("invoice")
    return tuple(actions)


@dataclass(frozen=True)
class GetOrder:
    orders: OrderRepository
    people: People
    policy: OrderPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> OrderView:
        order, _ = _load(self.orders, actor, order_id)
        return self.view(order, actor)

    def view(self, order: Order, actor: Actor) -> OrderView:
        """The order as ``actor``'s side sees it now: the answer to a read and to each action alike."""
        party = order.party_of(actor)
        counterpart = None
        if order.status in AFTER_CAPTURE and party is not Party.STAFF:
            counterpart = self.people.contact(order.seller_id if party is Party.BUYER else order.buyer_id)
        terms = order.cancellation_terms(party, self.clock.now(), self.policy.cancellation)
        return OrderView(order=order, viewer=party, counterpart=counterpart,
                         actions=_actions(order, party, self.clock.now(), self.policy), cancellation=terms,
                         policy=self.policy.cancellation)


@dataclass(frozen=True)
class IsPartyToOrder:
    """For other contexts: whether the person is the order's buyer or seller (staff are not)."""

    orders: OrderRepository

    def execute(self, order_id: str, user_id: str) -> bool:
        order = self.orders.get(order_id)
        return order is not None and user_id in (order.buyer_id, order.seller_id)


@dataclass(frozen=True)
class BookingTerms:
    """What a booking would cost and what cancelling it would give back, shown before paying."""

    breakdown: Breakdown | None  # None for a service priced by quote
    policy: CancellationPolicy
    full_refund_until: datetime | None  # for the slot asked about


@dataclass(frozen=True)
class GetBookingTerms:
    catalog: ServiceCatalog
    policy: OrderPolicy

    def execute(self, service_id: str, *, start: datetime | None = None,
                duration_minutes: int | None = None) -> BookingTerms:
        service = self.catalog.bookable_service(service_id)
        breakdown = None
        if service.price_model is not PriceModel.QUOTE and service.price is not None:
            minutes = service.duration_minutes
            if service.price_model is PriceModel.HOURLY and duration_minutes is not None:
                if duration_minutes % 15 or not 15 <= duration_minutes <= MAX_HOURLY_MINUTES:
                    raise InvalidInput(f"duration must be 15 to {MAX_HOURLY_MINUTES} minutes, in steps of 15",
                                       field="duration_minutes")
                minutes = duration_minutes
            subtotal = service.price if service.price_model is PriceModel.FIXED else hourly_subtotal(service.price, minutes)
            breakdown = Breakdown.of(subtotal, self.policy.fees)
        policy = self.policy.cancellation
        full_until = _to_utc(start) - policy.full_refund_before if start is not None else None
        return BookingTerms(breakdown=breakdown, policy=policy, full_refund_until=full_until)


@dataclass(frozen=True)
class ListMyOrders:
    orders: OrderRepository

    def execute(self, actor: Actor, *, role: str, statuses: list[OrderStatus], page: PageRequest) -> Page[Order]:
        if role == "seller":
            actor.ensure_role(Role.SELLER)
            return self.orders.list_for(seller_id=actor.user_id, statuses=statuses or None, page=page)
        if role == "buyer":
            return self.orders.list_for(buyer_id=actor.user_id, statuses=statuses or None, page=page)
        raise InvalidInput("role must be buyer or seller", field="role")


# ---------------------------------------------------------------------------------------------
# Timers
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunDueTimers:
    """One pass of the scheduler: act on every order whose deadline has passed. Each order is
    leased atomically first, so two schedulers never act on the same one; a failed action keeps
    its lease until it lapses and is retried then."""

    orders: OrderRepository
    gateway: PaymentGateway
    policy: OrderPolicy
    clock: Clock
    completed_jobs: CompletedJobs
    uow: UnitOfWork

    def execute(self, owner: str, *, limit: int = 100) -> int:
        acted = 0
        for _ in range(limit):
            now = self.clock.now()
            order_id = self.orders.claim_due(now=now, lease=self.policy.scheduler_lease, owner=owner)
            if order_id is None:
                break
            try:
                acted += self._act(order_id, now)
            except DomainError as error:
                log.warning("timer of order %s not applied yet: %s", order_id, error)
        return acted

    def _act(self, order_id: str, now: datetime) -> int:
        order = self.orders.get(order_id)
        if order is None or order.deadline is None or order.deadline.at > now:
            return 0
        action = DEADLINE_ACTIONS[order.deadline.kind]
        if not order.can(action, Party.SYSTEM):
            order.deadline = None  # a stale deadline of a state the order has left
            self.orders.save(order)
            return 0
        if order.deadline.kind is DeadlineKind.PAYMENT:
            order.expire(actor_id=SYSTEM, now=now)
        elif order.deadline.kind is DeadlineKind.SELLER_RESPONSE:
            assert order.payment is not None
            status = self.gateway.void(seller_id=order.seller_id, payment_id=order.payment.payment_id).status.value
            order.void(Action.SELLER_TIMEOUT, actor_id=SYSTEM, party=Party.SYSTEM, now=now,
                       note="el profesional no respondió a tiempo", payment_status=status)
        else:
            order.complete(Action.AUTO_COMPLETE, actor_id=SYSTEM, party=Party.SYSTEM, now=now)
            _save_completed(self.orders, self.completed_jobs, self.uow, order)
            return 1
        self.orders.save(order)
        return 1


# ---------------------------------------------------------------------------------------------
# Updates from the payment gateway (webhooks), safe in any order and any number of times
# ---------------------------------------------------------------------------------------------
PAYMENT_RANK = {PaymentStatus.APPROVED.value: 0, PaymentStatus.COMPLETED.value: 1,
                PaymentStatus.CANCELED.value: 1, PaymentStatus.FAILED.value: 1}
INVOICE_RANK = {"DRAFT": 0, "UNPAID": 1, "SCHEDULED": 1, "PARTIALLY_PAID": 2, "PAID": 3, "REFUNDED": 4,
                "CANCELED": 4}
RETRIES = 3


def _with_retries(orders: OrderRepository, find: Callable[[], Order | None],
                  change: Callable[[Order], bool], *, first: Order | None = None) -> Order | None:
    """Re-read and re-apply on a concurrent change: a webhook must land whatever else happens.
    ``first`` is an order the caller has just read, used before reading again."""
    for attempt in range(RETRIES):
        order = first if attempt == 0 and first is not None else find()
        if order is None:
            return None
        if not change(order):
            return order
        try:
            orders.save(order)
            return order
        except ConcurrentOrderChange:
            if attempt == RETRIES - 1:
                raise
    return None


def _read_back(read: Callable[[], T]) -> T | None:
    """What the gateway says now of an object a webhook named. A webhook is news, not a fact: a signed
    payment.updated once said COMPLETED while Square still only held the card, and the order was
    accepted. None when the seller's account does not know it (or no longer lets us ask): nothing is
    done. Unreachable raises, so the webhook is refused and Square delivers it again."""
    try:
        return read()
    except (NotFound, SellerCannotTakePayments) as error:
        log.warning("webhook news not confirmed by the gateway, ignored: %s", error)
        return None


@dataclass(frozen=True)
class ApplyPaymentUpdate:
    """Square's news of a payment. ``status`` and ``amount`` are what the news said; the order moves
    only on what the gateway says when asked."""

    orders: OrderRepository
    policy: OrderPolicy
    gateway: PaymentGateway

    def execute(self, *, payment_id: str, status: str, amount: Money, occurred_at: datetime) -> Order | None:
        order = self.orders.find_by_payment_id(payment_id)
        if order is None:
            return None
        current = _read_back(lambda: self.gateway.get_payment(seller_id=order.seller_id, payment_id=payment_id))
        if current is None:
            return order
        status, amount = current.status.value, current.amount

        def change(order: Order) -> bool:
            payment = order.payment
            assert payment is not None
            if amount != payment.amount:
                order.note(occurred_at, f"aviso de pago con importe {amount.amount} {amount.currency} distinto "
                                        f"del pedido; ignorado")
                return True
            if PAYMENT_RANK.get(status, -1) <= PAYMENT_RANK.get(payment.status, -1):
                return False  # old news, or a replay
            payment.status = status
            if status == PaymentStatus.COMPLETED.value and order.status is OrderStatus.AUTHORIZED:
                # The capture went through but its answer never reached us.
                order.accept(actor_id=SYSTEM, party=Party.SYSTEM, now=occurred_at, timers=self.policy.timers,
                             payment_status=status)
            elif status in (PaymentStatus.CANCELED.value, PaymentStatus.FAILED.value) and \
                    order.status is OrderStatus.AUTHORIZED:
                order.void(Action.HOLD_CANCELED, actor_id=SYSTEM, party=Party.SYSTEM, now=occurred_at,
                           note=f"el pago pasó a {status}", payment_status=status)
            return True

        return _with_retries(self.orders, lambda: self.orders.find_by_payment_id(payment_id), change, first=order)


@dataclass(frozen=True)
class ApplyRefundUpdate:
    """Square's news of a refund, acted on as the gateway tells it when asked (see ApplyPaymentUpdate)."""

    orders: OrderRepository
    gateway: PaymentGateway

    def execute(self, *, refund_id: str, payment_id: str, status: str, amount: Money,
                occurred_at: datetime) -> Order | None:
        order = self.orders.find_by_payment_id(payment_id)
        if order is None:
            return None
        current = _read_back(lambda: self.gateway.get_refund(seller_id=order.seller_id, refund_id=refund_id))
        if current is None or current.payment_id != payment_id:
            return order  # unknown, or a refund of another payment named as this one's
        status, amount = current.status.value, current.amount

        def change(order: Order) -> bool:
            known = next((r for r in order.refunds if r.refund_id == refund_id), None)
            if known is not None:
                if known.amount != amount:
                    order.note(occurred_at, f"aviso de reembolso {refund_id} con importe distinto; ignorado")
                    return True
                return order.update_refund(refund_id, status, occurred_at)
            if status not in (RefundStatus.PENDING.value, RefundStatus.COMPLETED.value):
                return False
            try:
                # A refund made outside the marketplace (the seller's Square dashboard).
                fee_share = order.fee_share_for(amount)
            except DomainError:
                order.note(occurred_at, f"aviso de reembolso {refund_id} que supera lo cobrado; ignorado")
                return True
            order.add_refund(RefundRecord(refund_id=refund_id, amount=amount, app_fee=fee_share, status=status,
                                          reason="reembolso desde Square", created_at=occurred_at),
                             actor_id=SYSTEM, party=Party.SYSTEM, now=occurred_at)
            return True

        return _with_retries(self.orders, lambda: self.orders.find_by_payment_id(payment_id), change, first=order)


@dataclass(frozen=True)
class ApplyInvoiceUpdate:
    """Square's news of an invoice, acted on as the gateway tells it when asked (see ApplyPaymentUpdate)."""

    orders: OrderRepository
    gateway: PaymentGateway

    def execute(self, *, invoice_id: str, status: str, occurred_at: datetime) -> Order | None:
        order = self.orders.find_by_invoice_id(invoice_id)
        if order is None:
            return None
        current = _read_back(lambda: self.gateway.get_invoice(seller_id=order.seller_id, invoice_id=invoice_id))
        if current is None:
            return order
        status = current.status.value

        def change(order: Order) -> bool:
            invoice = order.invoice
            assert invoice is not None
            if INVOICE_RANK.get(status, -1) <= INVOICE_RANK.get(invoice.status, -1):
                return False
            invoice.status = status
            order.note(occurred_at, f"factura {invoice_id}: {status}")
            return True

        return _with_retries(self.orders, lambda: self.orders.find_by_invoice_id(invoice_id), change, first=order)


# -- A person leaving (issue #12) ------------------------------------------------------------------

def _orders_of(orders: OrderRepository, person_id: str) -> list[Order]:
    """Every order the person bought or sold."""
    return (every_item(lambda page: orders.list_for(buyer_id=person_id, page=page))
            + every_item(lambda page: orders.list_for(seller_id=person_id, page=page)))


@dataclass(frozen=True)
class FindErasureBlockers:
    """Why the person cannot delete their account yet: one blocker per open order or pending
    payment (the accounts context asks before deleting)."""

    orders: OrderRepository

    def execute(self, person_id: str) -> list[ErasureBlocker]:
        return [blocker for order in _orders_of(self.orders, person_id)
                if (blocker := erasure.erasure_blocker(order)) is not None]


@dataclass(frozen=True)
class FindSellersMoneyInFlight:
    """The seller's orders whose payment still lives at the gateway (held, charged for a job not
    yet done, or being refunded): the payments context refuses to switch accounts while any does."""

    orders: OrderRepository

    def execute(self, seller_id: str) -> list[str]:
        return [order.id for order in every_item(lambda page: self.orders.list_for(seller_id=seller_id, page=page))
                if order.money_in_flight]


@dataclass(frozen=True)
class EraseOrderPersonalData:
    """On ``account.deleted``: the orders stay as records, the person's free text goes (and a
    seller's notes on their time off). Naturally idempotent: what is erased is not saved again."""

    orders: OrderRepository
    schedules: ScheduleRepository

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        changed = 0
        schedule = self.schedules.get(person_id)
        if schedule is not None and erasure.erase_time_off_notes(schedule):
            self.schedules.save(schedule)
            changed += 1
        for listed in _orders_of(self.orders, person_id):
            # Read whole: a listed order comes without its timeline, and saving it would drop the history.
            order = self.orders.get(listed.id)
            if order is not None and erasure.erase_person(order, person_id):
                self.orders.save(order)
                changed += 1
        return changed


# ---------------------------------------------------------------------------------------------
# The person's own data, for the privacy context's export
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderRecord:
    order: Order
    party: Party  # the person's side in it
    # The seller's name, for the buyer's copy; the buyer is never named in the seller's copy.
    seller_name: str | None = None


@dataclass(frozen=True)
class OrdersData:
    orders: list[OrderRecord]
    schedule: SellerSchedule | None


@dataclass(frozen=True)
class ExportOrdersData:
    orders: OrderRepository
    schedules: ScheduleRepository
    people: People

    def execute(self, user_id: str) -> OrdersData:
        bought = every_item(lambda page: self.orders.list_for(buyer_id=user_id, page=page, with_timeline=True))
        sold = every_item(lambda page: self.orders.list_for(seller_id=user_id, page=page, with_timeline=True))
        names: dict[str, str | None] = {}

        def seller_name(seller_id: str) -> str | None:
            if seller_id not in names:
                contact = self.people.contact(seller_id)
                names[seller_id] = contact.name if contact else None
            return names[seller_id]

        records = [OrderRecord(order, Party.BUYER, seller_name(order.seller_id)) for order in bought]
        records += [OrderRecord(order, Party.SELLER) for order in sold]
        return OrdersData(orders=records, schedule=self.schedules.get(user_id))
