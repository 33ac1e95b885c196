"""Square's payment news, handed to the orders context: the bridge between the two contexts.

The payments context verifies and de-duplicates webhooks; the orders use cases check amounts
against the order and never move an order backwards when news arrive out of order."""

from __future__ import annotations

from datetime import datetime

from application.orders.use_cases import ApplyInvoiceUpdate, ApplyPaymentUpdate, ApplyRefundUpdate
from domain.shared.money import Money


class OrdersPaymentEventsListener:
    def __init__(self, *, payments: ApplyPaymentUpdate, refunds: ApplyRefundUpdate,
                 invoices: ApplyInvoiceUpdate) -> None:
        self._payments = payments
        self._refunds = refunds
        self._invoices = invoices

    def payment_updated(self, *, payment_id: str, status: str, amount: Money, occurred_at: datetime) -> None:
        self._payments.execute(payment_id=payment_id, status=status, amount=amount, occurred_at=occurred_at)

    def refund_updated(self, *, refund_id: str, payment_id: str, status: str, amount: Money,
                       occurred_at: datetime) -> None:
        self._refunds.execute(refund_id=refund_id, payment_id=payment_id, status=status, amount=amount,
                              occurred_at=occurred_at)

    def invoice_updated(self, *, invoice_id: str, status: str, occurred_at: datetime) -> None:
        self._invoices.execute(invoice_id=invoice_id, status=status, occurred_at=occurred_at)
