"""What cancelling would give back, told before anyone cancels, and a timeline pages can word for people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.orders.order import TIMELINE_KINDS, Order, OrderStatus, Party, RefundRecord, spanish_amount
from domain.orders.pricing import CancellationPolicy
from domain.shared.money import Money
from tests.unit.domain.test_order_state_machine import NOW, TIMERS, _payment, order_in

S, P = OrderStatus, Party
POLICY = CancellationPolicy(full_refund_before=timedelta(hours=24), late_refund_percent=50)
EUR = "EUR"


def accepted() -> Order:
    order = order_in(S.PENDING_PAYMENT)
    order.authorize(_payment(), actor_id="buyer", party=P.BUYER, now=NOW, timers=TIMERS)
    order.accept(actor_id="seller", party=P.SELLER, now=NOW, timers=TIMERS, payment_status="COMPLETED")
    return order


def test_a_buyer_cancelling_early_gets_everything_back_and_late_what_the_policy_says():
    order = accepted()  # the slot starts three days after NOW
    early = order.cancellation_terms(P.BUYER, NOW, POLICY)
    assert (early.charged, early.refund, early.kept) == (Money(5000, EUR), Money(5000, EUR), Money(0, EUR))
    assert early.full_refund_until == order.slot_start - timedelta(hours=24) and early.held is None
    late = order.cancellation_terms(P.BUYER, order.slot_start - timedelta(hours=2), POLICY)
    assert (late.refund, late.kept, late.late_refund_percent) == (Money(2500, EUR), Money(2500, EUR), 50)


def test_a_seller_cancelling_refunds_everything_whatever_the_time():
    order = accepted()
    terms = order.cancellation_terms(P.SELLER, order.slot_start - timedelta(minutes=5), POLICY)
    assert terms.refund == Money(5000, EUR) and terms.kept == Money(0, EUR)


def test_what_was_refunded_already_is_not_promised_again():
    order = accepted()
    order.add_refund(RefundRecord("r1", Money(1000, EUR), Money(100, EUR), "PENDING", "", NOW),
                     actor_id="seller", party=P.SELLER, now=NOW)
    terms = order.cancellation_terms(P.BUYER, NOW, POLICY)
    assert terms.charged == Money(4000, EUR) and terms.refund == Money(4000, EUR)


def test_before_capture_nothing_is_charged_and_a_card_hold_is_released():
    authorized = order_in(S.PENDING_PAYMENT)
    authorized.authorize(_payment(), actor_id="buyer", party=P.BUYER, now=NOW, timers=TIMERS)
    terms = authorized.cancellation_terms(P.BUYER, NOW, POLICY)
    assert terms.charged is None and terms.refund is None and terms.held == Money(5000, EUR)
    unpaid = order_in(S.PENDING_PAYMENT).cancellation_terms(P.BUYER, NOW, POLICY)
    assert unpaid.held is None and unpaid.charged is None


@pytest.mark.parametrize(("status", "party"), [(S.IN_PROGRESS, P.BUYER), (S.COMPLETED, P.BUYER),
                                               (S.AUTHORIZED, P.SELLER), (S.CANCELLED, P.BUYER)])
def test_no_terms_for_a_side_that_cannot_cancel(status, party):
    assert order_in(status).cancellation_terms(party, NOW, POLICY) is None


def test_the_timeline_carries_amounts_and_no_payment_or_refund_ids():
    order = accepted()
    order.add_refund(RefundRecord("sq-refund-77", Money(1000, EUR), Money(100, EUR), "PENDING", "roto", NOW),
                     actor_id="seller", party=P.SELLER, now=NOW)
    order.update_refund("sq-refund-77", "COMPLETED", NOW)
    amounts = {entry.action: entry.amount for entry in order.timeline}
    assert amounts == {"book": None, "authorize": Money(5000, EUR), "accept": Money(5000, EUR),
                       "refund": Money(1000, EUR), "refund_update": Money(1000, EUR)}
    notes = " ".join(entry.note for entry in order.timeline)
    assert "pay1" not in notes and "sq-refund-77" not in notes
    assert [e.note for e in order.timeline if e.action in ("refund", "refund_update")] == ["roto", "COMPLETED"]


def test_a_cancellation_after_capture_records_the_refund_and_the_persons_reason():
    order = accepted()
    order.cancel_after_capture(actor_id="buyer", party=P.BUYER, now=NOW, note="me mudo", refund=Money(2500, EUR))
    assert (order.timeline[-1].action, order.timeline[-1].note, order.timeline[-1].amount) == (
        "cancel", "me mudo", Money(2500, EUR))


def test_every_timeline_entry_is_of_a_known_kind():
    order = accepted()
    assert {entry.action for entry in order.timeline} <= set(TIMELINE_KINDS)
    with pytest.raises(ValueError, match="TIMELINE_KINDS"):
        order._note(NOW, "system", P.SYSTEM, order.status, order.status, "captured_by_magic", "")


@pytest.mark.parametrize(("amount", "currency", "text"), [(4000, "EUR", "40 €"), (4050, "EUR", "40,50 €"),
                                                          (123450, "EUR", "1234,50 €"), (1234500, "EUR", "12.345 €"),
                                                          (5, "EUR", "0,05 €"), (4050, "USD", "40,50 USD")])
def test_notifications_write_amounts_the_spanish_way(amount, currency, text):
    assert spanish_amount(Money(amount, currency)) == text


def test_the_refund_notification_says_the_amount_in_spanish():
    order = accepted()
    order.pull_events()
    order.add_refund(RefundRecord("r1", Money(2000, EUR), Money(200, EUR), "PENDING", "", NOW),
                     actor_id="seller", party=P.SELLER, now=NOW)
    assert order.pull_events()[-1].payload["body"] == "Se ha reembolsado 20 €."
