"""What an order costs, what the platform keeps, and what a cancellation gives back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.shared.errors import InvalidInput
from domain.shared.money import Money


class PriceModel(StrEnum):
    FIXED = "fixed"
    HOURLY = "hourly"
    QUOTE = "quote"


@dataclass(frozen=True)
class FeePolicy:
    """The platform's commission: ``basis_points`` of the subtotal, at least ``minimum`` minor units,
    never more than the subtotal itself."""

    basis_points: int
    minimum: int

    def fee_for(self, subtotal: Money) -> Money:
        fee = max(subtotal.percentage(self.basis_points).amount, self.minimum)
        return Money(min(fee, subtotal.amount), subtotal.currency)


@dataclass(frozen=True)
class Breakdown:
    subtotal: Money
    fee: Money
    seller_receives: Money

    @property
    def total(self) -> Money:
        """What the buyer pays, all included: the commission comes out of the seller's share."""
        return self.subtotal

    @classmethod
    def of(cls, subtotal: Money, policy: FeePolicy) -> Breakdown:
        if subtotal.amount <= 0:
            raise InvalidInput("the price must be positive", field="price")
        fee = policy.fee_for(subtotal)
        return cls(subtotal=subtotal, fee=fee, seller_receives=subtotal - fee)


def hourly_subtotal(rate: Money, minutes: int) -> Money:
    """The hourly rate times the booked hours, rounded half up to a minor unit."""
    return Money((rate.amount * minutes + 30) // 60, rate.currency)


def proportional_fee(fee: Money, total: Money, refunded: Money) -> Money:
    """The share of the commission that goes back when ``refunded`` of ``total`` has been refunded
    in all. Computed on the running total, so several partial refunds add up to exactly the fee."""
    if total.amount == 0:
        return Money.zero(fee.currency)
    return Money((fee.amount * refunded.amount * 2 + total.amount) // (2 * total.amount), fee.currency)


@dataclass(frozen=True)
class CancellationPolicy:
    """A buyer cancelling an accepted order gets everything back up to ``full_refund_before`` the
    slot starts, and ``late_refund_percent`` of it after."""

    full_refund_before: timedelta
    late_refund_percent: int

    def refund_for(self, captured: Money, slot_start: datetime, now: datetime) -> Money:
        if now <= slot_start - self.full_refund_before:
            return captured
        return Money((captured.amount * self.late_refund_percent + 50) // 100, captured.currency)
