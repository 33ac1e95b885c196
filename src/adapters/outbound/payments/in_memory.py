"""An in-memory PaymentGateway with Square's sandbox behaviour, for unit tests and benchmarks."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

from application.orders.payment_gateway import (
    CardPayment,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from domain.shared.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PaymentDeclined,
    SellerCannotTakePayments,
)
from domain.shared.ids import new_id
from domain.shared.money import Money

# Square's documented sandbox card nonces that decline, with the error code Square returns.
DECLINING_SOURCES = {
    "cnon:card-nonce-declined": "CARD_DECLINED",
    "cnon:card-nonce-rejected-cvv": "CVV_FAILURE",
    "cnon:card-nonce-rejected-postalcode": "ADDRESS_VERIFICATION_FAILURE",
    "cnon:card-nonce-rejected-expiration": "INVALID_EXPIRATION",
}


class InMemoryPaymentGateway:
    """State a test can read: ``payments``, ``refunds``, ``invoices``, ``calls``.
    ``fail_next`` makes the next call raise (e.g. PaymentGatewayUnavailable)."""

    def __init__(self) -> None:
        self.payments: dict[str, CardPayment] = {}
        self.payment_sellers: dict[str, str] = {}
        self.refunds: dict[str, Refund] = {}
        self.invoices: dict[str, Invoice] = {}
        self.calls: list[tuple[str, dict]] = []
        self.disconnected_sellers: dict[str, str] = {}
        self.fail_next: DomainError | None = None
        self._by_idempotency_key: dict[str, object] = {}
        self._lock = threading.Lock()

    def _enter(self, name: str, **arguments: object) -> None:
        self.calls.append((name, arguments))
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def _payment_of(self, seller_id: str, payment_id: str) -> CardPayment:
        if self.payment_sellers.get(payment_id) != seller_id:
            raise NotFound(f"payment {payment_id} not found")
        return self.payments[payment_id]

    def can_take_payments(self, seller_id: str) -> tuple[bool, str]:
        reason = self.disconnected_sellers.get(seller_id)
        return (False, reason) if reason else (True, "")

    def authorize(self, *, seller_id: str, source_id: str, amount: Money, app_fee: Money,
                  idempotency_key: str, reference_id: str, note: str) -> CardPayment:
        with self._lock:
            self._enter("authorize", seller_id=seller_id, source_id=source_id, amount=amount, app_fee=app_fee,
                        idempotency_key=idempotency_key, reference_id=reference_id)
            if idempotency_key in self._by_idempotency_key:
                return self._by_idempotency_key[idempotency_key]  # type: ignore[return-value]
            ok, reason = self.can_take_payments(seller_id)
            if not ok:
                raise SellerCannotTakePayments(reason)
            if amount.amount <= 0:
                raise InvalidInput("amount must be positive", field="amount")
            if source_id in DECLINING_SOURCES:
                code = DECLINING_SOURCES[source_id]
                raise PaymentDeclined(f"the card was declined ({code})", reason=code)
            payment = CardPayment(payment_id=new_id(), status=PaymentStatus.APPROVED, amount=amount,
                                  app_fee=app_fee, card_brand="VISA", card_last4="1111")
            self.payments[payment.payment_id] = payment
            self.payment_sellers[payment.payment_id] = seller_id
            self._by_idempotency_key[idempotency_key] = payment
            return payment

    def _move(self, seller_id: str, payment_id: str, target: PaymentStatus, allowed_from: set[PaymentStatus]) -> CardPayment:
        payment = self._payment_of(seller_id, payment_id)
        if payment.status == target:
            return payment
        if payment.status not in allowed_from:
            raise InvalidTransition(f"payment is {payment.status.value}; cannot become {target.value}")
        payment = replace(payment, status=target)
        self.payments[payment_id] = payment
        return payment

    def capture(self, *, seller_id: str, payment_id: str) -> CardPayment:
        with self._lock:
            self._enter("capture", seller_id=seller_id, payment_id=payment_id)
            return self._move(seller_id, payment_id, PaymentStatus.COMPLETED, {PaymentStatus.APPROVED})

    def void(self, *, seller_id: str, payment_id: str) -> CardPayment:
        with self._lock:
            self._enter("void", seller_id=seller_id, payment_id=payment_id)
            return self._move(seller_id, payment_id, PaymentStatus.CANCELED, {PaymentStatus.APPROVED})

    def get_payment(self, *, seller_id: str, payment_id: str) -> CardPayment:
        self._enter("get_payment", seller_id=seller_id, payment_id=payment_id)
        return self._payment_of(seller_id, payment_id)

    def refund(self, *, seller_id: str, payment_id: str, amount: Money, app_fee: Money,
               idempotency_key: str, reason: str) -> Refund:
        with self._lock:
            self._enter("refund", seller_id=seller_id, payment_id=payment_id, amount=amount, app_fee=app_fee,
                        idempotency_key=idempotency_key)
            if idempotency_key in self._by_idempotency_key:
                return self._by_idempotency_key[idempotency_key]  # type: ignore[return-value]
            payment = self._payment_of(seller_id, payment_id)
            if payment.status != PaymentStatus.COMPLETED:
                raise InvalidTransition("only a captured payment can be refunded")
            refunded = sum((r.amount.amount for r in self.refunds.values() if r.payment_id == payment_id), 0)
            if amount.amount <= 0 or refunded + amount.amount > payment.amount.amount:
                raise InvalidInput("refund exceeds what is left of the payment", field="amount")
            refund = Refund(refund_id=new_id(), payment_id=payment_id, status=RefundStatus.PENDING,
                            amount=amount, app_fee=app_fee)
            self.refunds[refund.refund_id] = refund
            self._by_idempotency_key[idempotency_key] = refund
            return refund

    def issue_invoice(self, *, seller_id: str, reference_id: str, buyer_email: str, buyer_name: str,
                      lines: list[InvoiceLine], due: date, idempotency_key: str) -> Invoice:
        with self._lock:
            self._enter("issue_invoice", seller_id=seller_id, reference_id=reference_id, lines=lines)
            if idempotency_key in self._by_idempotency_key:
                return self._by_idempotency_key[idempotency_key]  # type: ignore[return-value]
            invoice = Invoice(invoice_id=new_id(), gateway_order_id=new_id(), status=InvoiceStatus.UNPAID,
                              public_url=f"https://squareup.test/pay-invoice/{reference_id}")
            self.invoices[invoice.invoice_id] = invoice
            self._by_idempotency_key[idempotency_key] = invoice
            return invoice
