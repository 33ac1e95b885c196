from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from application.orders import use_cases as uc
from application.shared.pagination import PageRequest
from domain.orders.errors import (
    ActionNotAllowed,
    ConcurrentOrderChange,
    OrderNotFound,
    PartyNotAllowed,
    RefundTooLarge,
    SlotNotAvailable,
    SlotTaken,
)
from domain.orders.order import DeadlineKind, OrderStatus
from domain.shared.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    SellerCannotTakePayments,
)
from domain.shared.money import Money
from tests.unit.application.orders_world import BUYER, SELLER, SLOT, STRANGER, SUPPORT, World

S = OrderStatus


@pytest.fixture
def world() -> World:
    return World()


# ---- booking --------------------------------------------------------------------------------
def test_booking_snapshots_the_service_and_computes_the_price_itself(world):
    order = world.book()
    assert order.status is S.PENDING_PAYMENT and order.service.title == "Fix a tap"
    assert order.breakdown.subtotal == Money(5000, "EUR") and order.breakdown.fee == Money(500, "EUR")
    assert order.breakdown.seller_receives == Money(4500, "EUR")
    assert order.slot_end == SLOT + timedelta(hours=1) and order.time_zone == "Europe/Madrid"
    assert len(world.orders.taken_units("seller", SLOT, SLOT + timedelta(hours=2))) == 6
    assert [e.name for e in world.orders.events] == ["order.booked"]


def test_an_hourly_service_costs_its_rate_times_the_booked_hours(world):
    assert world.book("hourly").breakdown.subtotal == Money(4000, "EUR")
    later = SLOT + timedelta(hours=4)
    assert world.book("hourly", start=later, duration_minutes=90).breakdown.subtotal == Money(3000, "EUR")
    with pytest.raises(InvalidInput) as error:
        world.book("fixed", start=SLOT + timedelta(hours=7), duration_minutes=90)
    assert error.value.field == "duration_minutes"


def test_overlapping_bookings_of_one_seller_conflict_including_the_buffer(world):
    world.book()
    with pytest.raises(SlotTaken):
        world.book(start=SLOT + timedelta(minutes=30))
    with pytest.raises(SlotTaken):
        world.book(start=SLOT + timedelta(minutes=75))  # inside the first job's 30-minute buffer
    assert world.book(start=SLOT + timedelta(minutes=90)).status is S.PENDING_PAYMENT


@pytest.mark.parametrize("service_id", ["fixed", "quote"])
def test_a_seller_is_refused_their_own_service_as_not_allowed_not_as_a_conflict(world, service_id):
    # 403, not 409: no change of state would ever let them, so there is nothing to retry.
    command = uc.BookCommand(service_id=service_id, start=SLOT, address="Calle Mayor 1")
    with pytest.raises(NotAllowed) as error:
        if service_id == "quote":
            world(uc.RequestQuote).execute(SELLER, command, "three rooms")
        else:
            world(uc.BookService).execute(SELLER, command)
    assert error.value.field == "service_id" and not world.orders.orders


def test_many_buyers_racing_for_one_slot_exactly_one_wins(world):
    results: list[str] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        try:
            world.book()
            results.append("won")
        except SlotTaken:
            results.append("taken")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["taken"] * 7 + ["won"]


def test_quote_priced_services_are_not_booked_directly(world):
    with pytest.raises(InvalidInput) as error:
        world.book("quote")
    assert error.value.field == "service_id"


def test_a_seller_who_cannot_take_payments_is_not_bookable_with_the_reason(world):
    world.gateway.disconnected_sellers["seller"] = "the Square authorization was revoked"
    with pytest.raises(SellerCannotTakePayments, match="revoked"):
        world.book()


def test_a_seller_without_working_hours_is_not_bookable(world):
    world.schedules.schedules.clear()
    with pytest.raises(SlotNotAvailable, match="working hours"):
        world.book()


def test_times_outside_working_hours_are_refused(world):
    with pytest.raises(SlotNotAvailable):
        world.book(start=datetime(2026, 12, 1, 19, 30, tzinfo=UTC))  # 20:30 Madrid


