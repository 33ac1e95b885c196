"""The real SquarePaymentGateway (squareup SDK) and the OAuth adapter (authlib) against the local
Square stand-in: the SDK parsing every answer is the proof that the stand-in's shapes are Square's."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import requests

from adapters.outbound.payments.fernet_cipher import FernetTokenCipher
from adapters.outbound.payments.in_memory import InMemoryMoneyInFlight, InMemorySquareConnectionRepository
from adapters.outbound.payments.square_gateway import SquarePaymentGateway
from adapters.outbound.payments.square_oauth import AuthlibSquareOAuth, SdkSquareMerchantApi
from adapters.outbound.system_clock import SystemClock
from application.orders.payment_gateway import InvoiceLine, InvoiceStatus, PaymentStatus, RefundStatus
from application.payments.ports import SquareConnectionPolicy
from application.payments.use_cases import (
    CheckSellerCanTakePayments,
    GetSellerSquareCredentials,
    ImportSquareConnection,
)
from config import DEVELOPMENT_SQUARE_APPLICATION_ID, DEVELOPMENT_SQUARE_APPLICATION_SECRET, Settings
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

pytestmark = pytest.mark.integration

EUR = "EUR"


class Square:
    """One test's world: a connection store, the real adapters, and helpers to drive the stand-in."""

    def __init__(self, url: str, *, timeout: float = 5) -> None:
        self.url = url
        self.connections = InMemorySquareConnectionRepository()
        self.cipher = FernetTokenCipher(Settings().square_token_encryption_key)
        self.oauth = AuthlibSquareOAuth(base_url=url, application_id=DEVELOPMENT_SQUARE_APPLICATION_ID,
                                        application_secret=DEVELOPMENT_SQUARE_APPLICATION_SECRET,
                                        redirect_url="http://127.0.0.1:1/square/oauth/callback", timeout_seconds=5)
        self.merchant_api = SdkSquareMerchantApi(base_url=url, timeout_seconds=5)
        policy = SquareConnectionPolicy()
        credentials = GetSellerSquareCredentials(self.connections, self.oauth, self.cipher, policy, SystemClock())
        self.gateway = SquarePaymentGateway(credentials=credentials,
                                            connections=CheckSellerCanTakePayments(self.connections), base_url=url,
                                            payment_delay="P3D", timeout_seconds=timeout, max_retries=0)

    def seller(self) -> str:
        """A seller connected to a new sandbox merchant of their own."""
        seller_id = uuid.uuid4().hex
        ImportSquareConnection(self.oauth, self.merchant_api, self.connections, self.cipher, InMemoryMoneyInFlight(),
                               SystemClock()) \
            .execute(seller_id, f"sandbox-demo-refresh-{seller_id}")
        return seller_id

    def token(self, seller_id: str) -> str:
        return self.cipher.decrypt(self.connections.get(seller_id).access_token_encrypted)

    def raw_payment(self, seller_id: str, payment_id: str) -> dict:
        return requests.get(f"{self.url}/v2/payments/{payment_id}", timeout=5,
                            headers={"Authorization": f"Bearer {self.token(seller_id)}"}).json()["payment"]

    def control(self, path: str, **body) -> dict:
        response = requests.post(f"{self.url}/_control/{path}", json=body, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def square(square_url: str) -> Square:
    return Square(square_url)


def hold(square: Square, seller_id: str, amount: int = 10_000, key: str | None = None, nonce="cnon:card-nonce-ok"):
    return square.gateway.authorize(seller_id=seller_id, source_id=nonce, amount=Money(amount, EUR),
                                    app_fee=Money(amount // 10, EUR), idempotency_key=key or uuid.uuid4().hex,
                                    reference_id="order-1", note="Fix the kitchen sink")


def test_a_hold_is_a_delayed_capture_with_the_platform_fee_on_the_sellers_location(square):
    seller = square.seller()
    payment = hold(square, seller)
    assert payment.status == PaymentStatus.APPROVED
    assert (payment.amount, payment.app_fee) == (Money(10_000, EUR), Money(1_000, EUR))
    assert (payment.card_brand, payment.card_last4) == ("VISA", "1111")
    raw = square.raw_payment(seller, payment.payment_id)
    assert (raw["delay_duration"], raw["delay_action"]) == ("P3D", "CANCEL")
    assert raw["location_id"] == square.connections.get(seller).location_id
    assert raw["reference_id"] == "order-1"
    assert square.gateway.get_payment(seller_id=seller, payment_id=payment.payment_id) == payment


def test_capture_then_capture_again_is_harmless(square):
    seller = square.seller()
    payment = hold(square, seller)
    captured = square.gateway.capture(seller_id=seller, payment_id=payment.payment_id)
    assert captured.status == PaymentStatus.COMPLETED
    assert square.gateway.capture(seller_id=seller, payment_id=payment.payment_id).status == PaymentStatus.COMPLETED
    with pytest.raises(InvalidTransition):
        square.gateway.void(seller_id=seller, payment_id=payment.payment_id)


def test_a_captured_payment_has_squares_receipt_and_a_held_one_has_none(square):
    """The paid job's invoice is this receipt (IssueInvoice): a page the buyer opens that says paid."""
    seller = square.seller()
    payment = hold(square, seller)
    assert payment.receipt_url is None and payment.receipt_number is None
    square.gateway.capture(seller_id=seller, payment_id=payment.payment_id)
    captured = square.gateway.get_payment(seller_id=seller, payment_id=payment.payment_id)
    assert captured.receipt_number == payment.payment_id[:4]
    page = requests.get(captured.receipt_url, timeout=5)
    assert page.status_code == 200 and "Paid" in page.text and "Receipt" in page.text


def test_void_releases_the_hold_and_a_voided_payment_cannot_be_captured(square):
    seller = square.seller()
    payment = hold(square, seller)
    assert square.gateway.void(seller_id=seller, payment_id=payment.payment_id).status == PaymentStatus.CANCELED
    with pytest.raises(InvalidTransition):
        square.gateway.capture(seller_id=seller, payment_id=payment.payment_id)


def test_squares_delay_action_voids_a_hold_nobody_captured(square):
    seller = square.seller()
    payment = hold(square, seller)
    square.control(f"payments/{payment.payment_id}/expire-hold")
    assert square.gateway.get_payment(seller_id=seller, payment_id=payment.payment_id).status \
        == PaymentStatus.CANCELED


def test_partial_refunds_never_above_what_was_captured(square):
    seller = square.seller()
    payment = hold(square, seller, 10_000)
    square.gateway.capture(seller_id=seller, payment_id=payment.payment_id)

    def refund(amount: int, fee: int, key: str):
        return square.gateway.refund(seller_id=seller, payment_id=payment.payment_id, amount=Money(amount, EUR),
                                     app_fee=Money(fee, EUR), idempotency_key=key, reason="late")

    first, second = refund(3_000, 300, "r1"), refund(5_000, 500, "r2")
    assert (first.status, first.amount, first.app_fee) == (RefundStatus.PENDING, Money(3_000, EUR), Money(300, EUR))
    assert second.payment_id == payment.payment_id and second.refund_id != first.refund_id
    assert refund(3_000, 300, "r1") == first  # a retry is not a third refund
    with pytest.raises(InvalidInput) as error:
        refund(2_001, 200, "r3")
    assert error.value.field == "amount"
    assert refund(2_000, 200, "r4").amount == Money(2_000, EUR)


def test_a_held_payment_cannot_be_refunded(square):
    seller = square.seller()
    payment = hold(square, seller)
    with pytest.raises(InvalidTransition):
        square.gateway.refund(seller_id=seller, payment_id=payment.payment_id, amount=Money(100, EUR),
                              app_fee=Money(0, EUR), idempotency_key="r", reason="x")


@pytest.mark.parametrize(("nonce", "reason"), [
    ("cnon:card-nonce-declined", "CARD_DECLINED"), ("cnon:card-nonce-rejected-cvv", "CVV_FAILURE"),
    ("cnon:card-nonce-rejected-postalcode", "ADDRESS_VERIFICATION_FAILURE"),
    ("cnon:card-nonce-rejected-expiration", "INVALID_EXPIRATION"),
])
def test_a_declined_card_answers_squares_reason(square, nonce, reason):
    seller = square.seller()
    with pytest.raises(PaymentDeclined) as error:
        hold(square, seller, nonce=nonce)
    assert error.value.reason == reason


def test_the_same_idempotency_key_never_charges_twice(square):
    seller = square.seller()
    before = requests.get(f"{square.url}/_control/state", timeout=5).json()["payments"]
    first, again = hold(square, seller, key="book-42"), hold(square, seller, key="book-42")
    assert first.payment_id == again.payment_id
    assert requests.get(f"{square.url}/_control/state", timeout=5).json()["payments"] == before + 1
    with pytest.raises(Conflict):
        hold(square, seller, amount=5_000, key="book-42")


def test_the_same_key_of_two_sellers_are_two_payments(square):
    one, two = square.seller(), square.seller()
    assert hold(square, one, key="k").payment_id != hold(square, two, key="k").payment_id


def test_square_failing_is_unavailable_and_the_retry_succeeds(square):
    seller = square.seller()
    square.control("faults", fail_next=1)
    with pytest.raises(PaymentGatewayUnavailable):
        hold(square, seller, key="retry-me")
    assert hold(square, seller, key="retry-me").status == PaymentStatus.APPROVED


def test_square_too_slow_is_unavailable(square_url):
    square = Square(square_url, timeout=0.5)
    seller = square.seller()
    square.control("faults", fail_next=1, mode="timeout", timeout_seconds=2)
    with pytest.raises(PaymentGatewayUnavailable):
        hold(square, seller)


def test_square_unreachable_is_unavailable():
    square = Square("http://127.0.0.1:9")  # nothing listens on the discard port
    square.connections.save(_connected("s", square.cipher))
    with pytest.raises(PaymentGatewayUnavailable):
        hold(square, "s")


def _connected(seller_id, cipher):
    from datetime import UTC, datetime, timedelta

    from domain.payments.connection import SquareConnection

    now = datetime.now(UTC)
    connection = SquareConnection.connect(seller_id=seller_id, merchant_id="M", access_token_encrypted=cipher.encrypt(
        "t"), refresh_token_encrypted=cipher.encrypt("r"), expires_at=now + timedelta(days=30), now=now)
    connection.location_id, connection.currency = "L", EUR
    return connection


def test_a_seller_sees_only_their_own_payments(square):
    one, two = square.seller(), square.seller()
    payment = hold(square, one)
    with pytest.raises(NotFound):
        square.gateway.get_payment(seller_id=two, payment_id=payment.payment_id)
    with pytest.raises(NotFound):
        square.gateway.capture(seller_id=two, payment_id=payment.payment_id)


def test_currencies_never_mix(square):
    seller = square.seller()
    with pytest.raises(CurrencyMismatch):
        square.gateway.authorize(seller_id=seller, source_id="cnon:card-nonce-ok", amount=Money(1_000, "USD"),
                                 app_fee=Money(100, "USD"), idempotency_key="k", reference_id="o", note="")


def test_a_revoked_authorization_means_the_seller_cannot_take_payments(square):
    seller = square.seller()
    square.control(f"merchants/{square.connections.get(seller).merchant_id}/revoke")
    with pytest.raises(SellerCannotTakePayments):
        hold(square, seller)


def test_an_invoice_is_a_square_order_and_a_published_invoice(square):
    seller = square.seller()
    lines = [InvoiceLine("Boiler service", 1, Money(8_000, EUR)), InvoiceLine("Valve", 2, Money(1_500, EUR))]

    def issue():
        return square.gateway.issue_invoice(seller_id=seller, reference_id="order-9", buyer_email="ana@example.com",
                                            buyer_name="Ana García", lines=lines, due=date(2026, 12, 1),
                                            idempotency_key="invoice-order-9")

    invoice = issue()
    assert invoice.status == InvoiceStatus.UNPAID and invoice.public_url and invoice.gateway_order_id
    raw = requests.get(f"{square.url}/v2/invoices/{invoice.invoice_id}", timeout=5,
                       headers={"Authorization": f"Bearer {square.token(seller)}"}).json()["invoice"]
    assert raw["payment_requests"][0]["computed_amount_money"] == {"amount": 11_000, "currency": EUR}
    assert raw["order_id"] == invoice.gateway_order_id
    assert issue() == invoice  # a retry neither creates nor publishes a second invoice
