"""Square's signed webhooks, sent by the stand-in to the app served over HTTP (real MongoDB, real
adapters), with a recording PaymentEventsListener in place of the orders context."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from injector import Module, provider, singleton
from werkzeug.serving import make_server

from adapters.outbound.payments.in_memory import RecordingPaymentEventsListener
from adapters.outbound.payments.mongo_documents import ProcessedWebhookEventDocument
from application.orders.payment_gateway import PaymentGateway
from application.payments.ports import PaymentEventsListener
from application.payments.use_cases import ImportSquareConnection
from devtools.processes import free_port
from domain.shared.money import Money
from tests import conftest
from tests.integration.test_marketplace_flow import api  # noqa: F401 - the whole marketplace served over HTTP

pytestmark = pytest.mark.integration


class RecordingListenerModule(Module):
    def __init__(self) -> None:
        self.listener = RecordingPaymentEventsListener()

    @singleton
    @provider
    def listener_provider(self) -> PaymentEventsListener:
        return self.listener


class Served:
    def __init__(self, app, url: str, listener: RecordingPaymentEventsListener, square_url: str) -> None:
        self.app, self.url, self.listener, self.square_url = app, url, listener, square_url

    def get(self, kind: type):
        return self.app.extensions["injector"].get(kind)

    def deliveries(self, event_type: str, count: int = 1, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [d for d in requests.get(f"{self.square_url}/_control/webhooks", timeout=5).json()["deliveries"]
                     if d["type"] == event_type and d["url"] == self.url]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {count} delivery of {event_type} within {timeout}s")


@pytest.fixture
def served(mongo_url: str, square_url: str) -> Iterator[Served]:
    from bootstrap import create_app

    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/square"
    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db="payments_webhooks_it",
                                      square_base_url=square_url,
                                      square_webhook_signature_key=conftest.SQUARE_TEST_SIGNATURE_KEY,
                                      square_webhook_notification_url=url)
    recording = RecordingListenerModule()
    app = create_app(settings, extra_modules=[recording])
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    requests.put(f"{square_url}/_control/webhook-url", json={"url": url}, timeout=5).raise_for_status()
    try:
        yield Served(app, url, recording.listener, square_url)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def connected_seller(served: Served) -> tuple[str, str]:
    seller_id = uuid.uuid4().hex
    connection = served.get(ImportSquareConnection).execute(seller_id, f"sandbox-demo-refresh-{seller_id}")
    return seller_id, connection.merchant_id


def test_payment_events_reach_the_listener_once_even_when_square_delivers_them_again(served):
    seller_id, _ = connected_seller(served)
    gateway = served.get(PaymentGateway)
    payment = gateway.authorize(seller_id=seller_id, source_id="cnon:card-nonce-ok", amount=Money(9_000, "EUR"),
                                app_fee=Money(900, "EUR"), idempotency_key="w1", reference_id="o-1", note="")
    gateway.capture(seller_id=seller_id, payment_id=payment.payment_id)

    updated = served.deliveries("payment.updated")[0]
    assert updated["status"] == 200
    mine = [c for name, c in served.listener.calls if name == "payment_updated"
            and c["payment_id"] == payment.payment_id]
    assert [c["status"] for c in mine][-1] == "COMPLETED"
    assert mine[-1]["amount"] == Money(9_000, "EUR")

    before = len(served.listener.calls)
    requests.post(f"{served.square_url}/_control/webhooks/{updated['event_id']}/redeliver", timeout=5)
    replays = served.deliveries("payment.updated", count=2)
    assert replays[-1]["event_id"] == updated["event_id"] and replays[-1]["status"] == 200
    assert len(served.listener.calls) == before  # handled once


def test_a_forged_or_unsigned_notification_is_refused_and_leaves_no_trace(served):
    event_id = str(uuid.uuid4())
    body = json.dumps({"merchant_id": "M", "type": "payment.updated", "event_id": event_id,
                       "created_at": "2026-11-23T10:00:00Z",
                       "data": {"type": "payment", "id": "p", "object": {"payment": {
                           "id": "p", "status": "COMPLETED", "amount_money": {"amount": 1, "currency": "EUR"}}}}})
    for headers in ({}, {"x-square-hmacsha256-signature": "Zm9yZ2Vk"}):
        answer = requests.post(served.url, data=body, headers={"Content-Type": "application/json", **headers},
                               timeout=5)
        assert answer.status_code == 401
    # A real signature over another body (an amount changed in transit) is no better.
    seller_id, _ = connected_seller(served)
    gateway = served.get(PaymentGateway)
    gateway.authorize(seller_id=seller_id, source_id="cnon:card-nonce-ok", amount=Money(100, "EUR"),
                      app_fee=Money(10, "EUR"), idempotency_key="w2", reference_id="o-2", note="")
    genuine = served.deliveries("payment.created")[-1]
    signed = requests.get(f"{served.square_url}/_control/webhooks/{genuine['event_id']}", timeout=5).json()
    tampered = signed["body"].replace('"amount":100', '"amount":1')
    assert tampered != signed["body"]
    answer = requests.post(served.url, data=tampered, timeout=5, headers={
        "Content-Type": "application/json", "x-square-hmacsha256-signature": signed["signature"]})
    assert answer.status_code == 401
    assert ProcessedWebhookEventDocument._get_collection().find_one({"_id": event_id}) is None


def test_a_merchant_revoking_on_square_makes_the_seller_unable_to_take_payments(served):
    seller_id, merchant_id = connected_seller(served)
    gateway = served.get(PaymentGateway)
    assert gateway.can_take_payments(seller_id) == (True, "")
    requests.post(f"{served.square_url}/_control/merchants/{merchant_id}/revoke", timeout=5).raise_for_status()
    served.deliveries("oauth.authorization.revoked")
    ok, reason = gateway.can_take_payments(seller_id)
    assert not ok and "revoked on Square by the merchant" in reason


def test_refunds_and_a_paid_invoice_reach_the_listener(served):
    from datetime import date

    from application.orders.payment_gateway import InvoiceLine

    seller_id, _ = connected_seller(served)
    gateway = served.get(PaymentGateway)
    payment = gateway.authorize(seller_id=seller_id, source_id="cnon:card-nonce-ok", amount=Money(10_000, "EUR"),
                                app_fee=Money(1_000, "EUR"), idempotency_key="w3", reference_id="o-3", note="")
    gateway.capture(seller_id=seller_id, payment_id=payment.payment_id)
    for key, amount in (("r1", 2_000), ("r2", 3_000)):
        gateway.refund(seller_id=seller_id, payment_id=payment.payment_id, amount=Money(amount, "EUR"),
                       app_fee=Money(amount // 10, "EUR"), idempotency_key=key, reason="partial")
    served.deliveries("refund.updated", count=2)
    completed = sorted(c["amount"].amount for name, c in served.listener.calls
                       if name == "refund_updated" and c["payment_id"] == payment.payment_id
                       and c["status"] == "COMPLETED")
    assert completed == [2_000, 3_000]

    invoice = gateway.issue_invoice(seller_id=seller_id, reference_id="o-3", buyer_email="ana@example.com",
                                    buyer_name="Ana", lines=[InvoiceLine("Repair", 1, Money(10_000, "EUR"))],
                                    due=date(2026, 12, 1), idempotency_key="inv-o-3")
    requests.post(f"{served.square_url}/_control/invoices/{invoice.invoice_id}/pay", timeout=5).raise_for_status()
    served.deliveries("invoice.payment_made")
    statuses = [c["status"] for name, c in served.listener.calls
                if name == "invoice_updated" and c["invoice_id"] == invoice.invoice_id]
    assert statuses[-1] == "PAID" and "UNPAID" in statuses


# -- A webhook is news (issue #20, item 6) -----------------------------------------------------------------

def _signed_by_square(app, event: dict) -> tuple[str, str]:
    """What only Square (and this test, which knows the key) can make: a genuine signature."""
    import base64
    import hashlib
    import hmac

    body = json.dumps(event)
    url = app.extensions["settings"].square_webhook_notification_url
    digest = hmac.new(conftest.SQUARE_TEST_SIGNATURE_KEY.encode(), (url + body).encode(), hashlib.sha256).digest()
    return body, base64.b64encode(digest).decode()


def test_a_signed_completed_notice_does_not_accept_an_order_square_only_holds(api):
    from datetime import UTC, datetime

    from application.orders.ports import OrderRepository
    from domain.shared.ids import new_id
    from tests.integration.test_marketplace_flow import _first_free_slot, _published_service, _wait_for

    seller_id, _, service_id = _published_service(api)
    _, buyer = api.sign_up(f"ana-{new_id()[:6]}@example.com", "buyer")
    booked = api.call("POST", "/orders", buyer, idempotent=True, json={
        "service_id": service_id, "start": _first_free_slot(api, service_id), "address": "Calle Mayor 1, Madrid"})
    order_id = booked.json()["order"]["id"]
    paid = api.call("POST", f"/orders/{order_id}/payment", buyer, idempotent=True,
                    json={"source_id": "cnon:card-nonce-ok"})
    assert paid.json()["order"]["status"] == "authorized", paid.text
    injector = api.app.extensions["injector"]
    payment_id = injector.get(OrderRepository).get(order_id).payment.payment_id
    now = datetime.now(UTC).isoformat()

    # Signed, well formed, the right amount, and untrue: Square holds the card only.
    body, signature = _signed_by_square(api.app, {
        "merchant_id": "any", "type": "payment.updated", "event_id": str(uuid.uuid4()), "created_at": now,
        "data": {"type": "payment", "id": payment_id, "object": {"payment": {
            "id": payment_id, "status": "COMPLETED", "updated_at": now,
            "amount_money": {"amount": 6000, "currency": "EUR"}}}}})
    answer = requests.post(f"{api.base}/webhooks/square", data=body, timeout=10, headers={
        "Content-Type": "application/json", "x-square-hmacsha256-signature": signature})
    assert answer.status_code == 200, answer.text
    assert api.call("GET", f"/orders/{order_id}", buyer).json()["order"]["status"] == "authorized"
    with api.app.app_context():
        gateway = injector.get(PaymentGateway)
        assert gateway.get_payment(seller_id=seller_id, payment_id=payment_id).status.value == "APPROVED"
        # Then Square really captures (a capture whose answer was lost): its own notice, read back, accepts.
        gateway.capture(seller_id=seller_id, payment_id=payment_id)
    _wait_for(lambda: api.call("GET", f"/orders/{order_id}", buyer).json()["order"]["status"] == "accepted")


def test_a_signed_paid_notice_does_not_mark_an_unpaid_invoice_paid(api):
    from datetime import UTC, datetime

    from application.orders.payment_gateway import InvoiceLine, PaymentGateway
    from application.orders.ports import OrderRepository
    from domain.orders.order import InvoiceRecord, Party
    from domain.shared.ids import new_id
    from tests.integration.test_marketplace_flow import _first_free_slot, _published_service, _wait_for

    _, seller, service_id = _published_service(api)
    _, buyer = api.sign_up(f"ana-{new_id()[:6]}@example.com", "buyer")
    order_id = api.call("POST", "/orders", buyer, idempotent=True, json={
        "service_id": service_id, "start": _first_free_slot(api, service_id),
        "address": "Calle Mayor 1, Madrid"}).json()["order"]["id"]
    api.call("POST", f"/orders/{order_id}/payment", buyer, idempotent=True, json={"source_id": "cnon:card-nonce-ok"})
    assert api.call("POST", f"/orders/{order_id}/accept", seller, idempotent=True).status_code == 200
    # A Square invoice, as orders were invoiced before a paid job's invoice became its receipt.
    injector = api.app.extensions["injector"]
    orders = injector.get(OrderRepository)
    stored = orders.get(order_id)
    invoice = injector.get(PaymentGateway).issue_invoice(
        seller_id=stored.seller_id, reference_id=order_id, buyer_email="ana@example.com", buyer_name="Ana",
        lines=[InvoiceLine(name="Grifos", quantity=1, unit_price=stored.breakdown.subtotal)],
        due=datetime.now(UTC).date(), idempotency_key=f"legacy-{order_id}")
    stored.record_invoice(InvoiceRecord(invoice_id=invoice.invoice_id, status=invoice.status.value,
                                        public_url=invoice.public_url, issued_at=datetime.now(UTC)),
                          actor_id=stored.seller_id, party=Party.SELLER, now=datetime.now(UTC))
    orders.save(stored)
    invoice_id = invoice.invoice_id
    now = datetime.now(UTC).isoformat()
    body, signature = _signed_by_square(api.app, {
        "merchant_id": "any", "type": "invoice.payment_made", "event_id": str(uuid.uuid4()), "created_at": now,
        "data": {"type": "invoice", "id": invoice_id, "object": {"invoice": {
            "id": invoice_id, "status": "PAID", "updated_at": now}}}})
    answer = requests.post(f"{api.base}/webhooks/square", data=body, timeout=10, headers={
        "Content-Type": "application/json", "x-square-hmacsha256-signature": signature})
    assert answer.status_code == 200, answer.text
    assert api.app.extensions["injector"].get(OrderRepository).get(order_id).invoice.status == "UNPAID"
    # Paid at Square: its own notice, read back, marks it.
    square = api.app.extensions["settings"].square_base_url
    requests.post(f"{square}/_control/invoices/{invoice_id}/pay", timeout=5).raise_for_status()
    _wait_for(lambda: api.app.extensions["injector"].get(OrderRepository).get(order_id).invoice.status == "PAID")