# ---- payment -------------------------------------------------------------------------------
def test_paying_holds_the_card_for_the_total_with_the_fee_and_waits_for_the_seller(world):
    order = world.paid()
    assert order.status is S.AUTHORIZED and order.payment.status == "APPROVED"
    [(name, call)] = [c for c in world.gateway.calls if c[0] == "authorize"]
    assert call["amount"] == Money(5000, "EUR") and call["app_fee"] == Money(500, "EUR")
    assert call["reference_id"] == order.id and call["idempotency_key"] == uc.gateway_key(order.id, "authorize", "pay-1")
    assert order.deadline.kind is DeadlineKind.SELLER_RESPONSE


def test_a_declined_card_answers_with_the_reason_and_the_order_stays_payable(world):
    order = world.book()
    with pytest.raises(PaymentDeclined) as error:
        world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-declined", idempotency_key="k1")
    assert error.value.reason == "CARD_DECLINED"
    assert world.orders.get(order.id).status is S.PENDING_PAYMENT
    paid = world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k2")
    assert paid.status is S.AUTHORIZED


def test_an_unreachable_gateway_leaves_the_order_payable(world):
    order = world.book()
    world.gateway.fail_next = PaymentGatewayUnavailable("Square is unreachable")
    with pytest.raises(PaymentGatewayUnavailable):
        world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k1")
    assert world.orders.get(order.id).status is S.PENDING_PAYMENT
    assert world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok",
                                      idempotency_key="k1").status is S.AUTHORIZED


def test_a_retried_payment_with_the_same_key_holds_the_card_once(world):
    order = world.book()
    world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k1")
    with pytest.raises(ActionNotAllowed):
        world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k1")
    assert len(world.gateway.payments) == 1


