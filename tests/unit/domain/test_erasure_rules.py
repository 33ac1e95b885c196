"""What keeps a person from leaving and what of their records is theirs to erase (issue #12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.orders.erasure import erase_person, erasure_blocker, erase_time_off_notes
from domain.orders.order import Order, OrderStatus, Party, Quote, RefundRecord, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel
from domain.orders.schedule import SellerSchedule, TimeOff
from domain.shared.erasure import ERASED_TEXT, BlockerKind, ErasureBlocker
from domain.shared.money import Money

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def order(status: OrderStatus, **changes) -> Order:
    made = Order(id="o-1", buyer_id="ana", service=ServiceSnapshot("s-1", "carlos", "Grifos", PriceModel.FIXED,
                                                                   Money(4500, "EUR"), 60),
                 slot_start=NOW, slot_end=NOW + timedelta(hours=1), time_zone="Europe/Madrid", buffer_minutes=0,
                 address="Calle Mayor 1", notes="2º B", status=status, created_at=NOW)
    for name, value in changes.items():
        setattr(made, name, value)
    return made


@pytest.mark.parametrize(("status", "reason"), [
    (OrderStatus.QUOTE_REQUESTED, "order o-1 is still open (quote_requested)"),
    (OrderStatus.QUOTE_OFFERED, "order o-1 is still open (quote_offered)"),
    (OrderStatus.PENDING_PAYMENT, "order o-1 has a pending payment (pending_payment)"),
    (OrderStatus.AUTHORIZED, "order o-1 has a pending payment (authorized)"),
    (OrderStatus.ACCEPTED, "order o-1 is still open (accepted)"),
    (OrderStatus.IN_PROGRESS, "order o-1 is still open (in_progress)"),
    (OrderStatus.COMPLETED, None),
    (OrderStatus.CANCELLED, None),
    (OrderStatus.DECLINED, None),
    (OrderStatus.EXPIRED, None),
    (OrderStatus.QUOTE_REJECTED, None),
])
def test_every_real_order_state_either_blocks_with_its_reason_or_not(status, reason):
    blocker = erasure_blocker(order(status))
    assert (blocker.sentence() if blocker else None) == reason


def test_a_blocker_says_which_order_and_why_for_a_client_to_show():
    assert erasure_blocker(order(OrderStatus.AUTHORIZED)) == ErasureBlocker("o-1", BlockerKind.PAYMENT, "authorized")
    assert erasure_blocker(order(OrderStatus.QUOTE_OFFERED)) == ErasureBlocker("o-1", BlockerKind.OPEN, "quote_offered")


def test_every_order_state_is_decided():
    # A new state added to the orders' machine must be placed here on purpose.
    assert len(OrderStatus) == 11


def test_a_refund_still_pending_at_square_blocks_a_finished_order():
    refund = RefundRecord("r-1", Money(1000, "EUR"), Money(100, "EUR"), "PENDING", "late", NOW)
    blocker = erasure_blocker(order(OrderStatus.COMPLETED, refunds=[refund]))
    assert blocker == ErasureBlocker("o-1", BlockerKind.REFUND) and blocker.sentence() == "order o-1 has a pending refund"
    settled = RefundRecord("r-1", Money(1000, "EUR"), Money(100, "EUR"), "COMPLETED", "late", NOW)
    assert erasure_blocker(order(OrderStatus.CANCELLED, refunds=[settled])) is None


def test_the_buyer_loses_address_and_notes_the_seller_keeps_theirs_and_the_record_stays():
    note_by_ana = TimelineEntry(NOW, "ana", Party.BUYER, OrderStatus.ACCEPTED, OrderStatus.CANCELLED, "cancel",
                                "me mudo a Calle Luna 4")
    note_by_carlos = TimelineEntry(NOW, "carlos", Party.SELLER, None, OrderStatus.ACCEPTED, "accept", "voy mañana")
    finished = order(OrderStatus.CANCELLED, timeline=[note_by_ana, note_by_carlos], quote_request="casa grande",
                     quote=Quote(Money(4500, "EUR"), "te llamo al 600", NOW, 1))

    assert erase_person(finished, "ana") is True
    assert (finished.address, finished.notes, finished.quote_request) == (ERASED_TEXT, ERASED_TEXT, ERASED_TEXT)
    assert [e.note for e in finished.timeline] == [ERASED_TEXT, "voy mañana"]
    assert finished.quote.message == "te llamo al 600"  # the seller's words
    assert (finished.id, finished.status, finished.buyer_id) == ("o-1", OrderStatus.CANCELLED, "ana")
    assert erase_person(finished, "ana") is False  # idempotent

    assert erase_person(finished, "carlos") is True
    assert finished.quote.message == ERASED_TEXT and finished.timeline[1].note == ERASED_TEXT


def test_a_sellers_reasons_for_time_off_go_and_the_dates_stay():
    schedule = SellerSchedule(seller_id="carlos", time_zone="Europe/Madrid",
                              time_off=[TimeOff("t-1", NOW, NOW + timedelta(days=1), "médico")])
    assert erase_time_off_notes(schedule) is True
    assert [(t.start, t.note) for t in schedule.time_off] == [(NOW, "")]
    assert erase_time_off_notes(schedule) is False
