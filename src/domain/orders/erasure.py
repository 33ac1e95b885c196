"""The orders context's part of a person leaving: what keeps them from leaving, and what of an
order is theirs to erase. The order itself stays: it is the record of a sale the tax authority
and the other party may ask for."""

from __future__ import annotations

from dataclasses import replace

from domain.orders.order import Order, OrderStatus
from domain.orders.schedule import SellerSchedule
from domain.shared.erasure import ERASED_TEXT, BlockerKind, ErasureBlocker

S = OrderStatus
# Money is held or expected: Square has not settled it yet.
PAYMENT_PENDING = frozenset({S.PENDING_PAYMENT, S.AUTHORIZED})
# The other party still counts on the person: a quote being negotiated, a job booked or under way.
STILL_OPEN = frozenset({S.QUOTE_REQUESTED, S.QUOTE_OFFERED, S.ACCEPTED, S.IN_PROGRESS})
BLOCKING = PAYMENT_PENDING | STILL_OPEN
# Square's refund statuses that may still move money.
_REFUND_PENDING = frozenset({"PENDING"})


def erasure_blocker(order: Order) -> ErasureBlocker | None:
    """Why this order keeps its buyer or seller from deleting their account, or None."""
    if order.status in PAYMENT_PENDING:
        return ErasureBlocker(order.id, BlockerKind.PAYMENT, order.status.value)
    if order.status in STILL_OPEN:
        return ErasureBlocker(order.id, BlockerKind.OPEN, order.status.value)
    if any(refund.status in _REFUND_PENDING for refund in order.refunds):
        return ErasureBlocker(order.id, BlockerKind.REFUND)
    return None


def erase_person(order: Order, person_id: str) -> bool:
    """Blank the free text the person wrote on the order (the address of their home, notes, quote
    texts); amounts, dates, statuses and ids stay. Returns whether anything changed."""
    before = (order.address, order.notes, order.quote_request, order.quote, list(order.timeline))
    if order.buyer_id == person_id:
        order.address = ERASED_TEXT if order.address else ""
        order.notes = ERASED_TEXT if order.notes else ""
        order.quote_request = ERASED_TEXT if order.quote_request else ""
    if order.seller_id == person_id and order.quote is not None and order.quote.message:
        order.quote = replace(order.quote, message=ERASED_TEXT)
    order.timeline = [replace(entry, note=ERASED_TEXT) if entry.actor_id == person_id and entry.note
                      and entry.note != ERASED_TEXT else entry for entry in order.timeline]
    return before != (order.address, order.notes, order.quote_request, order.quote, list(order.timeline))


def erase_time_off_notes(schedule: SellerSchedule) -> bool:
    """A seller's reasons for time off ("médico", "boda de mi hermana") are about their life; the
    dates stay, so orders booked around them still make sense. Whether anything changed."""
    if not any(entry.note for entry in schedule.time_off):
        return False
    schedule.time_off = [replace(entry, note="") for entry in schedule.time_off]
    return True