def test_only_the_buyer_pays_and_strangers_do_not_learn_the_order_exists(world):
    order = world.book()
    with pytest.raises(PartyNotAllowed):
        world(uc.PayOrder).execute(SELLER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k")
    with pytest.raises(OrderNotFound):
        world(uc.PayOrder).execute(STRANGER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k")
    with pytest.raises(OrderNotFound):
        world(uc.GetOrder).execute(STRANGER, order.id)


def test_a_hold_that_lost_the_race_against_expiry_is_voided(world):
    order = world.book()
    stale = world.orders.get(order.id)
    world.clock.advance(minutes=16)
    assert world(uc.RunDueTimers).execute("s1") == 1
    # The buyer's request read the order before the scheduler expired it.
    real_get = world.orders.get
    world.orders.get = lambda order_id: stale if not world.gateway.payments else real_get(order_id)
    with pytest.raises(ConcurrentOrderChange):
        world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k")
    [payment] = world.gateway.payments.values()
    assert payment.status.value == "CANCELED"


# ---- the seller's answer and the job -------------------------------------------------------------
def test_accepting_captures_the_payment(world):
    order = world.accepted()
    assert order.status is S.ACCEPTED and order.captured == Money(5000, "EUR")
    assert world.gateway.payments[order.payment.payment_id].status.value == "COMPLETED"
    assert order.deadline.kind is DeadlineKind.AUTO_COMPLETE


def test_declining_voids_the_hold_and_frees_the_slot(world):
    order = world.paid()
    declined = world(uc.DeclineOrder).execute(SELLER, order.id, "busy")
    assert declined.status is S.DECLINED
    assert world.gateway.payments[order.payment.payment_id].status.value == "CANCELED"
    assert world.orders.taken_units("seller", SLOT, SLOT + timedelta(hours=2)) == set()
    assert world.book().status is S.PENDING_PAYMENT


def test_the_buyer_cannot_accept_their_own_booking(world):
    order = world.paid()
    with pytest.raises(PartyNotAllowed):
        world(uc.AcceptOrder).execute(BUYER, order.id)
    assert not any(c[0] == "capture" for c in world.gateway.calls)


def test_the_job_runs_to_completion_by_either_side(world):
    order = world.accepted()
    world.clock.current = order.slot_start  # on the day
    world(uc.StartOrder).execute(SELLER, order.id)
    done = world(uc.CompleteOrder).execute(BUYER, order.id)
    assert done.status is S.COMPLETED
    assert [t.to_status for t in done.timeline] == [S.PENDING_PAYMENT, S.AUTHORIZED, S.ACCEPTED, S.IN_PROGRESS,
                                                    S.COMPLETED]


def test_two_concurrent_transitions_on_one_order_one_wins(world):
    order = world.accepted()
    first = world.orders.get(order.id)
    second = world.orders.get(order.id)
    first.start(actor_id="seller", party=first.party_of(SELLER), now=first.slot_start)
    second.cancel_after_capture(actor_id="buyer", party=second.party_of(BUYER), now=world.clock.now(), note="",
                                refund=second.refundable())
    world.orders.save(first)
    with pytest.raises(ConcurrentOrderChange):
        world.orders.save(second)


# ---- cancellation and refunds --------------------------------------------------------------------
def test_cancelling_before_acceptance_voids_and_frees_the_slot(world):
    order = world.paid()
    cancelled = world(uc.CancelOrder).execute(BUYER, order.id, reason="changed my mind", idempotency_key="c1")
    assert cancelled.status is S.CANCELLED and cancelled.refunds == []
    assert world.gateway.payments[order.payment.payment_id].status.value == "CANCELED"
    assert world.orders.reservations == {}


def test_an_accepted_order_cancelled_early_by_the_buyer_is_refunded_in_full_with_the_fee(world):
    order = world.accepted()
    cancelled = world(uc.CancelOrder).execute(BUYER, order.id, reason="", idempotency_key="c1")
    [refund] = cancelled.refunds
    assert refund.amount == Money(5000, "EUR") and refund.app_fee == Money(500, "EUR")
    assert cancelled.status is S.CANCELLED and world.orders.reservations == {}


def test_a_late_cancellation_by_the_buyer_follows_the_policy(world):
    order = world.accepted()
    world.clock.current = SLOT - timedelta(hours=2)
    cancelled = world(uc.CancelOrder).execute(BUYER, order.id, reason="", idempotency_key="c1")
    [refund] = cancelled.refunds
    assert refund.amount == Money(2500, "EUR") and refund.app_fee == Money(250, "EUR")


def test_a_seller_cancelling_late_still_refunds_everything(world):
    order = world.accepted()
    world.clock.current = SLOT - timedelta(hours=2)
    cancelled = world(uc.CancelOrder).execute(SELLER, order.id, reason="sick", idempotency_key="c1")
    assert cancelled.refunds[0].amount == Money(5000, "EUR")


def test_partial_refunds_add_up_never_above_the_capture_with_the_fee_in_proportion(world):
    order = world.accepted()
    refund = world(uc.RefundOrder)
    order = refund.execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="late", idempotency_key="r1")
    order = refund.execute(SUPPORT, order.id, amount=Money(1500, "EUR"), reason="", idempotency_key="r2")
    assert [r.app_fee.amount for r in order.refunds] == [100, 150]
    with pytest.raises(RefundTooLarge):
        refund.execute(SELLER, order.id, amount=Money(2501, "EUR"), reason="", idempotency_key="r3")
    order = refund.execute(SELLER, order.id, amount=None, reason="rest", idempotency_key="r4")
    assert order.refunded == Money(5000, "EUR") and order.fee_refunded == Money(500, "EUR")
    with pytest.raises(InvalidInput):
        refund.execute(SELLER, order.id, amount=Money(1, "USD"), reason="", idempotency_key="r5")


class FirstReadsTogether:
    """Each racer's first read waits for the others, so all check the ceiling against the same
    version; later reads (the retries after a lost race) go straight through."""

    def __init__(self, inner, parties: int) -> None:
        self._inner = inner
        self._barrier = threading.Barrier(parties)
        self._seen: set[int] = set()

    def get(self, order_id):
        order = self._inner.get(order_id)
        if threading.get_ident() not in self._seen:
            self._seen.add(threading.get_ident())
            self._barrier.wait(timeout=10)
        return order

    def __getattr__(self, name):
        return getattr(self._inner, name)


def test_concurrent_refunds_over_the_ceiling_are_refused_by_the_app_before_the_gateway(world):
    """Three refunds of 20 EUR on a 50 EUR capture, all read at once: two reach Square, the third is
    refused by the app (RefundTooLarge), not by Square."""
    order = world.accepted()
    racing = FirstReadsTogether(world.orders, 3)
    refund = uc.RefundOrder(racing, world.gateway, world.clock)
    outcomes: list[object] = []

    def run(key: str) -> None:
        try:
            outcomes.append(refund.execute(SELLER, order.id, amount=Money(2000, "EUR"), reason="",
                                           idempotency_key=key).refunded)
        except RefundTooLarge as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run, args=(f"k{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, RefundTooLarge) for o in outcomes) == 1, outcomes
    assert [name for name, _ in world.gateway.calls].count("refund") == 2
    final = world.orders.get(order.id)
    assert final.refunded == Money(4000, "EUR") and all(r.status != "RESERVED" for r in final.refunds)


def test_a_refund_the_gateway_refuses_gives_its_reservation_back(world):
    order = world.accepted()
    world.gateway.fail_next = PaymentDeclined("the payment cannot be refunded", reason="REFUND_DECLINED")
    with pytest.raises(PaymentDeclined):
        world(uc.RefundOrder).execute(SELLER, order.id, amount=None, reason="", idempotency_key="r1")
    assert world.orders.get(order.id).refunds == []
    done = world(uc.RefundOrder).execute(SELLER, order.id, amount=None, reason="", idempotency_key="r2")
    assert done.refunded == Money(5000, "EUR")


def test_a_refund_whose_outcome_is_unknown_keeps_its_reservation_for_the_retry(world):
    order = world.accepted()
    world.gateway.fail_next = PaymentGatewayUnavailable("Square did not answer")
    with pytest.raises(PaymentGatewayUnavailable):
        world(uc.RefundOrder).execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="", idempotency_key="r1")
    assert [r.status for r in world.orders.get(order.id).refunds] == ["RESERVED"]
    done = world(uc.RefundOrder).execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="", idempotency_key="r1")
    assert [(r.amount, r.status) for r in done.refunds] == [(Money(1000, "EUR"), "PENDING")]


