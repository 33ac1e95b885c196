"""The order's life: every (state, action, party) the business allows, and that nothing else is."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from domain.orders.errors import ActionNotAllowed, CannotBookOwnService, PartyNotAllowed, TooEarlyToStart
from domain.orders.order import (
    SYSTEM_ONLY,
    Action,
    DeadlineKind,
    Order,
    OrderStatus,
    OrderTimers,
    Party,
    PaymentRecord,
    ServiceSnapshot,
    reservation_units,
)
from domain.orders.pricing import Breakdown, FeePolicy, PriceModel
from domain.shared.access import Actor, Role
from domain.shared.errors import InvalidInput, NotAllowed, NotFound
from domain.shared.money import Money

S, A, P = OrderStatus, Action, Party
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TIMERS = OrderTimers(payment_window=timedelta(minutes=15), seller_response_window=timedelta(hours=48),
                     auto_complete_after=timedelta(hours=72))
FEES = FeePolicy(basis_points=1000, minimum=100)
SERVICE = ServiceSnapshot("svc", "seller", "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60)

# Written out by hand from the issue, independently of the table in the code.
ALLOWED = {
    (S.QUOTE_REQUESTED, A.OFFER_QUOTE, P.SELLER): S.QUOTE_OFFERED,
    (S.QUOTE_REQUESTED, A.CANCEL, P.BUYER): S.CANCELLED,
    (S.QUOTE_REQUESTED, A.CANCEL, P.STAFF): S.CANCELLED,
    (S.QUOTE_REQUESTED, A.DECLINE, P.SELLER): S.DECLINED,
    (S.QUOTE_OFFERED, A.OFFER_QUOTE, P.SELLER): S.QUOTE_OFFERED,
    (S.QUOTE_OFFERED, A.ACCEPT_QUOTE, P.BUYER): S.PENDING_PAYMENT,
    (S.QUOTE_OFFERED, A.REJECT_QUOTE, P.BUYER): S.QUOTE_REJECTED,
    (S.QUOTE_OFFERED, A.CANCEL, P.BUYER): S.CANCELLED,
    (S.QUOTE_OFFERED, A.CANCEL, P.STAFF): S.CANCELLED,
    (S.PENDING_PAYMENT, A.AUTHORIZE, P.BUYER): S.AUTHORIZED,
    (S.PENDING_PAYMENT, A.AUTHORIZE, P.SYSTEM): S.AUTHORIZED,
    (S.PENDING_PAYMENT, A.CANCEL, P.BUYER): S.CANCELLED,
    (S.PENDING_PAYMENT, A.CANCEL, P.STAFF): S.CANCELLED,
    (S.PENDING_PAYMENT, A.EXPIRE, P.SYSTEM): S.EXPIRED,
    (S.AUTHORIZED, A.ACCEPT, P.SELLER): S.ACCEPTED,
    (S.AUTHORIZED, A.ACCEPT, P.SYSTEM): S.ACCEPTED,
    (S.AUTHORIZED, A.DECLINE, P.SELLER): S.DECLINED,
    (S.AUTHORIZED, A.CANCEL, P.BUYER): S.CANCELLED,
    (S.AUTHORIZED, A.CANCEL, P.STAFF): S.CANCELLED,
    (S.AUTHORIZED, A.SELLER_TIMEOUT, P.SYSTEM): S.EXPIRED,
    (S.AUTHORIZED, A.HOLD_CANCELED, P.SYSTEM): S.CANCELLED,
    (S.ACCEPTED, A.START, P.SELLER): S.IN_PROGRESS,
    (S.ACCEPTED, A.CANCEL, P.BUYER): S.CANCELLED,
    (S.ACCEPTED, A.CANCEL, P.SELLER): S.CANCELLED,
    (S.ACCEPTED, A.CANCEL, P.STAFF): S.CANCELLED,
    (S.ACCEPTED, A.AUTO_COMPLETE, P.SYSTEM): S.COMPLETED,
    (S.IN_PROGRESS, A.COMPLETE, P.BUYER): S.COMPLETED,
    (S.IN_PROGRESS, A.COMPLETE, P.SELLER): S.COMPLETED,
    (S.IN_PROGRESS, A.AUTO_COMPLETE, P.SYSTEM): S.COMPLETED,
}


def order_in(status: OrderStatus) -> Order:
    order = Order.book(order_id="o1", buyer_id="buyer", service=SERVICE, slot_start=NOW + timedelta(days=3),
                       slot_end=NOW + timedelta(days=3, hours=1), time_zone="Europe/Madrid", buffer_minutes=15,
                       address="Calle Mayor 1", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), FEES), now=NOW,
                       timers=TIMERS)
    order.status = status
    order.pull_events()
    return order


@pytest.mark.parametrize(("status", "action", "party"), list(itertools.product(S, A, P)),
                         ids=lambda v: v.value)
def test_every_combination_is_allowed_exactly_when_the_business_says(status, action, party):
    order = order_in(status)
    if (status, action, party) in ALLOWED:
        assert order.check(action, party) is ALLOWED[(status, action, party)]
    elif any((status, action, other) in ALLOWED for other in P):
        with pytest.raises(PartyNotAllowed):
            order.check(action, party)
    else:
        with pytest.raises(ActionNotAllowed):
            order.check(action, party)


def test_booking_holds_the_slot_starts_the_payment_timer_and_tells_the_seller():
    order = Order.book(order_id="o1", buyer_id="buyer", service=SERVICE, slot_start=NOW + timedelta(days=1),
                       slot_end=NOW + timedelta(days=1, hours=1), time_zone="UTC", buffer_minutes=30,
                       address="  Calle Mayor 1 ", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), FEES),
                       now=NOW, timers=TIMERS)
    assert order.status is S.PENDING_PAYMENT and order.address == "Calle Mayor 1"
    assert order.slot_change == "reserve"
    assert len(order.units) == 6  # one hour plus a 30-minute buffer, in quarters
    assert order.deadline.kind is DeadlineKind.PAYMENT and order.deadline.at == NOW + timedelta(minutes=15)
    [event] = order.pull_events()
    assert event.name == "order.booked" and event.key == "o1" and event.topic == "marketplace.events"
    assert event.payload["recipient_ids"] == ["seller"] and event.payload["title"] and event.payload["body"]
    assert [(t.from_status, t.to_status, t.party) for t in order.timeline] == [(None, S.PENDING_PAYMENT, P.BUYER)]


def test_a_seller_cannot_book_their_own_service():
    with pytest.raises(CannotBookOwnService) as error:
        Order.book(order_id="o1", buyer_id="seller", service=SERVICE, slot_start=NOW, slot_end=NOW, time_zone="UTC",
                   buffer_minutes=0, address="x", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), FEES),
                   now=NOW, timers=TIMERS)
    # Who asks refuses it, not the order's state: a NotAllowed (403), never a Conflict (409).
    assert isinstance(error.value, NotAllowed) and error.value.field == "service_id"


def test_an_empty_address_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as error:
        Order.book(order_id="o1", buyer_id="buyer", service=SERVICE, slot_start=NOW, slot_end=NOW, time_zone="UTC",
                   buffer_minutes=0, address="  ", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), FEES),
                   now=NOW, timers=TIMERS)
    assert error.value.field == "address"


def _payment(amount: int = 5000) -> PaymentRecord:
    return PaymentRecord(payment_id="pay1", status="APPROVED", amount=Money(amount, "EUR"), app_fee=Money(500, "EUR"))


def test_the_whole_happy_path_records_a_timeline_deadlines_and_events():
    order = order_in(S.PENDING_PAYMENT)
    order.authorize(_payment(), actor_id="buyer", party=P.BUYER, now=NOW, timers=TIMERS)
    assert order.deadline.kind is DeadlineKind.SELLER_RESPONSE and order.deadline.at == NOW + timedelta(hours=48)
    order.accept(actor_id="seller", party=P.SELLER, now=NOW, timers=TIMERS, payment_status="COMPLETED")
    assert order.captured == Money(5000, "EUR")
    assert order.deadline.kind is DeadlineKind.AUTO_COMPLETE
    assert order.deadline.at == order.slot_end + timedelta(hours=72)
    on_the_day = order.slot_start - timedelta(minutes=10)
    order.start(actor_id="seller", party=P.SELLER, now=on_the_day)
    order.complete(A.COMPLETE, actor_id="buyer", party=P.BUYER, now=on_the_day + timedelta(hours=1))
    assert order.deadline is None and order.slot_change == "reserve"  # a finished job keeps its slot
    names = [e.name for e in order.pull_events()]
    assert names == ["order.paid", "order.accepted", "order.started", "order.completed"]
    assert [t.to_status for t in order.timeline][-4:] == [S.AUTHORIZED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]


def test_an_authorization_for_another_amount_is_refused():
    order = order_in(S.PENDING_PAYMENT)
    with pytest.raises(InvalidInput):
        order.authorize(_payment(4999), actor_id="buyer", party=P.BUYER, now=NOW, timers=TIMERS)
    assert order.status is S.PENDING_PAYMENT


@pytest.mark.parametrize(("status", "action"), [(S.PENDING_PAYMENT, A.CANCEL), (S.AUTHORIZED, A.DECLINE),
                                                (S.AUTHORIZED, A.SELLER_TIMEOUT), (S.PENDING_PAYMENT, A.EXPIRE)])
def test_leaving_a_slot_holding_state_for_a_dead_end_releases_the_slot(status, action):
    order = order_in(status)
    order.slot_change = None
    party = P.SYSTEM if action in (A.SELLER_TIMEOUT, A.EXPIRE) else (P.SELLER if action is A.DECLINE else P.BUYER)
    order.void(action, actor_id="x", party=party, now=NOW)
    assert order.slot_change == "release" and order.deadline is None


def test_the_parties_of_an_order_and_everyone_else():
    order = order_in(S.PENDING_PAYMENT)
    assert order.party_of(Actor("buyer", frozenset({Role.BUYER}))) is P.BUYER
    assert order.party_of(Actor("seller", frozenset({Role.SELLER}))) is P.SELLER
    assert order.party_of(Actor("agent", frozenset({Role.SUPPORT}))) is P.STAFF
    with pytest.raises(NotFound):
        order.party_of(Actor("stranger", frozenset({Role.BUYER, Role.SELLER})))


def test_quotes_can_be_revised_keep_their_currency_and_price_the_order():
    order = order_in(S.QUOTE_REQUESTED)
    order.offer_quote(Money(9000, "EUR"), "two hours", actor_id="seller", party=P.SELLER, now=NOW, fee_policy=FEES)
    order.offer_quote(Money(8000, "EUR"), "ok, less", actor_id="seller", party=P.SELLER, now=NOW, fee_policy=FEES)
    assert order.quote.revision == 2 and order.breakdown.subtotal == Money(8000, "EUR")
    with pytest.raises(InvalidInput):
        order.offer_quote(Money(8000, "USD"), "", actor_id="seller", party=P.SELLER, now=NOW, fee_policy=FEES)
    order.accept_quote(actor_id="buyer", party=P.BUYER, now=NOW, timers=TIMERS)
    assert order.status is S.PENDING_PAYMENT and order.slot_change == "reserve"
    assert order.deadline.kind is DeadlineKind.PAYMENT


def test_reservation_units_cover_the_job_and_the_trailing_buffer_on_the_quarter_grid():
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    units = reservation_units(start, start + timedelta(minutes=50), timedelta(minutes=10))
    assert units == [start + timedelta(minutes=15 * i) for i in range(4)]
    assert reservation_units(start, start + timedelta(minutes=60), timedelta(0))[-1] == start + timedelta(minutes=45)


def test_a_job_cannot_be_started_days_before_its_slot_nor_completed_before_it_starts():
    order = order_in(S.ACCEPTED)
    with pytest.raises(TooEarlyToStart):
        order.start(actor_id="seller", party=P.SELLER, now=NOW)  # three days early
    with pytest.raises(TooEarlyToStart):
        order.start(actor_id="seller", party=P.SELLER, now=order.slot_start - timedelta(hours=2, seconds=1))
    assert order.status is S.ACCEPTED and not order.timeline[-1].action == "start"
    with pytest.raises(ActionNotAllowed):
        order.complete(A.COMPLETE, actor_id="buyer", party=P.BUYER, now=order.slot_end)
    order.start(actor_id="seller", party=P.SELLER, now=order.slot_start - timedelta(hours=2))
    assert order.status is S.IN_PROGRESS


def test_too_early_is_checked_after_who_may_start():
    order = order_in(S.ACCEPTED)
    with pytest.raises(PartyNotAllowed):
        order.start(actor_id="buyer", party=P.BUYER, now=NOW)


@pytest.mark.parametrize("status", list(S), ids=lambda v: v.value)
@pytest.mark.parametrize("party", [P.BUYER, P.SELLER, P.STAFF], ids=lambda v: v.value)
def test_the_actions_offered_are_exactly_those_the_order_accepts_now(status, party):
    for now in (NOW, NOW + timedelta(days=3)):
        order = order_in(status)
        offered = set(order.actions_for(party, now))
        for action in A:
            if action in SYSTEM_ONLY:
                assert action not in offered
                continue
            accepted = order.can(action, party) and not (action is A.START and now < order.earliest_start())
            assert (action in offered) == accepted, (status, party, action, now)
