"""The whole marketplace on real adapters: accounts, catalog, orders and payments wired by
bootstrap, MongoDB on the local server, Square on the stand-in that signs webhooks back to the
app served over HTTP. A seller publishes; a buyer finds, books and pays; the seller accepts and the
card is captured on the seller's own Square account with the platform's commission."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import requests
from werkzeug.serving import make_server

from application.orders.payment_gateway import PaymentGateway, PaymentStatus
from application.orders.ports import OrderRepository
from application.payments.use_cases import ImportSquareConnection
from devtools.processes import free_port
from domain.shared.ids import new_id
from tests import conftest
from tests.http.helpers import PASSWORD

pytestmark = pytest.mark.integration

PROFILE = {"display_name": "Carlos Fontanería", "headline": "Fontanero en Madrid",
           "bio": "Más de 20 años arreglando fugas.", "years_experience": 20, "languages": ["es"],
           "service_areas": ["Madrid"], "working_hours": [], "accepting_jobs": True}
SERVICE = {"title": "Reparación de fugas", "description": "Arreglo fugas de agua en cocina y baño.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 6000, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid"], "tags": ["fugas"]}
EVERY_DAY = [{"weekday": day, "start": "08:00", "end": "20:00"} for day in
             ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")]


class Api:
    def __init__(self, base: str, app) -> None:
        self.base, self.app = base, app

    def call(self, method: str, path: str, token: str | None = None, idempotent: bool = False, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if idempotent:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return requests.request(method, self.base + path, headers=headers, timeout=15, **kwargs)

    def sign_up(self, email: str, role: str) -> tuple[str, str]:
        created = self.call("POST", "/auth/register", json={"email": email, "password": PASSWORD,
                                                            "display_name": email.split("@")[0], "role": role})
        assert created.status_code == 201, created.text
        token = self.call("POST", "/auth/login", json={"email": email, "password": PASSWORD}).json()["access_token"]
        return created.json()["id"], token


@pytest.fixture
def api(mongo_url: str, square_url: str) -> Iterator[Api]:
    from bootstrap import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db=f"flow_{new_id()[:8]}",
                                      square_base_url=square_url, public_base_url=base,
                                      square_webhook_signature_key=conftest.SQUARE_TEST_SIGNATURE_KEY,
                                      square_webhook_notification_url=f"{base}/webhooks/square",
                                      argon2_memory_kib=1024, argon2_time_cost=1)
    app = create_app(settings)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    requests.put(f"{square_url}/_control/webhook-url", json={"url": f"{base}/webhooks/square"},
                 timeout=5).raise_for_status()
    try:
        yield Api(base, app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _published_service(api: Api) -> tuple[str, str, str]:
    seller_id, seller = api.sign_up(f"carlos-{new_id()[:6]}@example.com", "seller")
    assert api.call("PUT", "/me/seller-profile", seller, json=PROFILE).status_code == 200
    service = api.call("POST", "/services", seller, json=SERVICE)
    assert service.status_code == 201, service.text
    hours = api.call("PUT", "/me/availability", seller,
                     json={"time_zone": "Europe/Madrid", "buffer_minutes": 15, "weekly_hours": EVERY_DAY})
    assert hours.status_code == 200, hours.text
    with api.app.app_context():
        api.app.extensions["injector"].get(ImportSquareConnection).execute(
            seller_id, f"sandbox-demo-refresh-{seller_id}")
    return seller_id, seller, service.json()["id"]


def _first_free_slot(api: Api, service_id: str) -> str:
    start = date.today() + timedelta(days=2)
    slots = api.call("GET", f"/services/{service_id}/slots",
                     params={"from": start.isoformat(), "to": (start + timedelta(days=3)).isoformat()})
    assert slots.status_code == 200 and slots.json(), slots.text
    return slots.json()[0]["start"]


def _wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (value := predicate()):
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_find_book_pay_accept_on_the_sellers_square_account(api: Api):
    seller_id, seller, service_id = _published_service(api)
    _, buyer = api.sign_up(f"ana-{new_id()[:6]}@example.com", "buyer")

    found = api.call("GET", "/services", params={"q": "fontaneria fugas", "category": "plumbing"}).json()["items"]
    assert service_id in [item["id"] for item in found]

    booked = api.call("POST", "/orders", buyer, idempotent=True, json={
        "service_id": service_id, "start": _first_free_slot(api, service_id), "address": "Calle Mayor 1, Madrid"})
    assert booked.status_code == 201, booked.text
    order = booked.json()["order"]
    assert order["breakdown"]["subtotal"] == {"amount": 6000, "currency": "EUR"}
    fee = order["breakdown"]["fee"]["amount"]
    assert order["breakdown"]["seller_receives"]["amount"] == 6000 - fee

    declined = api.call("POST", f"/orders/{order['id']}/payment", buyer, idempotent=True,
                        json={"source_id": "cnon:card-nonce-declined"})
    assert declined.status_code == 402 and "CARD_DECLINED" in declined.text
    paid = api.call("POST", f"/orders/{order['id']}/payment", buyer, idempotent=True,
                    json={"source_id": "cnon:card-nonce-ok"})
    assert paid.status_code == 200 and paid.json()["order"]["status"] == "authorized", paid.text

    accepted = api.call("POST", f"/orders/{order['id']}/accept", seller, idempotent=True)
    assert accepted.status_code == 200 and accepted.json()["order"]["status"] == "accepted", accepted.text

    injector = api.app.extensions["injector"]
    payment_id = injector.get(OrderRepository).get(order["id"]).payment.payment_id
    with api.app.app_context():
        payment = injector.get(PaymentGateway).get_payment(seller_id=seller_id, payment_id=payment_id)
    assert payment.status is PaymentStatus.COMPLETED
    assert payment.amount.amount == 6000 and payment.app_fee.amount == fee

    # Square's own news of the capture arrives signed; it confirms and never moves the order back.
    square = api.app.extensions["settings"].square_base_url
    _wait_for(lambda: any(d["type"] == "payment.updated" and d["url"].startswith(api.base) and d["status"] == 200
                          for d in requests.get(f"{square}/_control/webhooks", timeout=5).json()["deliveries"]))
    followed = api.call("GET", f"/orders/{order['id']}", buyer).json()["order"]
    assert followed["status"] == "accepted"
    assert [step["to"] for step in followed["timeline"]][:3] == ["pending_payment", "authorized", "accepted"]