def test_the_buyer_cannot_refund_and_nothing_is_refunded_before_capture(world):
    order = world.accepted()
    with pytest.raises(NotAllowed):
        world(uc.RefundOrder).execute(BUYER, order.id, amount=None, reason="", idempotency_key="r")
    paid = world.paid(start=SLOT + timedelta(hours=3))
    with pytest.raises(ActionNotAllowed):
        world(uc.RefundOrder).execute(SELLER, paid.id, amount=None, reason="", idempotency_key="r")


# ---- timers -----------------------------------------------------------------------------------
def test_an_unpaid_booking_expires_after_the_window_and_frees_the_slot(world):
    order = world.book()
    world.clock.advance(minutes=14)
    assert world(uc.RunDueTimers).execute("s1") == 0
    world.clock.advance(minutes=2)
    assert world(uc.RunDueTimers).execute("s1") == 1
    assert world.orders.get(order.id).status is S.EXPIRED and world.orders.reservations == {}
    assert world(uc.RunDueTimers).execute("s1") == 0


def test_a_seller_who_does_not_answer_in_time_has_the_hold_voided(world):
    order = world.paid()
    world.clock.advance(hours=48, seconds=1)
    assert world(uc.RunDueTimers).execute("s1") == 1
    expired = world.orders.get(order.id)
    assert expired.status is S.EXPIRED and expired.payment.status == "CANCELED"
    assert world.gateway.payments[order.payment.payment_id].status.value == "CANCELED"


def test_an_accepted_job_completes_itself_after_its_slot(world):
    order = world.accepted()
    world.clock.current = order.slot_end + timedelta(hours=72, seconds=1)
    assert world(uc.RunDueTimers).execute("s1") == 1
    assert world.orders.get(order.id).status is S.COMPLETED
    assert world.orders.get(order.id).timeline[-1].party.value == "system"


