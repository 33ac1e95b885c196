"""The data export on the app as bootstrap wires it, on the local MongoDB-compatible server: a
seller who also buys has data in every context (account, profile, services, availability, orders
both ways with payments, a Square connection, messages, reviews, a support ticket with an agent's
answer, notifications); the scheduler's pass builds the archive into GridFS and they download it.
Nothing of the other people is in it beyond a seller's public name."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from adapters.inbound.cli.scheduler import run_data_exports
from adapters.outbound.mongo.outbox import OutboxDocument
from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.orders.ports import OrderRepository
from application.payments.ports import SquareConnectionRepository
from application.support.use_cases import OpenTicket, OpenTicketCommand, ReplyToTicket
from domain.orders.order import Order, OrderStatus, PaymentRecord, ServiceSnapshot
from domain.orders.pricing import Breakdown, PriceModel
from domain.payments.connection import SquareConnection
from domain.shared.access import Actor, Role
from domain.shared.money import Money
from domain.support.requests import Category
from tests.conftest import app_on_mongo
from tests.http.test_reviews_http import PROFILE, SERVICE

pytestmark = pytest.mark.integration
PASSWORD = "a-long-enough-password-1"
AGENT = Actor("agent-sofia-0001", frozenset({Role.SUPPORT}))


@pytest.fixture(scope="module")
def app(mongo_url: str):
    with app_on_mongo(mongo_url, "privacy_app_integration") as application:
        yield application


def signup(client, email: str, role: str, name: str) -> tuple[dict, str]:
    answer = client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": name,
                                                 "role": role})
    assert answer.status_code == 201, answer.json
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}, answer.json["id"]


def order(order_id: str, *, buyer_id: str, seller_id: str, service_id: str, title: str, address: str,
          now: datetime) -> Order:
    price = Money(4500, "EUR")
    return Order(id=order_id, buyer_id=buyer_id, service=ServiceSnapshot(service_id, seller_id, title,
                                                                         PriceModel.FIXED, price, 60),
                 slot_start=now - timedelta(hours=3), slot_end=now - timedelta(hours=2), time_zone="Europe/Madrid",
                 buffer_minutes=0, address=address, notes=f"notes of {order_id}", status=OrderStatus.COMPLETED,
                 created_at=now - timedelta(days=1),
                 breakdown=Breakdown(subtotal=price, fee=Money(450, "EUR"), seller_receives=Money(4050, "EUR")),
                 payment=PaymentRecord(payment_id=f"pay-{order_id}", status="COMPLETED", amount=price,
                                       app_fee=Money(450, "EUR"), card_brand="VISA",
                                       card_last4="4242" if order_id == "sold" else "1881"),
                 captured=price)


def test_a_person_with_data_in_every_context_downloads_all_of_it_and_nobody_elses(app):
    client = app.test_client()
    injector = app.extensions["injector"]
    carlos, carlos_id = signup(client, "carlos@example.com", "seller", "Carlos")
    ana, ana_id = signup(client, "ana@example.com", "buyer", "Ana Privada")
    elena, elena_id = signup(client, "elena@example.com", "seller", "Elena")
    now = datetime.now(UTC)

    assert client.patch("/me", json={"phone": "+34 611 222 333"}, headers=carlos).status_code == 200
    assert client.patch("/me", json={"phone": "+34 699 888 777"}, headers=elena).status_code == 200
    assert client.put("/me/seller-profile", json=PROFILE, headers=carlos).status_code == 200
    assert client.put("/me/seller-profile", json={**PROFILE, "display_name": "Elena"}, headers=elena).status_code == 200
    service_id = client.post("/services", json=SERVICE, headers=carlos).json["id"]
    elena_service = client.post("/services", json={**SERVICE, "title": "Pintura"}, headers=elena).json["id"]
    assert client.put("/me/availability", json={"time_zone": "Europe/Madrid", "buffer_minutes": 15, "weekly_hours": [
        {"weekday": "monday", "start": "09:00", "end": "14:00"}]}, headers=carlos).status_code == 200
    assert client.post("/me/time-off", json={"start": (now + timedelta(days=3)).isoformat(),
                                             "end": (now + timedelta(days=4)).isoformat(), "note": "médico"},
                       headers=carlos).status_code == 201
    injector.get(SquareConnectionRepository).save(SquareConnection.connect(
        seller_id=carlos_id, merchant_id="MERCHANT-CARLOS", access_token_encrypted="enc-access-SECRET",
        refresh_token_encrypted="enc-refresh-SECRET", expires_at=now + timedelta(days=30), now=now))
    orders = injector.get(OrderRepository)
    orders.add(order("sold", buyer_id=ana_id, seller_id=carlos_id, service_id=service_id, title="Grifos",
                     address="Calle de Ana 7", now=now))
    orders.add(order("bought", buyer_id=carlos_id, seller_id=elena_id, service_id=elena_service, title="Pintura",
                     address="Calle de Carlos 3", now=now))

    assert client.post("/orders/sold/messages", json={"text": "Llego a las diez"}, headers=carlos).status_code == 201
    assert client.post("/orders/sold/messages", json={"text": "Ana dice: la llave está bajo el felpudo"},
                       headers=ana).status_code == 201
    assert client.post("/orders/sold/reviews", json={"stars": 5, "text": "Ana fue muy amable"},
                       headers=carlos).status_code == 201
    assert client.post("/orders/sold/reviews", json={"stars": 4, "text": "Carlos fue puntual"},
                       headers=ana).status_code == 201
    request_id = client.post("/support/requests", json={"category": "payments", "subject": "Cobro",
                                                        "description": "¿Cuándo cobro el trabajo?"},
                             headers=carlos).json["id"]
    injector.get(OpenTicket).execute(OpenTicketCommand(request_id=request_id, user_id=carlos_id,
                                                       category=Category.PAYMENTS, subject="Cobro",
                                                       description="¿Cuándo cobro el trabajo?", submitted_at=now))
    injector.get(ReplyToTicket).execute(AGENT, request_id, "En dos días laborables")
    deliver = injector.get(DeliverNotifications)
    for raw in OutboxDocument._get_collection().find({"topic": "marketplace.events"}):
        deliver.execute(IncomingEvent(event_id=raw["_id"], name=raw["name"], occurred_at=raw["occurred_at"],
                                      payload=raw["payload"]))

    started = client.post("/me/export", headers=carlos)
    assert started.status_code == 202, started.json
    with app.app_context():
        run_data_exports()  # the scheduler's pass
    status = client.get(started.json["status_url"], headers=carlos).json
    assert status["status"] == "ready", status
    download = client.get(status["download_url"], headers=carlos)
    assert download.status_code == 200
    assert client.get(status["download_url"], headers=ana).status_code == 404

    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        raw = {name: archive.read(name).decode() for name in archive.namelist()}
    files = {name: json.loads(text) for name, text in raw.items()}
    text = "\n".join(raw.values())

    assert files["account.json"]["email"] == "carlos@example.com" and files["account.json"]["phone"] == "+34611222333"
    assert files["profile.json"]["presentation"]["headline"] == PROFILE["headline"]
    assert [s["id"] for s in files["services.json"]] == [service_id]
    money = files["orders_and_payments.json"]
    by_id = {o["id"]: o for o in money["orders"]}
    assert by_id["sold"]["role"] == "seller" and by_id["sold"]["payment"]["platform_fee"]["amount"] == 450
    assert by_id["bought"]["role"] == "buyer" and by_id["bought"]["address"] == "Calle de Carlos 3"
    assert by_id["bought"]["seller"] == {"id": elena_id, "name": "Elena"}
    assert by_id["bought"]["payment"]["card_last4"] == "1881"
    assert money["square_connection"]["merchant_id"] == "MERCHANT-CARLOS"
    assert money["availability"]["time_off"][0]["note"] == "médico"
    [thread] = files["messages.json"]
    assert [m["text"] for m in thread["messages_you_wrote"]] == ["Llego a las diez"]
    [reviews] = files["reviews.json"]
    assert reviews["you_wrote"]["text"] == "Ana fue muy amable" and reviews["about_you"]["text"] == "Carlos fue puntual"
    [ticket] = files["support_tickets.json"]
    assert ticket["status"] == "open" and [r["body"] for r in ticket["replies"]] == ["En dos días laborables"]
    assert {r["by"] for r in ticket["replies"]} == {"agent"}
    events = {n["event"]: n for n in files["notifications.json"]}
    assert {"conversation.message_posted", "support.ticket_opened", "support.ticket_replied"} - set(events) == set(), sorted(events)
    assert events["conversation.message_posted"]["body"].startswith("(another person's words")
    assert set(files["export.json"]["files"]) == set(files) - {"export.json"}

    # The other card's last four digits as a whole JSON string: as a substring they can turn up inside a random id.
    for private in ("ana@example.com", "Ana Privada", "Calle de Ana", '"4242"', "felpudo", "notes of sold",
                    "elena@example.com", "699 888 777", "+34699888777", "SECRET", AGENT.user_id):
        assert private not in text, private
