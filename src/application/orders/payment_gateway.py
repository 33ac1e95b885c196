"""The port through which orders hold, capture, void and refund card payments and issue invoices.

It speaks the orders context's language and is keyed by seller: the implementation finds the
seller's own connected payment account (Square OAuth token and location) and takes the platform's
commission as the application fee. Errors: PaymentDeclined (402), PaymentGatewayUnavailable (503),
SellerCannotTakePayments (409), all in domain.shared.errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from domain.shared.money import Money


class PaymentStatus(StrEnum):
    APPROVED = "APPROVED"  # authorized: the card is held, not yet charged
    COMPLETED = "COMPLETED"  # captured
    CANCELED = "CANCELED"  # voided (or the hold expired)
    FAILED = "FAILED"


class RefundStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    FAILED = "FAILED"


class InvoiceStatus(StrEnum):
    DRAFT = "DRAFT"
    UNPAID = "UNPAID"
    SCHEDULED = "SCHEDULED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    CANCELED = "CANCELED"
    REFUNDED = "REFUNDED"


@dataclass(frozen=True)
class CardPayment:
    payment_id: str
    status: PaymentStatus
    amount: Money
    app_fee: Money
    card_brand: str | None = None
    card_last4: str | None = None
    # A captured payment's receipt: the paid job's proof of payment, which the buyer can open.
    receipt_number: str | None = None
    receipt_url: str | None = None


@dataclass(frozen=True)
class Refund:
    refund_id: str
    payment_id: str
    status: RefundStatus
    amount: Money
    app_fee: Money


@dataclass(frozen=True)
class InvoiceLine:
    name: str
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    gateway_order_id: str
    status: InvoiceStatus
    public_url: str | None = None


class PaymentGateway(Protocol):
    def can_take_payments(self, seller_id: str) -> tuple[bool, str]:
        """(True, "") when the seller's account can take payments, else (False, reason)."""
        ...

    def authorize(self, *, seller_id: str, source_id: str, amount: Money, app_fee: Money,
                  idempotency_key: str, reference_id: str, note: str) -> CardPayment:
        """Hold the card for ``amount`` (delayed capture) on the seller's account."""
        ...

    def capture(self, *, seller_id: str, payment_id: str) -> CardPayment: ...

    def void(self, *, seller_id: str, payment_id: str) -> CardPayment: ...

    def get_payment(self, *, seller_id: str, payment_id: str) -> CardPayment: ...

    def get_refund(self, *, seller_id: str, refund_id: str) -> Refund:
        """What the gateway says of the refund now (NotFound when the seller's account has none)."""
        ...

    def get_invoice(self, *, seller_id: str, invoice_id: str) -> Invoice:
        """What the gateway says of the invoice now (NotFound when the seller's account has none)."""
        ...

    def refund(self, *, seller_id: str, payment_id: str, amount: Money, app_fee: Money,
               idempotency_key: str, reason: str) -> Refund:
        """Refund part or all of a captured payment; ``app_fee`` is the commission given back."""
        ...

    def issue_invoice(self, *, seller_id: str, reference_id: str, buyer_email: str, buyer_name: str,
                      lines: list[InvoiceLine], due: date, idempotency_key: str) -> Invoice:
        """Create the gateway order and invoice, and publish it (the gateway e-mails the buyer)."""
        ...
