from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.orders.pricing import Breakdown, CancellationPolicy, FeePolicy, hourly_subtotal, proportional_fee
from domain.shared.errors import InvalidInput
from domain.shared.money import CurrencyMismatch, Money


def test_the_fee_is_a_share_of_the_subtotal_with_a_minimum_and_never_above_the_subtotal():
    policy = FeePolicy(basis_points=1000, minimum=150)
    assert Breakdown.of(Money(5000, "EUR"), policy) == Breakdown(Money(5000, "EUR"), Money(500, "EUR"),
                                                                 Money(4500, "EUR"))
    assert policy.fee_for(Money(1000, "EUR")) == Money(150, "EUR")
    assert policy.fee_for(Money(120, "EUR")) == Money(120, "EUR")


def test_a_zero_price_is_refused():
    with pytest.raises(InvalidInput):
        Breakdown.of(Money(0, "EUR"), FeePolicy(1000, 0))


def test_hourly_prices_round_half_up_to_the_minor_unit():
    assert hourly_subtotal(Money(2999, "EUR"), 90) == Money(4499, "EUR")  # 4498.5 -> 4499
    assert hourly_subtotal(Money(3000, "EUR"), 45) == Money(2250, "EUR")


def test_partial_refunds_give_back_exactly_the_whole_fee_in_the_end():
    fee, total = Money(333, "EUR"), Money(1000, "EUR")
    shares = []
    refunded = Money(0, "EUR")
    for part in (333, 333, 334):
        before = proportional_fee(fee, total, refunded)
        refunded = refunded + Money(part, "EUR")
        shares.append((proportional_fee(fee, total, refunded) - before).amount)
    assert sum(shares) == 333 and shares == [111, 111, 111]


def test_the_cancellation_policy_full_before_the_cutoff_partial_after():
    policy = CancellationPolicy(full_refund_before=timedelta(hours=24), late_refund_percent=50)
    slot = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert policy.refund_for(Money(5001, "EUR"), slot, slot - timedelta(hours=24)) == Money(5001, "EUR")
    assert policy.refund_for(Money(5001, "EUR"), slot, slot - timedelta(hours=23)) == Money(2501, "EUR")


def test_currencies_never_mix():
    with pytest.raises(CurrencyMismatch):
        Money(1, "EUR") + Money(1, "USD")
