"""What the gateway tells us later (webhooks): news, checked with the gateway before anything moves,
then applied once, in any order, never backwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from application.orders import use_cases as uc
from application.orders.payment_gateway import InvoiceStatus, PaymentStatus, RefundStatus
from domain.orders.order import InvoiceRecord, OrderStatus, Party
from domain.shared.errors import PaymentGatewayUnavailable
from domain.shared.money import Money
from tests.unit.application.orders_world import BUYER, SELLER, World

S = OrderStatus
AT = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
EUR50 = Money(5000, "EUR")


@pytest.fixture
def world() -> World:
    return World()


def test_news_of_a_capture_square_did_not_make_moves_nothing(world):
    # Signed and well formed, but Square still only holds the card: the order stays as it is.
    order = world.paid()
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                                   amount=EUR50, occurred_at=AT)
    assert updated.status is S.AUTHORIZED and updated.payment.status == "APPROVED"
    assert world.orders.get(order.id).version == order.version
    assert ("get_payment", {"seller_id": order.seller_id, "payment_id": order.payment.payment_id}) in world.gateway.calls


def test_news_that_square_cannot_confirm_now_is_refused_to_be_delivered_again(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.COMPLETED)
    world.gateway.fail_next = PaymentGatewayUnavailable("Square is down")
    with pytest.raises(PaymentGatewayUnavailable):
        world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                             amount=EUR50, occurred_at=AT)
    assert world.orders.get(order.id).status is S.AUTHORIZED


def test_news_of_another_sellers_payment_is_not_confirmed_and_moves_nothing(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.COMPLETED)
    world.gateway.payment_sellers[order.payment.payment_id] = "someone-else"
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                                   amount=EUR50, occurred_at=AT)
    assert updated.status is S.AUTHORIZED


def test_a_capture_whose_answer_was_lost_still_accepts_the_order(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.COMPLETED)
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                                   amount=EUR50, occurred_at=AT)
    assert updated.status is S.ACCEPTED and updated.captured == EUR50
    assert updated.timeline[-1].party.value == "system"


def test_a_hold_cancelled_by_square_cancels_the_order_and_frees_the_slot(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.CANCELED)
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="CANCELED",
                                                   amount=EUR50, occurred_at=AT)
    assert updated.status is S.CANCELLED and world.orders.reservations == {}


def test_a_late_approved_event_never_moves_an_accepted_order_back(world):
    order = world.accepted()
    version = world.orders.get(order.id).version
    for status in ("APPROVED", "COMPLETED", "CANCELED"):
        world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status=status, amount=EUR50,
                                             occurred_at=AT)
    stored = world.orders.get(order.id)
    assert stored.status is S.ACCEPTED and stored.version == version


def test_a_replayed_event_changes_nothing_the_second_time(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.COMPLETED)
    apply = world(uc.ApplyPaymentUpdate)
    apply.execute(payment_id=order.payment.payment_id, status="COMPLETED", amount=EUR50, occurred_at=AT)
    version = world.orders.get(order.id).version
    apply.execute(payment_id=order.payment.payment_id, status="COMPLETED", amount=EUR50, occurred_at=AT)
    assert world.orders.get(order.id).version == version
    assert len([e for e in world.orders.events if e.name == "order.accepted"]) == 1


def test_an_amount_that_does_not_match_the_order_moves_nothing_and_is_noted(world):
    order = world.paid()
    payment_id = order.payment.payment_id
    world.gateway.payments[payment_id] = replace(world.gateway.payments[payment_id], status=PaymentStatus.COMPLETED,
                                                 amount=Money(1, "EUR"))
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                                   amount=Money(1, "EUR"), occurred_at=AT)
    assert updated.status is S.AUTHORIZED and "distinto" in updated.timeline[-1].note


def test_an_unknown_payment_is_ignored(world):
    assert world(uc.ApplyPaymentUpdate).execute(payment_id="nope", status="COMPLETED", amount=EUR50,
                                                occurred_at=AT) is None


def test_refund_updates_complete_known_refunds_once_and_record_outside_ones(world):
    order = world.accepted()
    order = world(uc.RefundOrder).execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="", idempotency_key="r")
    refund_id = order.refunds[0].refund_id
    apply = world(uc.ApplyRefundUpdate)
    # News of a completion Square has not made yet: nothing moves.
    early = apply.execute(refund_id=refund_id, payment_id=order.payment.payment_id, status="COMPLETED",
                          amount=Money(1000, "EUR"), occurred_at=AT)
    assert early.refunds[0].status == "PENDING"
    world.gateway.square_sets_refund(refund_id, RefundStatus.COMPLETED)
    updated = apply.execute(refund_id=refund_id, payment_id=order.payment.payment_id, status="COMPLETED",
                            amount=Money(1000, "EUR"), occurred_at=AT)
    assert updated.refunds[0].status == "COMPLETED"
    # A late PENDING for a refund already completed is old news.
    apply.execute(refund_id=refund_id, payment_id=order.payment.payment_id, status="PENDING",
                  amount=Money(1000, "EUR"), occurred_at=AT)
    assert world.orders.get(order.id).refunds[0].status == "COMPLETED"
    # A refund Square does not know of is not recorded, whatever the news says.
    invented = apply.execute(refund_id="dash-0", payment_id=order.payment.payment_id, status="COMPLETED",
                             amount=Money(2000, "EUR"), occurred_at=AT)
    assert len(invented.refunds) == 1
    world.gateway.square_refunds_outside(order.payment.payment_id, Money(2000, "EUR"), refund_id="dash-1")
    world.gateway.square_refunds_outside(order.payment.payment_id, Money(2001, "EUR"), refund_id="dash-2")
    outside = apply.execute(refund_id="dash-1", payment_id=order.payment.payment_id, status="COMPLETED",
                            amount=Money(2000, "EUR"), occurred_at=AT)
    assert [r.amount.amount for r in outside.refunds] == [1000, 2000] and outside.refunds[1].app_fee.amount == 200
    too_much = apply.execute(refund_id="dash-2", payment_id=order.payment.payment_id, status="COMPLETED",
                             amount=Money(2001, "EUR"), occurred_at=AT)
    assert len(too_much.refunds) == 2 and "supera" in too_much.timeline[-1].note


def _with_a_square_invoice(world, order):
    """An order invoiced through Square's Invoices API, as orders were before a paid job's invoice
    became its receipt: their invoices' news still arrives."""
    invoice = world.gateway.issue_invoice(seller_id=order.seller_id, reference_id=order.id,
                                          buyer_email="ana@example.com", buyer_name="Ana", lines=[], due=AT.date(),
                                          idempotency_key=f"invoice-{order.id}")
    stored = world.orders.get(order.id)
    stored.record_invoice(InvoiceRecord(invoice_id=invoice.invoice_id, status=invoice.status.value,
                                        public_url=invoice.public_url, issued_at=AT),
                          actor_id="seller", party=Party.SELLER, now=AT)
    world.orders.save(stored)
    return world.orders.get(order.id)


