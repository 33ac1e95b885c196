from __future__ import annotations

import logging
from datetime import datetime

from domain.shared.money import Money

log = logging.getLogger("payments.square_events")


class LoggingPaymentEventsListener:
    """The PaymentEventsListener while no context consumes Square's payment news: it keeps a trace
    in the log. The orders context replaces this binding with its own listener."""

    def payment_updated(self, *, payment_id: str, status: str, amount: Money, occurred_at: datetime) -> None:
        log.info("Square payment %s is %s (%s %s) at %s", payment_id, status, amount.amount, amount.currency,
                 occurred_at.isoformat())

    def refund_updated(self, *, refund_id: str, payment_id: str, status: str, amount: Money,
                       occurred_at: datetime) -> None:
        log.info("Square refund %s of payment %s is %s (%s %s) at %s", refund_id, payment_id, status, amount.amount,
                 amount.currency, occurred_at.isoformat())

    def invoice_updated(self, *, invoice_id: str, status: str, occurred_at: datetime) -> None:
        log.info("Square invoice %s is %s at %s", invoice_id, status, occurred_at.isoformat())
