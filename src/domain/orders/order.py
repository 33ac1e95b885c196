"""The order aggregate: an explicit state machine of (state, action, party) -> state, the money
it carries, its timeline and the one deadline a timer watches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.orders.errors import (
    ActionNotAllowed,
    CannotBookOwnService,
    PartyNotAllowed,
    RefundTooLarge,
    TooEarlyToStart,
)
from domain.orders.pricing import Breakdown, CancellationPolicy, FeePolicy, PriceModel, proportional_fee
from domain.shared.access import Actor
from domain.shared.errors import InvalidInput, NotFound
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.money import Money

TOPIC = "marketplace.events"
RESERVATION_UNIT = timedelta(minutes=15)
MAX_ADDRESS = 300
MAX_NOTES = 1000
# A professional may arrive a little before the booked time (agreed with the buyer at the door); a
# job started days before its slot is not being done, and completing it would release the money early.
START_EARLIEST_BEFORE_SLOT = timedelta(hours=2)


class OrderStatus(StrEnum):
    QUOTE_REQUESTED = "quote_requested"
    QUOTE_OFFERED = "quote_offered"
    QUOTE_REJECTED = "quote_rejected"
    PENDING_PAYMENT = "pending_payment"
    AUTHORIZED = "authorized"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Action(StrEnum):
    OFFER_QUOTE = "offer_quote"
    ACCEPT_QUOTE = "accept_quote"
    REJECT_QUOTE = "reject_quote"
    AUTHORIZE = "authorize"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"
    EXPIRE = "expire"
    SELLER_TIMEOUT = "seller_timeout"
    AUTO_COMPLETE = "auto_complete"
    HOLD_CANCELED = "hold_canceled"


class Party(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    STAFF = "staff"
    SYSTEM = "system"


S, A, P = OrderStatus, Action, Party

# The whole life of an order. Anything not listed here is refused.
TRANSITIONS: dict[tuple[OrderStatus, Action], tuple[OrderStatus, frozenset[Party]]] = {
    (S.QUOTE_REQUESTED, A.OFFER_QUOTE): (S.QUOTE_OFFERED, frozenset({P.SELLER})),
    (S.QUOTE_REQUESTED, A.CANCEL): (S.CANCELLED, frozenset({P.BUYER, P.STAFF})),
    (S.QUOTE_REQUESTED, A.DECLINE): (S.DECLINED, frozenset({P.SELLER})),
    (S.QUOTE_OFFERED, A.OFFER_QUOTE): (S.QUOTE_OFFERED, frozenset({P.SELLER})),
    (S.QUOTE_OFFERED, A.ACCEPT_QUOTE): (S.PENDING_PAYMENT, frozenset({P.BUYER})),
    (S.QUOTE_OFFERED, A.REJECT_QUOTE): (S.QUOTE_REJECTED, frozenset({P.BUYER})),
    (S.QUOTE_OFFERED, A.CANCEL): (S.CANCELLED, frozenset({P.BUYER, P.STAFF})),
    (S.PENDING_PAYMENT, A.AUTHORIZE): (S.AUTHORIZED, frozenset({P.BUYER, P.SYSTEM})),
    (S.PENDING_PAYMENT, A.CANCEL): (S.CANCELLED, frozenset({P.BUYER, P.STAFF})),
    (S.PENDING_PAYMENT, A.EXPIRE): (S.EXPIRED, frozenset({P.SYSTEM})),
    (S.AUTHORIZED, A.ACCEPT): (S.ACCEPTED, frozenset({P.SELLER, P.SYSTEM})),
    (S.AUTHORIZED, A.DECLINE): (S.DECLINED, frozenset({P.SELLER})),
    (S.AUTHORIZED, A.CANCEL): (S.CANCELLED, frozenset({P.BUYER, P.STAFF})),
    (S.AUTHORIZED, A.SELLER_TIMEOUT): (S.EXPIRED, frozenset({P.SYSTEM})),
    (S.AUTHORIZED, A.HOLD_CANCELED): (S.CANCELLED, frozenset({P.SYSTEM})),
    (S.ACCEPTED, A.START): (S.IN_PROGRESS, frozenset({P.SELLER})),
    (S.ACCEPTED, A.CANCEL): (S.CANCELLED, frozenset({P.BUYER, P.SELLER, P.STAFF})),
    (S.ACCEPTED, A.AUTO_COMPLETE): (S.COMPLETED, frozenset({P.SYSTEM})),
    (S.IN_PROGRESS, A.COMPLETE): (S.COMPLETED, frozenset({P.BUYER, P.SELLER})),
    (S.IN_PROGRESS, A.AUTO_COMPLETE): (S.COMPLETED, frozenset({P.SYSTEM})),
}

# Taken by the scheduler or by Square's news, never offered to a person.
SYSTEM_ONLY = frozenset({A.EXPIRE, A.SELLER_TIMEOUT, A.AUTO_COMPLETE, A.HOLD_CANCELED})

# States whose slot is held in the reservations; leaving them for one of RELEASING frees it.
HOLDS_SLOT = frozenset({S.PENDING_PAYMENT, S.AUTHORIZED, S.ACCEPTED, S.IN_PROGRESS})
RELEASING = frozenset({S.DECLINED, S.CANCELLED, S.EXPIRED})
AFTER_CAPTURE = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED})

# Every kind of timeline entry: the state machine's actions and the entries that move no state. Pages
# give each kind its own words (the API publishes this list as an enum), so a kind is added here first.
TIMELINE_KINDS: tuple[str, ...] = tuple(a.value for a in Action) + (
    "book", "request_quote", "refund", "refund_update", "invoice", "note")

EVENT_NAMES = {
    A.OFFER_QUOTE: ("quote.offered", "Tienes un presupuesto", "El profesional te ha enviado un presupuesto."),
    A.ACCEPT_QUOTE: ("quote.accepted", "Presupuesto aceptado", "El cliente ha aceptado tu presupuesto."),
    A.REJECT_QUOTE: ("quote.rejected", "Presupuesto rechazado", "El cliente ha rechazado tu presupuesto."),
    A.AUTHORIZE: ("order.paid", "Nueva reserva pagada", "El pago está retenido; acepta o rechaza el trabajo."),
    A.ACCEPT: ("order.accepted", "Reserva aceptada", "El profesional ha aceptado tu reserva."),
    A.DECLINE: ("order.declined", "Reserva rechazada", "El profesional no puede hacer el trabajo; no se te cobra."),
    A.START: ("order.started", "Trabajo empezado", "El profesional ha empezado el trabajo."),
    A.COMPLETE: ("order.completed", "Trabajo terminado", "El trabajo se ha marcado como terminado."),
    A.AUTO_COMPLETE: ("order.completed", "Trabajo terminado", "El trabajo se ha dado por terminado."),
    A.CANCEL: ("order.cancelled", "Reserva cancelada", "La reserva se ha cancelado."),
    A.EXPIRE: ("order.expired", "Reserva caducada", "La reserva no se pagó a tiempo y se ha liberado."),
    A.SELLER_TIMEOUT: ("order.expired", "Reserva caducada", "El profesional no respondió; no se te cobra."),
    A.HOLD_CANCELED: ("order.cancelled", "Reserva cancelada", "La retención del pago se canceló."),
}


class DeadlineKind(StrEnum):
    PAYMENT = "payment"  # pending_payment expires
    SELLER_RESPONSE = "seller_response"  # authorized, the seller has not answered: void
    AUTO_COMPLETE = "auto_complete"  # accepted / in progress, the slot ended long enough ago


DEADLINE_ACTIONS = {DeadlineKind.PAYMENT: A.EXPIRE, DeadlineKind.SELLER_RESPONSE: A.SELLER_TIMEOUT,
                    DeadlineKind.AUTO_COMPLETE: A.AUTO_COMPLETE}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    at: datetime


@dataclass(frozen=True)
class OrderTimers:
    payment_window: timedelta
    seller_response_window: timedelta
    auto_complete_after: timedelta


@dataclass(frozen=True)
class ServiceSnapshot:
    """The service as it was when booked: later edits of the listing do not change the order."""

    service_id: str
    seller_id: str
    title: str
    price_model: PriceModel
    price: Money | None
    duration_minutes: int


@dataclass(frozen=True)
class Quote:
    price: Money
    message: str
    offered_at: datetime
    revision: int


@dataclass
class PaymentRecord:
    payment_id: str
    status: str
    amount: Money
    app_fee: Money
    card_brand: str | None = None
    card_last4: str | None = None


@dataclass
class RefundRecord:
    refund_id: str
    amount: Money
    app_fee: Money
    status: str
    reason: str
    created_at: datetime

    @property
    def counts(self) -> bool:
        return self.status not in ("REJECTED", "FAILED")


# A refund the marketplace is asking the gateway for: it counts against what can still be refunded.
RESERVED = "RESERVED"
RESERVATION_PREFIX = "reserved:"


@dataclass
class InvoiceRecord:
    invoice_id: str
    status: str
    public_url: str | None
    issued_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor_id: str
    party: Party
    from_status: OrderStatus | None
    to_status: OrderStatus
    action: str
    # What a person wrote (a reason), or a system remark for support; never where an amount is told:
    note: str = ""
    # the money the step moved (held, charged, refunded, quoted), so pages can say it in words.
    amount: Money | None = None


@dataclass(frozen=True)
class CancellationTerms:
    """What cancelling right now would do to the money, as the policy decides it for that side."""

    charged: Money | None  # what has been charged and not yet refunded; None before capture
    refund: Money | None  # what would go back to the card; None before capture
    held: Money | None  # a card hold that would be released, nothing charged
    full_refund_until: datetime | None  # until when a buyer gets everything back
    late_refund_percent: int

    @property
    def kept(self) -> Money | None:
        return self.charged - self.refund if self.charged is not None and self.refund is not None else None


def clean_text(value: str | None, *, field_name: str, maximum: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field_name} must not be empty", field=field_name)
    if len(text) > maximum:
        raise InvalidInput(f"{field_name} must have at most {maximum} characters", field=field_name)
    return text


def reservation_units(start: datetime, end: datetime, buffer: timedelta) -> list[datetime]:
    """The 15-minute units a job holds: its own time plus its trailing buffer. Each job carries
    its buffer after it, so two jobs that hold disjoint units are at least one buffer apart."""
    unit = RESERVATION_UNIT
    epoch = datetime(1970, 1, 1, tzinfo=start.tzinfo)
    first = epoch + ((start - epoch) // unit) * unit
    stop = end + buffer
    units = []
    current = first
    while current < stop:
        units.append(current)
        current += unit
    return units


@dataclass
class Order(RecordsEvents):
    id: str
    buyer_id: str
    service: ServiceSnapshot
    slot_start: datetime
    slot_end: datetime
    time_zone: str
    buffer_minutes: int
    address: str
    notes: str
    status: OrderStatus
    created_at: datetime
    breakdown: Breakdown | None = None
    quote_request: str = ""
    quote: Quote | None = None
    payment: PaymentRecord | None = None
    captured: Money | None = None
    refunds: list[RefundRecord] = field(default_factory=list)
    invoice: InvoiceRecord | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    deadline: Deadline | None = None
    version: int = 0
    # "reserve" or "release": what the repository must do to the slot's units with this save.
    slot_change: str | None = None

    @property
    def seller_id(self) -> str:
        return self.service.seller_id

    @property
    def units(self) -> list[datetime]:
        return reservation_units(self.slot_start, self.slot_end, timedelta(minutes=self.buffer_minutes))

    # ---- creation -------------------------------------------------------------------------
    @classmethod
    def book(cls, *, order_id: str, buyer_id: str, service: ServiceSnapshot, slot_start: datetime,
             slot_end: datetime, time_zone: str, buffer_minutes: int, address: str, notes: str,
             breakdown: Breakdown, now: datetime, timers: OrderTimers) -> Order:
        order = cls._new(order_id=order_id, buyer_id=buyer_id, service=service, slot_start=slot_start,
                         slot_end=slot_end, time_zone=time_zone, buffer_minutes=buffer_minutes, address=address,
                         notes=notes, status=S.PENDING_PAYMENT, now=now)
        order.breakdown = breakdown
        order.slot_change = "reserve"
        order.deadline = Deadline(DeadlineKind.PAYMENT, now + timers.payment_window)
        order._note(now, buyer_id, P.BUYER, None, S.PENDING_PAYMENT, "book", "reserva creada; pendiente de pago")
        order._event("order.booked", now, [order.seller_id], "Nueva reserva", "Un cliente ha reservado; pendiente de pago.")
        return order

    @classmethod
    def request_quote(cls, *, order_id: str, buyer_id: str, service: ServiceSnapshot, slot_start: datetime,
                      slot_end: datetime, time_zone: str, buffer_minutes: int, address: str, notes: str,
                      message: str, now: datetime) -> Order:
        order = cls._new(order_id=order_id, buyer_id=buyer_id, service=service, slot_start=slot_start,
                         slot_end=slot_end, time_zone=time_zone, buffer_minutes=buffer_minutes, address=address,
                         notes=notes, status=S.QUOTE_REQUESTED, now=now)
        order.quote_request = clean_text(message, field_name="message", maximum=MAX_NOTES, required=True)
        order._note(now, buyer_id, P.BUYER, None, S.QUOTE_REQUESTED, "request_quote", "presupuesto solicitado")
        order._event("quote.requested", now, [order.seller_id], "Piden un presupuesto",
                     "Un cliente te pide un presupuesto.")
        return order

    @classmethod
    def _new(cls, *, order_id: str, buyer_id: str, service: ServiceSnapshot, slot_start: datetime,
             slot_end: datetime, time_zone: str, buffer_minutes: int, address: str, notes: str,
             status: OrderStatus, now: datetime) -> Order:
        if buyer_id == service.seller_id:
            raise CannotBookOwnService()
        return cls(id=order_id, buyer_id=buyer_id, service=service, slot_start=slot_start, slot_end=slot_end,
                   time_zone=time_zone, buffer_minutes=buffer_minutes,
                   address=clean_text(address, field_name="address", maximum=MAX_ADDRESS, required=True),
                   notes=clean_text(notes, field_name="notes", maximum=MAX_NOTES), status=status, created_at=now)

    # ---- who is asking ------------------------------------------------------------------------
    def party_of(self, actor: Actor) -> Party:
        """The actor's side in this order. Someone with no part in it must not learn it exists."""
        if actor.user_id == self.buyer_id:
            return P.BUYER
        if actor.user_id == self.seller_id:
            return P.SELLER
        if actor.is_staff:
            return P.STAFF
        raise NotFound("order not found")

    # ---- the state machine ----------------------------------------------------------------------
    def can(self, action: Action, party: Party) -> bool:
        rule = TRANSITIONS.get((self.status, action))
        return rule is not None and party in rule[1]

    def actions_for(self, party: Party, now: datetime,
                    earliest_before: timedelta = START_EARLIEST_BEFORE_SLOT) -> list[Action]:
        """What ``party`` may do to the order now, in the table's order: the state machine's rules
        plus the time rules, so a client shows exactly the buttons the server would accept."""
        allowed = [action for (status, action), (_, parties) in TRANSITIONS.items()
                   if status is self.status and party in parties and action not in SYSTEM_ONLY]
        if A.START in allowed and now < self.earliest_start(earliest_before):
            allowed.remove(A.START)
        return allowed

    def check(self, action: Action, party: Party) -> OrderStatus:
        """The state ``action`` leads to; raises when the state or the party does not allow it."""
        rule = TRANSITIONS.get((self.status, action))
        if rule is None:
            raise ActionNotAllowed(f"an order that is {self.status.value} cannot be {_verb(action)}")
        target, parties = rule
        if party not in parties:
            raise PartyNotAllowed(f"the {party.value} cannot {action.value.replace('_', ' ')} this order")
        return target

    def _apply(self, action: Action, party: Party, actor_id: str, now: datetime, note: str = "",
               amount: Money | None = None) -> None:
        target = self.check(action, party)
        source = self.status
        self.status = target
        if target in RELEASING and source in HOLDS_SLOT:
            self.slot_change = "release"
        if target not in HOLDS_SLOT:
            self.deadline = None
        self._note(now, actor_id, party, source, target, action.value, note, amount)
        name, title, body = EVENT_NAMES[action]
        recipients = [uid for uid in (self.buyer_id, self.seller_id) if uid != actor_id]
        self._event(name, now, recipients, title, body)

    def offer_quote(self, price: Money, message: str, *, actor_id: str, party: Party, now: datetime,
                    fee_policy: FeePolicy) -> None:
        revision = self.quote.revision + 1 if self.quote else 1
        if self.quote and price.currency != self.quote.price.currency:
            raise InvalidInput("a revised quote must keep the currency", field="price")
        breakdown = Breakdown.of(price, fee_policy)
        self._apply(A.OFFER_QUOTE, party, actor_id, now, amount=price)
        self.quote = Quote(price=price, message=clean_text(message, field_name="message", maximum=MAX_NOTES),
                           offered_at=now, revision=revision)
        self.breakdown = breakdown

    def accept_quote(self, *, actor_id: str, party: Party, now: datetime, timers: OrderTimers) -> None:
        self._apply(A.ACCEPT_QUOTE, party, actor_id, now)
        self.slot_change = "reserve"
        self.deadline = Deadline(DeadlineKind.PAYMENT, now + timers.payment_window)

    def reject_quote(self, *, actor_id: str, party: Party, now: datetime, note: str = "") -> None:
        self._apply(A.REJECT_QUOTE, party, actor_id, now, note)

    def authorize(self, payment: PaymentRecord, *, actor_id: str, party: Party, now: datetime,
                  timers: OrderTimers) -> None:
        if self.breakdown is None or payment.amount != self.breakdown.subtotal:
            raise InvalidInput("the authorized amount does not match the order", field="amount")
        self._apply(A.AUTHORIZE, party, actor_id, now, amount=payment.amount)
        self.payment = payment
        self.deadline = Deadline(DeadlineKind.SELLER_RESPONSE, now + timers.seller_response_window)

    def accept(self, *, actor_id: str, party: Party, now: datetime, timers: OrderTimers, payment_status: str) -> None:
        assert self.payment is not None and self.breakdown is not None
        self._apply(A.ACCEPT, party, actor_id, now, amount=self.breakdown.subtotal)
        self.payment.status = payment_status
        self.captured = self.breakdown.subtotal
        self.deadline = Deadline(DeadlineKind.AUTO_COMPLETE, self.slot_end + timers.auto_complete_after)

    def void(self, action: Action, *, actor_id: str, party: Party, now: datetime, note: str = "",
             payment_status: str | None = None) -> None:
        """Decline, cancel before capture, or time out: whatever hold there was is gone."""
        self._apply(action, party, actor_id, now, note)
        if self.payment is not None and payment_status is not None:
            self.payment.status = payment_status

    def earliest_start(self, earliest_before: timedelta = START_EARLIEST_BEFORE_SLOT) -> datetime:
        return self.slot_start - earliest_before

    def start(self, *, actor_id: str, party: Party, now: datetime,
              earliest_before: timedelta = START_EARLIEST_BEFORE_SLOT) -> None:
        self.check(A.START, party)
        if now < self.earliest_start(earliest_before):
            raise TooEarlyToStart(f"the job can be started from {self.earliest_start(earliest_before).isoformat()}")
        self._apply(A.START, party, actor_id, now)

    def complete(self, action: Action, *, actor_id: str, party: Party, now: datetime) -> None:
        self._apply(action, party, actor_id, now)

    def cancel_after_capture(self, *, actor_id: str, party: Party, now: datetime, note: str, refund: Money) -> None:
        self._apply(A.CANCEL, party, actor_id, now, note, amount=refund)

    def cancellation_terms(self, party: Party, now: datetime, policy: CancellationPolicy) -> CancellationTerms | None:
        """What ``party`` cancelling at ``now`` would give back; None when that side cannot cancel.
        A buyer cancelling a captured order gets what the policy says; a seller or support, everything."""
        if not self.can(A.CANCEL, party):
            return None
        full_until = self.slot_start - policy.full_refund_before
        if self.status in AFTER_CAPTURE and self.captured is not None:
            refundable = self.refundable()
            refund = policy.refund_for(refundable, self.slot_start, now) if party is P.BUYER else refundable
            return CancellationTerms(charged=refundable, refund=refund, held=None, full_refund_until=full_until,
                                     late_refund_percent=policy.late_refund_percent)
        held = self.payment.amount if self.payment is not None and self.status is S.AUTHORIZED else None
        return CancellationTerms(charged=None, refund=None, held=held, full_refund_until=full_until,
                                 late_refund_percent=policy.late_refund_percent)

    def expire(self, *, actor_id: str, now: datetime) -> None:
        self._apply(A.EXPIRE, P.SYSTEM, actor_id, now, "no se pagó a tiempo")

    @property
    def money_in_flight(self) -> bool:
        """A card held, a job charged but not done, or a refund not settled: the gateway account
        that took the payment must stay reachable."""
        return self.status in (S.AUTHORIZED, S.ACCEPTED, S.IN_PROGRESS) or any(
            refund.status in (RESERVED, "PENDING") for refund in self.refunds)

    # ---- refunds and invoices ------------------------------------------------------------------
    def _priced_currency(self) -> str:
        if self.breakdown is None:
            raise ActionNotAllowed("the order has no price yet")
        return self.breakdown.subtotal.currency

    @property
    def refunded(self) -> Money:
        return sum((r.amount for r in self.refunds if r.counts), Money.zero(self._priced_currency()))

    @property
    def fee_refunded(self) -> Money:
        return sum((r.app_fee for r in self.refunds if r.counts), Money.zero(self._priced_currency()))

    def refundable(self) -> Money:
        if self.captured is None:
            raise ActionNotAllowed("only a captured payment can be refunded")
        return self.captured - self.refunded

    def fee_share_for(self, amount: Money) -> Money:
        """The commission that goes back with a refund of ``amount``, in proportion."""
        if amount.amount <= 0:
            raise InvalidInput("a refund must be positive", field="amount")
        if amount.currency != self.refundable().currency:
            raise InvalidInput(f"the order is in {self.refundable().currency}", field="amount")
        if self.refundable() < amount:
            raise RefundTooLarge(f"at most {self.refundable().amount} can still be refunded", field="amount")
        assert self.breakdown is not None and self.captured is not None
        return proportional_fee(self.breakdown.fee, self.captured, self.refunded + amount) - self.fee_refunded

    def reserve_refund(self, key: str, amount: Money, reason: str, now: datetime) -> RefundRecord:
        """Hold ``amount`` of what can still be refunded before the gateway is asked for it. Saved
        with the order's version check, so of two refunds racing for the same money one re-reads,
        finds the other's reservation counted, and is refused here rather than by Square. A retry
        with the same key finds its own reservation."""
        reservation_id = RESERVATION_PREFIX + key
        held = next((r for r in self.refunds if r.refund_id == reservation_id), None)
        if held is not None:
            if held.amount != amount:
                raise InvalidInput("this request was already made for another amount", field="amount")
            return held
        held = RefundRecord(refund_id=reservation_id, amount=amount, app_fee=self.fee_share_for(amount),
                            status=RESERVED, reason=reason, created_at=now)
        self.refunds.append(held)
        return held

    def settle_refund(self, key: str, refund: RefundRecord, *, actor_id: str, party: Party, now: datetime) -> None:
        """The gateway's refund takes the reservation's place (Square's news may have brought it already)."""
        self.refunds = [r for r in self.refunds if r.refund_id != RESERVATION_PREFIX + key]
        self.add_refund(refund, actor_id=actor_id, party=party, now=now)

    def release_refund(self, key: str) -> bool:
        """The gateway refused the refund: the money it held can be refunded again."""
        kept = [r for r in self.refunds if r.refund_id != RESERVATION_PREFIX + key]
        released = len(kept) != len(self.refunds)
        self.refunds = kept
        return released

    def add_refund(self, refund: RefundRecord, *, actor_id: str, party: Party, now: datetime) -> None:
        if any(r.refund_id == refund.refund_id for r in self.refunds):
            return
        self.refunds.append(refund)
        self._note(now, actor_id, party, self.status, self.status, "refund", refund.reason.strip(), refund.amount)
        self._event("order.refunded", now, [self.buyer_id, self.seller_id], "Reembolso",
                    f"Se ha reembolsado {spanish_amount(refund.amount)}.")

    def update_refund(self, refund_id: str, status: str, now: datetime) -> bool:
        refund = next((r for r in self.refunds if r.refund_id == refund_id), None)
        if refund is None or refund.status == status or refund.status in ("COMPLETED", "REJECTED", "FAILED"):
            return False
        refund.status = status
        self._note(now, "system", P.SYSTEM, self.status, self.status, "refund_update", status, refund.amount)
        return True

    def record_invoice(self, invoice: InvoiceRecord, *, actor_id: str, party: Party, now: datetime) -> None:
        if self.status not in AFTER_CAPTURE:
            raise ActionNotAllowed("an invoice is issued once the order is accepted")
        if party not in (P.SELLER, P.SYSTEM, P.STAFF):
            raise PartyNotAllowed("only the seller issues the invoice")
        self.invoice = invoice
        self._note(now, actor_id, party, self.status, self.status, "invoice", "")
        self._event("invoice.sent", now, [self.buyer_id], "Tienes el justificante de pago",
                    "El profesional te ha enviado el justificante del trabajo, ya pagado.")

    def note(self, now: datetime, text: str) -> None:
        """A system remark on the timeline that moves nothing (an amount that did not match...)."""
        self._note(now, "system", P.SYSTEM, self.status, self.status, "note", text)

    # ---- plumbing -----------------------------------------------------------------------------
    def _note(self, now: datetime, actor_id: str, party: Party, source: OrderStatus | None, target: OrderStatus,
              action: str, note: str, amount: Money | None = None) -> None:
        if action not in TIMELINE_KINDS:
            raise ValueError(f"timeline kind {action!r} is not in TIMELINE_KINDS")
        self.timeline.append(TimelineEntry(at=now, actor_id=actor_id, party=party, from_status=source,
                                           to_status=target, action=action, note=note, amount=amount))

    def _event(self, name: str, now: datetime, recipients: list[str], title: str, body: str) -> None:
        self.record(DomainEvent(name=name, topic=TOPIC, key=self.id, occurred_at=now,
                                payload={"order_id": self.id, "recipient_ids": recipients or [self.buyer_id],
                                         "title": title, "body": body, "status": self.status.value,
                                         "service_title": self.service.title}))


def spanish_amount(money: Money) -> str:
    """An amount as a notification's Spanish text writes it: "40 €", "40,50 €", "1234,50 USD"."""
    whole, cents = divmod(money.amount, 100)
    digits = f"{whole:,}".replace(",", ".") if whole >= 10_000 else str(whole)
    number = digits if cents == 0 else f"{digits},{cents:02d}"
    return f"{number} €" if money.currency == "EUR" else f"{number} {money.currency}"


def _verb(action: Action) -> str:
    return {A.ACCEPT: "accepted", A.DECLINE: "declined", A.START: "started", A.COMPLETE: "completed",
            A.CANCEL: "cancelled", A.AUTHORIZE: "paid", A.EXPIRE: "expired", A.OFFER_QUOTE: "quoted",
            A.ACCEPT_QUOTE: "moved on by accepting the quote", A.REJECT_QUOTE: "rejected",
            A.AUTO_COMPLETE: "completed", A.SELLER_TIMEOUT: "timed out",
            A.HOLD_CANCELED: "cancelled"}[action]