def test_invoice_updates_only_move_forward(world):
    order = _with_a_square_invoice(world, world.accepted())
    apply = world(uc.ApplyInvoiceUpdate)
    invoice_id = order.invoice.invoice_id
    # Said PAID while Square's invoice is still unpaid: nothing moves.
    assert apply.execute(invoice_id=invoice_id, status="PAID", occurred_at=AT).invoice.status == "UNPAID"
    world.gateway.square_sets_invoice(invoice_id, InvoiceStatus.PAID)
    assert apply.execute(invoice_id=invoice_id, status="PAID", occurred_at=AT).invoice.status == "PAID"
    world.gateway.square_sets_invoice(invoice_id, InvoiceStatus.UNPAID)
    assert apply.execute(invoice_id=invoice_id, status="UNPAID", occurred_at=AT).invoice.status == "PAID"


def test_an_update_retries_when_the_order_changes_under_it(world):
    order = world.paid()
    world.gateway.square_sets_payment(order.payment.payment_id, PaymentStatus.COMPLETED)
    real_save = world.orders.save
    calls = []

    def save_losing_once(o):
        calls.append(o.version)
        if len(calls) == 1:  # someone else saves in between
            real_save(world.orders.get(o.id))
        real_save(o)

    world.orders.save = save_losing_once
    updated = world(uc.ApplyPaymentUpdate).execute(payment_id=order.payment.payment_id, status="COMPLETED",
                                                   amount=EUR50, occurred_at=AT)
    assert updated.status is S.ACCEPTED and len(calls) == 2
    assert world(uc.GetOrder).execute(BUYER, order.id).order.status is S.ACCEPTED
