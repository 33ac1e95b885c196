"""The orders' PaymentGateway on Square, through the `squareup` SDK, acting on each seller's own
Square account with the seller's OAuth token and location; the platform's commission is the
payment's ``app_fee_money``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import httpx
from square import Square
from square.core.api_error import ApiError

from application.orders.payment_gateway import (
    CardPayment,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from application.payments.use_cases import CheckSellerCanTakePayments, GetSellerSquareCredentials
from domain.shared.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    SellerCannotTakePayments,
)
from domain.shared.money import CurrencyMismatch, Money

T = TypeVar("T")

# Derived keys are stable for one caller's key, distinct per seller and operation, and within
# Square's 45-character limit (a UUID has 36).
_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d0c56-5d0e-4c8f-9a43-2f6a4f0b9e11")

# Square statuses the port does not name, mapped to what they mean for an order.
_INVOICE_STATUS_ALIASES = {"PAYMENT_PENDING": InvoiceStatus.UNPAID, "FAILED": InvoiceStatus.UNPAID}


def square_idempotency_key(seller_id: str, operation: str, key: str) -> str:
    return str(uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{seller_id}:{operation}:{key}"))


def _money_params(money: Money) -> dict[str, Any]:
    return {"amount": money.amount, "currency": money.currency}


def _money(raw: Any, currency: str) -> Money:
    return Money(raw.amount, raw.currency) if raw is not None else Money.zero(currency)


class SquarePaymentGateway:
    def __init__(self, *, credentials: GetSellerSquareCredentials, connections: CheckSellerCanTakePayments,
                 base_url: str, payment_delay: str, timeout_seconds: float, max_retries: int) -> None:
        self._credentials = credentials
        self._connections = connections
        self._base_url = base_url
        self._payment_delay = payment_delay
        self._timeout = timeout_seconds
        self._request_options = {"max_retries": max_retries}

    def can_take_payments(self, seller_id: str) -> tuple[bool, str]:
        return self._connections.execute(seller_id)

    def _client(self, seller_id: str) -> tuple[Square, str, str | None]:
        credentials = self._credentials.execute(seller_id)
        client = Square(token=credentials.access_token, base_url=self._base_url, timeout=self._timeout)
        return client, credentials.location_id, credentials.currency

    def authorize(self, *, seller_id: str, source_id: str, amount: Money, app_fee: Money,
                  idempotency_key: str, reference_id: str, note: str) -> CardPayment:
        if amount.amount <= 0:
            raise InvalidInput("amount must be positive", field="amount")
        if app_fee.currency != amount.currency or app_fee.amount < 0 or amount < app_fee:
            raise InvalidInput("the fee must be in the payment's currency and not above it", field="app_fee")
        client, location_id, currency = self._client(seller_id)
        if currency and currency != amount.currency:
            raise CurrencyMismatch(f"the seller's Square location takes {currency}, not {amount.currency}")
        answer = _call(lambda: client.payments.create(
            source_id=source_id, idempotency_key=square_idempotency_key(seller_id, "authorize", idempotency_key),
            amount_money=_money_params(amount), app_fee_money=_money_params(app_fee), autocomplete=False,
            delay_duration=self._payment_delay, delay_action="CANCEL", location_id=location_id,
            reference_id=reference_id[:40], note=note[:500], request_options=self._request_options))
        return _card_payment(answer.payment)

    def capture(self, *, seller_id: str, payment_id: str) -> CardPayment:
        client, _, _ = self._client(seller_id)
        answer = _call(lambda: client.payments.complete(payment_id, request_options=self._request_options))
        return _card_payment(answer.payment)

    def void(self, *, seller_id: str, payment_id: str) -> CardPayment:
        client, _, _ = self._client(seller_id)
        answer = _call(lambda: client.payments.cancel(payment_id, request_options=self._request_options))
        return _card_payment(answer.payment)

    def get_payment(self, *, seller_id: str, payment_id: str) -> CardPayment:
        client, _, _ = self._client(seller_id)
        answer = _call(lambda: client.payments.get(payment_id, request_options=self._request_options))
        return _card_payment(answer.payment)

    def get_refund(self, *, seller_id: str, refund_id: str) -> Refund:
        client, _, _ = self._client(seller_id)
        refund = _call(lambda: client.refunds.get(refund_id, request_options=self._request_options)).refund
        currency = refund.amount_money.currency
        return Refund(refund_id=refund.id, payment_id=refund.payment_id, status=RefundStatus(refund.status),
                      amount=_money(refund.amount_money, currency), app_fee=_money(refund.app_fee_money, currency))

    def get_invoice(self, *, seller_id: str, invoice_id: str) -> Invoice:
        client, _, _ = self._client(seller_id)
        invoice = _call(lambda: client.invoices.get(invoice_id, request_options=self._request_options)).invoice
        return Invoice(invoice_id=invoice.id, gateway_order_id=invoice.order_id or "",
                       status=_invoice_status(invoice.status), public_url=invoice.public_url)

    def refund(self, *, seller_id: str, payment_id: str, amount: Money, app_fee: Money,
               idempotency_key: str, reason: str) -> Refund:
        if amount.amount <= 0:
            raise InvalidInput("a refund must be positive", field="amount")
        if app_fee.currency != amount.currency or app_fee.amount < 0 or amount < app_fee:
            raise InvalidInput("the fee refunded must be in the refund's currency and not above it", field="app_fee")
        client, _, _ = self._client(seller_id)
        answer = _call(lambda: client.refunds.refund_payment(
            idempotency_key=square_idempotency_key(seller_id, "refund", idempotency_key),
            amount_money=_money_params(amount), app_fee_money=_money_params(app_fee), payment_id=payment_id,
            reason=reason[:192], request_options=self._request_options))
        refund = answer.refund
        return Refund(refund_id=refund.id, payment_id=refund.payment_id, status=RefundStatus(refund.status),
                      amount=_money(refund.amount_money, amount.currency),
                      app_fee=_money(refund.app_fee_money, amount.currency))

    def issue_invoice(self, *, seller_id: str, reference_id: str, buyer_email: str, buyer_name: str,
                      lines: list[InvoiceLine], due: date, idempotency_key: str) -> Invoice:
        if not lines:
            raise InvalidInput("an invoice needs at least one line", field="lines")
        client, location_id, _ = self._client(seller_id)

        def key(step: str) -> str:
            return square_idempotency_key(seller_id, f"invoice-{step}", idempotency_key)

        # Each step has its own derived key, so a retry after a failure half-way resumes without duplicates.
        customer = _call(lambda: client.customers.create(
            idempotency_key=key("customer"), given_name=buyer_name[:300], email_address=buyer_email,
            reference_id=reference_id[:255], request_options=self._request_options)).customer
        order = _call(lambda: client.orders.create(
            order={"location_id": location_id, "reference_id": reference_id[:40], "customer_id": customer.id,
                   "line_items": [{"name": line.name[:512], "quantity": str(line.quantity),
                                   "base_price_money": _money_params(line.unit_price)} for line in lines]},
            idempotency_key=key("order"), request_options=self._request_options)).order
        draft = _call(lambda: client.invoices.create(
            invoice={"location_id": location_id, "order_id": order.id,
                     "primary_recipient": {"customer_id": customer.id},
                     "payment_requests": [{"request_type": "BALANCE", "due_date": due.isoformat()}],
                     "delivery_method": "EMAIL", "accepted_payment_methods": {"card": True},
                     "title": lines[0].name[:255]},
            idempotency_key=key("invoice"), request_options=self._request_options)).invoice
        published = _call(lambda: client.invoices.publish(
            draft.id, version=draft.version, idempotency_key=key("publish"),
            request_options=self._request_options)).invoice
        return Invoice(invoice_id=published.id, gateway_order_id=order.id, status=_invoice_status(published.status),
                       public_url=published.public_url)


def _invoice_status(raw: str | None) -> InvoiceStatus:
    return _INVOICE_STATUS_ALIASES.get(raw or "") or InvoiceStatus(raw)


def _card_payment(payment: Any) -> CardPayment:
    currency = payment.amount_money.currency
    card = payment.card_details.card if payment.card_details else None
    return CardPayment(payment_id=payment.id, status=PaymentStatus(payment.status),
                       amount=_money(payment.amount_money, currency), app_fee=_money(payment.app_fee_money, currency),
                       card_brand=card.card_brand if card else None, card_last4=card.last4 if card else None,
                       receipt_number=payment.receipt_number, receipt_url=payment.receipt_url)


def _call(action: Callable[[], T]) -> T:
    """Square's answers in the marketplace's terms: 402 declines, 503 when Square is unreachable."""
    try:
        return action()
    except httpx.HTTPError as error:
        raise PaymentGatewayUnavailable(f"Square cannot be reached now ({type(error).__name__}); try again") \
            from None
    except ApiError as error:
        raise _translate(error) from None


def _translate(error: ApiError) -> Exception:
    status = error.status_code or 500
    first = error.errors[0] if error.errors else None
    code = (first.code if first else None) or "UNKNOWN"
    detail = (first.detail if first else None) or "Square refused the request"
    if status >= 500 or status in (408, 429):
        return PaymentGatewayUnavailable(f"Square is unavailable now ({status}); try again")
    if status == 401:
        return SellerCannotTakePayments(f"Square no longer accepts the seller's authorization ({code}); "
                                        "the seller must reconnect Square")
    if status == 402 or (first is not None and first.category == "PAYMENT_METHOD_ERROR"):
        return PaymentDeclined(f"the card was declined ({code})", reason=str(code))
    if status == 404:
        return NotFound(f"Square does not know it: {detail}")
    if code == "IDEMPOTENCY_KEY_REUSED":
        return Conflict("this Idempotency-Key was already used for a different request")
    if code == "CURRENCY_MISMATCH":
        return CurrencyMismatch(detail, field="amount")
    if code == "REFUND_AMOUNT_INVALID":
        return InvalidInput(f"the refund exceeds what is left of the payment: {detail}", field="amount")
    if code == "BAD_REQUEST":
        return InvalidTransition(detail)
    return InvalidInput(f"Square refused the request ({code}): {detail}", field=first.field if first else None)