def test_a_timer_whose_gateway_call_fails_is_retried_after_its_lease(world):
    order = world.paid()
    world.clock.advance(hours=49)
    world.gateway.fail_next = PaymentGatewayUnavailable("down")
    assert world(uc.RunDueTimers).execute("s1") == 0
    assert world(uc.RunDueTimers).execute("s2") == 0  # still leased by s1
    world.clock.advance(seconds=61)
    assert world(uc.RunDueTimers).execute("s2") == 1
    assert world.orders.get(order.id).status is S.EXPIRED


def test_two_schedulers_never_act_on_one_order_twice(world):
    orders = [world.book(start=SLOT + timedelta(hours=i * 2)) for i in range(5)]
    world.clock.advance(minutes=16)
    counts: list[int] = []
    threads = [threading.Thread(target=lambda n=n: counts.append(world(uc.RunDueTimers).execute(n)))
               for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 5
    assert all(world.orders.get(o.id).status is S.EXPIRED for o in orders)
    assert len([e for e in world.orders.events if e.name == "order.expired"]) == 5


# ---- quotes -----------------------------------------------------------------------------------
def test_the_quote_flow_request_offer_revise_accept_pay(world):
    order = world(uc.RequestQuote).execute(BUYER, uc.BookCommand(service_id="quote", start=SLOT, address="Calle 1"),
                                           "rewire three rooms")
    assert order.status is S.QUOTE_REQUESTED and order.breakdown is None and world.orders.reservations == {}
    with pytest.raises(NotAllowed):
        world(uc.OfferQuote).execute(BUYER, order.id, price=Money(1, "EUR"), message="")
    world(uc.OfferQuote).execute(SELLER, order.id, price=Money(90000, "EUR"), message="materials included")
    offered = world(uc.OfferQuote).execute(SELLER, order.id, price=Money(85000, "EUR"), message="revised")
    assert offered.quote.revision == 2 and offered.breakdown.fee == Money(8500, "EUR")
    accepted = world(uc.AcceptQuote).execute(BUYER, order.id)
    assert accepted.status is S.PENDING_PAYMENT and len(world.orders.reservations) == 18
    paid = world(uc.PayOrder).execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="q")
    assert paid.payment.amount == Money(85000, "EUR")


def test_accepting_a_quote_whose_slot_was_taken_meanwhile_conflicts(world):
    order = world(uc.RequestQuote).execute(BUYER, uc.BookCommand(service_id="quote", start=SLOT, address="Calle 1"),
                                           "rewire")
    world(uc.OfferQuote).execute(SELLER, order.id, price=Money(90000, "EUR"), message="")
    world.book(start=SLOT + timedelta(hours=1))
    with pytest.raises(SlotTaken):
        world(uc.AcceptQuote).execute(BUYER, order.id)
    assert world.orders.get(order.id).status is S.QUOTE_OFFERED


def test_a_rejected_quote_ends_the_request(world):
    order = world(uc.RequestQuote).execute(BUYER, uc.BookCommand(service_id="quote", start=SLOT, address="Calle 1"),
                                           "rewire")
    world(uc.OfferQuote).execute(SELLER, order.id, price=Money(90000, "EUR"), message="")
    assert world(uc.RejectQuote).execute(BUYER, order.id, "too much").status is S.QUOTE_REJECTED
    with pytest.raises(ActionNotAllowed):
        world(uc.AcceptQuote).execute(BUYER, order.id)


# ---- invoices -----------------------------------------------------------------------------------
def test_the_invoice_of_a_paid_job_is_its_receipt_shown_paid_and_nobody_is_billed_again(world):
    order = world.accepted()
    with pytest.raises(NotAllowed):
        world(uc.IssueInvoice).execute(BUYER, order.id, idempotency_key="i")
    invoiced = world(uc.IssueInvoice).execute(SELLER, order.id, idempotency_key="i")
    receipt = world.gateway.payments[order.payment.payment_id]
    assert (invoiced.invoice.status, invoiced.invoice.invoice_id, invoiced.invoice.public_url) == (
        "PAID", receipt.receipt_number, receipt.receipt_url)
    again = world(uc.IssueInvoice).execute(SELLER, order.id, idempotency_key="other")
    assert again.invoice == invoiced.invoice
    assert world.gateway.invoices == {} and not [c for c in world.gateway.calls if c[0] == "issue_invoice"]
    assert [e.name for e in world.orders.events][-1] == "invoice.sent"


