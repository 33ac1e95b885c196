"""In-memory adapters of the payments ports (and the orders' PaymentGateway with Square's sandbox
behaviour), for unit tests, HTTP tests and benchmarks: thread-safe, with state a test can read."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from application.orders.payment_gateway import (
    CardPayment,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from application.payments.ports import OAuthTokens
from domain.payments.connection import ConnectionStatus, PendingAuthorization, SquareConnection, SquareLocation
from domain.payments.errors import SquareAuthorizationDenied
from domain.shared.errors import (
    Conflict,
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
        self.invoice_sellers: dict[str, str] = {}
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
        if target is PaymentStatus.COMPLETED:  # as Square does: a captured payment has its receipt
            payment = replace(payment, receipt_number=payment_id[:4],
                              receipt_url=f"https://receipts.invalid/{payment_id}")
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

    def get_refund(self, *, seller_id: str, refund_id: str) -> Refund:
        self._enter("get_refund", seller_id=seller_id, refund_id=refund_id)
        refund = self.refunds.get(refund_id)
        if refund is None or self.payment_sellers.get(refund.payment_id) != seller_id:
            raise NotFound(f"refund {refund_id} not found")
        return refund

    def get_invoice(self, *, seller_id: str, invoice_id: str) -> Invoice:
        self._enter("get_invoice", seller_id=seller_id, invoice_id=invoice_id)
        if self.invoice_sellers.get(invoice_id) != seller_id:
            raise NotFound(f"invoice {invoice_id} not found")
        return self.invoices[invoice_id]

    # What happens at Square without the marketplace asking: for tests of its news (webhooks).
    def square_sets_payment(self, payment_id: str, status: PaymentStatus) -> None:
        self.payments[payment_id] = replace(self.payments[payment_id], status=status)

    def square_sets_refund(self, refund_id: str, status: RefundStatus) -> None:
        self.refunds[refund_id] = replace(self.refunds[refund_id], status=status)

    def square_refunds_outside(self, payment_id: str, amount: Money, refund_id: str | None = None) -> Refund:
        """A refund the seller made on Square's dashboard."""
        refund = Refund(refund_id=refund_id or new_id(), payment_id=payment_id, status=RefundStatus.COMPLETED,
                        amount=amount, app_fee=Money.zero(amount.currency))
        self.refunds[refund.refund_id] = refund
        return refund

    def square_sets_invoice(self, invoice_id: str, status: InvoiceStatus) -> None:
        self.invoices[invoice_id] = replace(self.invoices[invoice_id], status=status)

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
            self.invoice_sellers[invoice.invoice_id] = seller_id
            self._by_idempotency_key[idempotency_key] = invoice
            return invoice


class InMemorySquareConnectionRepository:
    def __init__(self) -> None:
        self.connections: dict[str, SquareConnection] = {}
        self._lock = threading.Lock()

    def get(self, seller_id: str) -> SquareConnection | None:
        found = self.connections.get(seller_id)
        return copy.deepcopy(found) if found else None

    def save(self, connection: SquareConnection) -> None:
        with self._lock:
            stored = self.connections.get(connection.seller_id)
            if (stored.version if stored else 0) != connection.version:
                raise Conflict("the Square connection was changed by another request; try again")
            connection.version += 1
            self.connections[connection.seller_id] = copy.deepcopy(connection)

    def find_by_merchant(self, merchant_id: str) -> list[SquareConnection]:
        return [copy.deepcopy(c) for c in self.connections.values() if c.merchant_id == merchant_id]

    def expiring_before(self, moment: datetime, limit: int) -> list[SquareConnection]:
        due = [c for c in self.connections.values() if c.status == ConnectionStatus.CONNECTED and c.expires_at < moment]
        return [copy.deepcopy(c) for c in sorted(due, key=lambda c: c.expires_at)[:limit]]


class InMemoryPendingAuthorizations:
    def __init__(self) -> None:
        self.pending: dict[str, PendingAuthorization] = {}
        self._lock = threading.Lock()

    def add(self, pending: PendingAuthorization) -> None:
        self.pending[pending.state] = pending

    def take(self, state: str) -> PendingAuthorization | None:
        with self._lock:
            return self.pending.pop(state, None)


class ReversibleTokenCipher:
    """Not encryption: a visible marker, so a test sees that only ciphertext is stored."""

    PREFIX = "enc:"

    def encrypt(self, plain: str) -> str:
        return self.PREFIX + plain[::-1]

    def decrypt(self, token: str) -> str:
        if not token.startswith(self.PREFIX):
            raise ValueError("not encrypted by this cipher")
        return token[len(self.PREFIX):][::-1]


@dataclass
class _Grant:
    merchant_id: str
    refresh_token: str
    code_verifier: str