def test_no_invoice_before_acceptance(world):
    order = world.paid()
    with pytest.raises(ActionNotAllowed):
        world(uc.IssueInvoice).execute(SELLER, order.id, idempotency_key="i")


# ---- reading ------------------------------------------------------------------------------------
def test_each_side_sees_the_other_contact_only_after_acceptance(world):
    order = world.paid()
    assert world(uc.GetOrder).execute(SELLER, order.id).counterpart is None
    world(uc.AcceptOrder).execute(SELLER, order.id)
    assert world(uc.GetOrder).execute(SELLER, order.id).counterpart.email == "ana@example.com"
    assert world(uc.GetOrder).execute(BUYER, order.id).counterpart.name == "Carlos"
    assert world(uc.GetOrder).execute(SUPPORT, order.id).viewer.value == "staff"


def test_lists_per_side_filter_by_status_and_paginate(world):
    for i in range(3):
        world.book(start=SLOT + timedelta(hours=2 * i))
        world.clock.advance(seconds=1)
    world.paid(start=SLOT + timedelta(hours=8))
    mine = world(uc.ListMyOrders)
    assert mine.execute(BUYER, role="buyer", statuses=[], page=PageRequest(1, 2)).total == 4
    assert len(mine.execute(BUYER, role="buyer", statuses=[], page=PageRequest(2, 2)).items) == 2
    assert mine.execute(SELLER, role="seller", statuses=[S.AUTHORIZED], page=PageRequest()).total == 1
    assert mine.execute(SELLER, role="buyer", statuses=[], page=PageRequest()).total == 0
    with pytest.raises(NotAllowed):
        mine.execute(BUYER, role="seller", statuses=[], page=PageRequest())


def test_free_slots_leave_out_booked_time_and_limit_the_range(world):
    before = world(uc.ListFreeSlots).execute("fixed", date(2026, 12, 1), date(2026, 12, 1))
    world.book()
    after = world(uc.ListFreeSlots).execute("fixed", date(2026, 12, 1), date(2026, 12, 1))
    assert SLOT in [s.start for s in before] and SLOT not in [s.start for s in after]
    # Gone: every start from 08:45 to 11:15 local whose hour plus buffer would overlap the booking's.
    assert len(before) - len(after) == 11
    with pytest.raises(InvalidInput) as error:
        world(uc.ListFreeSlots).execute("fixed", date(2026, 12, 1), date(2027, 1, 1))
    assert error.value.field == "to"


def test_availability_and_time_off_belong_to_the_seller(world):
    with pytest.raises(NotAllowed):
        world(uc.SetMyAvailability).execute(BUYER, uc.AvailabilityCommand("Europe/Madrid", 0, {}))
    off = world(uc.AddTimeOff).execute(SELLER, start=datetime(2026, 12, 1, 0, tzinfo=UTC),
                                       end=datetime(2026, 12, 2, 0, tzinfo=UTC), note="holiday")
    with pytest.raises(SlotNotAvailable):
        world.book()
    world(uc.RemoveTimeOff).execute(SELLER, off.id)
    assert world.book().status is S.PENDING_PAYMENT
    with pytest.raises(NotFound):
        world(uc.RemoveTimeOff).execute(SELLER, off.id)