class InMemorySquareOAuth:
    """Square's OAuth as a test drives it: ``approve(state)`` plays the seller approving on Square and
    returns the code Square would put in the redirect; ``now`` decides the tokens' expiry. As at Square,
    refresh tokens of the PKCE flow (every code exchanged here) are single-use: a refresh answers a new
    one and refuses the old one from then on; others (put in ``refresh_tokens`` by a test) are reusable.
    ``refresh_calls`` lists every refresh token sent; ``during_refresh``, when set, runs after Square
    took a refresh token and before it answers (a test's stand-in for a slow Square)."""

    def __init__(self, now: object, lifetime: timedelta = timedelta(days=30)) -> None:
        self._now = now  # a callable giving the current time (the test's clock)
        self.lifetime = lifetime
        self.authorization_urls: list[str] = []
        self.challenges: dict[str, str] = {}  # state -> code verifier seen at authorization
        self.codes: dict[str, _Grant] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> merchant id
        self.access_tokens: dict[str, str] = {}  # access token -> merchant id
        self.revoked_merchants: list[str] = []
        self.single_use: set[str] = set()
        self.refreshes = 0
        self.refresh_calls: list[str] = []
        self.during_refresh: Callable[[], None] | None = None
        self.fail_next: DomainError | None = None
        self._issued = 0
        self._lock = threading.Lock()

    def _fail(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def authorization_url(self, *, state: str, code_verifier: str) -> str:
        self.challenges[state] = code_verifier
        url = f"https://squareup.test/oauth2/authorize?client_id=app&state={state}"
        self.authorization_urls.append(url)
        return url

    def approve(self, state: str, merchant_id: str = "MERCHANT-1") -> str:
        code = f"code-{len(self.codes) + 1}"
        self.codes[code] = _Grant(merchant_id, f"refresh-{merchant_id}", self.challenges[state])
        return code

    def _issue(self, merchant_id: str, refresh_token: str) -> OAuthTokens:
        self._issued += 1
        self.refresh_tokens[refresh_token] = merchant_id
        access_token = f"access-{self._issued}"
        self.access_tokens[access_token] = merchant_id
        return OAuthTokens(access_token=access_token, refresh_token=refresh_token,
                           expires_at=self._now() + self.lifetime, merchant_id=merchant_id)  # type: ignore[operator]

    def exchange_code(self, *, code: str, code_verifier: str) -> OAuthTokens:
        with self._lock:
            self._fail()
            grant = self.codes.pop(code, None)
            if grant is None or grant.code_verifier != code_verifier:
                raise SquareAuthorizationDenied("Square refused: the code or its PKCE verifier is wrong")
            self.single_use.add(grant.refresh_token)
            return self._issue(grant.merchant_id, grant.refresh_token)

    def refresh(self, refresh_token: str) -> OAuthTokens:
        with self._lock:
            self.refresh_calls.append(refresh_token)
            self._fail()
            merchant_id = self.refresh_tokens.get(refresh_token)
            if merchant_id is None:
                raise SquareAuthorizationDenied("Square refused: the refresh token is invalid, used or revoked")
            self.refreshes += 1
            if refresh_token in self.single_use:
                del self.refresh_tokens[refresh_token]
                self.single_use.discard(refresh_token)
                refresh_token = f"refresh-{merchant_id}-{self.refreshes}"
                self.single_use.add(refresh_token)
            tokens = self._issue(merchant_id, refresh_token)
        if self.during_refresh is not None:
            self.during_refresh()
        return tokens

    def revoke(self, *, merchant_id: str) -> None:
        with self._lock:
            self._fail()
            self.revoked_merchants.append(merchant_id)
            for token in [t for t, m in self.refresh_tokens.items() if m == merchant_id]:
                del self.refresh_tokens[token]


class InMemorySquareMerchantApi:
    """Locations per merchant (one "LOC-MAIN" in EUR unless a test sets others), for the tokens
    the OAuth fake issued."""

    def __init__(self, oauth: InMemorySquareOAuth) -> None:
        self._oauth = oauth
        self.locations_by_merchant: dict[str, list[SquareLocation]] = {}
        self.tokens_seen: list[str] = []

    def locations(self, access_token: str) -> list[SquareLocation]:
        self.tokens_seen.append(access_token)
        merchant_id = self._oauth.access_tokens.get(access_token)
        if merchant_id is None:
            raise SellerCannotTakePayments("Square does not accept this access token")
        return list(self.locations_by_merchant.get(merchant_id, [SquareLocation("LOC-MAIN", "Main", "EUR")]))


class AcceptingWebhookSignatures:
    """Accepts exactly the signatures in ``valid`` (a test puts the good one there)."""

    def __init__(self, valid: set[str] | None = None) -> None:
        self.valid = valid if valid is not None else {"good-signature"}
        self.checked: list[tuple[str, str]] = []

    def is_valid(self, *, body: str, signature: str) -> bool:
        self.checked.append((body, signature))
        return signature in self.valid


class InMemoryProcessedWebhookEvents:
    def __init__(self) -> None:
        self.events: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def record(self, event_id: str, event_type: str, received_at: datetime) -> bool:
        with self._lock:
            if event_id in self.events:
                return False
            self.events[event_id] = (event_type, received_at)
            return True

    def forget(self, event_id: str) -> None:
        with self._lock:
            self.events.pop(event_id, None)


@dataclass
class RecordingPaymentEventsListener:
    """The PaymentEventsListener fake: every call, in order, for a test to read."""

    calls: list[tuple[str, dict]] = field(default_factory=list)

    def payment_updated(self, *, payment_id: str, status: str, amount: Money, occurred_at: datetime) -> None:
        self.calls.append(("payment_updated", {"payment_id": payment_id, "status": status, "amount": amount,
                                               "occurred_at": occurred_at}))

    def refund_updated(self, *, refund_id: str, payment_id: str, status: str, amount: Money,
                       occurred_at: datetime) -> None:
        self.calls.append(("refund_updated", {"refund_id": refund_id, "payment_id": payment_id, "status": status,
                                              "amount": amount, "occurred_at": occurred_at}))

    def invoice_updated(self, *, invoice_id: str, status: str, occurred_at: datetime) -> None:
        self.calls.append(("invoice_updated", {"invoice_id": invoice_id, "status": status,
                                               "occurred_at": occurred_at}))


class InMemoryMoneyInFlight:
    """``open`` maps a seller to the orders a test says still have money open on their account."""

    def __init__(self) -> None:
        self.open: dict[str, list[str]] = {}

    def order_ids(self, seller_id: str) -> list[str]:
        return list(self.open.get(seller_id, []))