def test_accept_lands_when_squares_news_of_the_capture_accepted_the_order_first():
    """Square signs and sends payment.updated while the seller's accept is still running; the webhook
    accepts the order first. The seller's request must still answer with the accepted order, not 409."""
    world = World()
    order = world.paid()
    capture = world.gateway.capture

    def capture_and_notify(*, seller_id: str, payment_id: str):
        payment = capture(seller_id=seller_id, payment_id=payment_id)
        world(uc.ApplyPaymentUpdate).execute(payment_id=payment_id, status=payment.status.value,
                                             amount=payment.amount, occurred_at=world.clock.now())
        return payment

    world.gateway.capture = capture_and_notify
    accepted = world(uc.AcceptOrder).execute(SELLER, order.id)
    assert accepted.status is OrderStatus.ACCEPTED
    assert world.orders.get(order.id).status is OrderStatus.ACCEPTED
    assert [call for call, _ in world.gateway.calls].count("capture") == 1


def _notify_after(world: World, call: str) -> None:
    """Make the fake gateway deliver Square's news of ``call`` to the webhook use cases before the
    use case that made the call gets to save: the race a real webhook can win."""
    original = getattr(world.gateway, call)

    def call_and_notify(**kwargs):
        result = original(**kwargs)
        if call == "refund":
            world(uc.ApplyRefundUpdate).execute(refund_id=result.refund_id, payment_id=result.payment_id,
                                                status=result.status.value, amount=result.amount,
                                                occurred_at=world.clock.now())
        else:
            world(uc.ApplyPaymentUpdate).execute(payment_id=result.payment_id, status=result.status.value,
                                                 amount=result.amount, occurred_at=world.clock.now())
        return result

    setattr(world.gateway, call, call_and_notify)


def test_decline_and_early_cancel_land_when_squares_news_of_the_void_came_first():
    world = World()
    declined_order, cancelled_order = world.paid(), world.paid(start=SLOT + timedelta(hours=3))
    _notify_after(world, "void")
    declined = world(uc.DeclineOrder).execute(SELLER, declined_order.id, "no puedo")
    cancelled = world(uc.CancelOrder).execute(BUYER, cancelled_order.id, reason="ya no", idempotency_key="c1")
    assert declined.status in (OrderStatus.DECLINED, OrderStatus.CANCELLED)
    assert cancelled.status is OrderStatus.CANCELLED
    assert all(world.orders.get(o.id).payment.status == "CANCELED" for o in (declined, cancelled))


def test_refunds_are_recorded_once_when_squares_news_of_the_refund_came_first():
    world = World()
    order = world.accepted()
    _notify_after(world, "refund")
    refunded = world(uc.RefundOrder).execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="un grifo menos",
                                             idempotency_key="r1")
    assert [r.amount for r in refunded.refunds] == [Money(1000, "EUR")]
    cancelled = world(uc.CancelOrder).execute(SELLER, order.id, reason="imprevisto", idempotency_key="c2")
    assert cancelled.status is OrderStatus.CANCELLED
    assert sum(r.amount.amount for r in world.orders.get(order.id).refunds) == 5000


def test_hours_adopted_from_a_profile_fit_the_schedule_and_never_replace_one(world):
    from datetime import time

    from adapters.outbound.orders.in_memory import InMemoryScheduleRepository

    schedules = InMemoryScheduleRepository()
    adopt = uc.AdoptWeeklyHours(schedules)
    ragged = {1: [(time(9, 10), time(13, 50)), (time(13, 0), time(18, 0)), (time(20, 5), time(20, 10))],
              5: [(time(10), time(14))]}
    assert adopt.execute("new", "Europe/Madrid", ragged) is True
    stored = schedules.get("new")
    assert stored.time_zone == "Europe/Madrid"
    assert [(r.start, r.end) for r in stored.weekly_hours[1]] == [(time(9, 15), time(18, 0))]
    assert [(r.start, r.end) for r in stored.weekly_hours[5]] == [(time(10), time(14))]
    # A seller who has a schedule keeps it: bookings already use it.
    assert adopt.execute("new", "UTC", {0: [(time(8), time(9))]}) is False
    assert schedules.get("new").weekly_hours == stored.weekly_hours and schedules.get("new").time_zone == "Europe/Madrid"
    assert uc.GetBookableHours(schedules).execute("new") == stored
    assert uc.GetBookableHours(schedules).execute("nobody") is None
