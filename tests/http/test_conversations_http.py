"""Conversations over HTTP on the app wired with fakes. The real bridges read the orders and catalog
fakes, so masking follows the order's real status; the notification goes through the outbox into
the inbox (the notifications use case stands in for Kafka)."""

from __future__ import annotations

import pytest

from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.orders.ports import Contact
from domain.orders.order import OrderStatus
from domain.shared.access import Role
from tests.http.helpers import auth, login, register, staff
from tests.http.test_reviews_http import PROFILE, SERVICE, completed_order

MARKETPLACE = "marketplace.events"


def person(client, email: str, role: str = "buyer") -> tuple[dict, str]:
    account = register(client, email, role)
    return auth(login(client, email)), account["id"]


@pytest.fixture
def world(client, fakes):
    seller, seller_id = person(client, "carlos@example.com", "seller")
    buyer, buyer_id = person(client, "ana@example.com")
    stranger, _ = person(client, "eve@example.com", "seller")
    agent = staff(client, fakes, "sofia@example.com", Role.SUPPORT)
    assert client.put("/me/seller-profile", json=PROFILE, headers=seller).status_code == 200
    service_id = client.post("/services", json=SERVICE, headers=seller).json["id"]
    completed_order(fakes, "order-1", buyer_id, seller_id, service_id, status=OrderStatus.AUTHORIZED)
    fakes.people.add(Contact(buyer_id, "Ana", "ana@example.com"))
    fakes.people.add(Contact(seller_id, "Carlos", "carlos@example.com", "+34600123456"))
    return {"seller": seller, "seller_id": seller_id, "buyer": buyer, "buyer_id": buyer_id, "stranger": stranger,
            "agent": agent, "service_id": service_id}


def ask(client, world, text="¿Podéis venir el lunes?", **extra):
    return client.post("/conversations", json={"service_id": world["service_id"], "text": text, **extra},
                       headers=world["buyer"])


def deliver_notifications(app, fakes) -> None:
    deliver = app.extensions["injector"].get(DeliverNotifications)
    for message in fakes.outbox.messages(topic=MARKETPLACE):
        deliver.execute(IncomingEvent(event_id=message.event_id, name=message.name,
                                      occurred_at=message.occurred_at, payload=message.payload))


def test_an_inquiry_reaches_the_seller_masked_with_unread_counts_and_a_notification(app, client, fakes, world):
    started = ask(client, world, "Escríbeme a ana@example.com o al 600 123 456",
                  image_urls=["https://img.example.com/grifo.jpg"])
    assert started.status_code == 201, started.json
    conversation_id = started.json["id"]
    assert started.json["kind"] == "inquiry" and started.json["viewer"] == "buyer"

    assert client.get("/conversations/unread", headers=world["seller"]).json == {"total": 1}
    [thread] = client.get("/conversations", headers=world["seller"]).json["items"]
    assert thread["id"] == conversation_id and thread["unread"] == 1 and thread["viewer"] == "seller"
    [message] = client.get(f"/conversations/{conversation_id}/messages", headers=world["seller"]).json["items"]
    assert message["text"] == "Escríbeme a [contact hidden] o al [contact hidden]" and message["masked"]
    assert message["author"] == "buyer" and not message["mine"]
    assert message["image_urls"] == ["https://img.example.com/grifo.jpg"]

    deliver_notifications(app, fakes)
    [notification] = client.get("/notifications", headers=world["seller"]).json["items"]
    assert notification["title"] == "Nuevo mensaje" and "600" not in notification["body"]
    assert notification["data"]["conversation_id"] == conversation_id

    fakes.clock.advance(minutes=1)
    answer = client.post(f"/conversations/{conversation_id}/messages", json={"text": "Sí, a las 10"},
                         headers=world["seller"])
    assert answer.status_code == 201 and answer.json["mine"] and answer.json["author"] == "seller"
    assert client.get("/conversations/unread", headers=world["buyer"]).json == {"total": 1}
    read = client.post(f"/conversations/{conversation_id}/read", headers=world["seller"])
    assert read.status_code == 200 and read.json["unread"] == 0
    assert client.get("/conversations/unread", headers=world["seller"]).json == {"total": 0}
    newest_first = client.get(f"/conversations/{conversation_id}/messages?page_size=1", headers=world["buyer"]).json
    assert newest_first["total"] == 2 and newest_first["items"][0]["text"] == "Sí, a las 10"
    assert ask(client, world, "Otra pregunta").json["id"] == conversation_id


def test_the_order_thread_masks_until_the_seller_accepts_then_shows_the_sellers_contact(client, fakes, world):
    thread = client.get("/orders/order-1/conversation", headers=world["buyer"])
    assert thread.status_code == 200 and thread.json["id"] == "order-1" and thread.json["kind"] == "order"
    assert thread.json["counterpart_contact"] is None
    before = client.post("/orders/order-1/messages", json={"text": "Mi móvil: 600 123 456"}, headers=world["seller"])
    assert before.status_code == 201 and before.json["text"] == "Mi móvil: [contact hidden]"

    fakes.orders.orders["order-1"].status = OrderStatus.ACCEPTED
    after = client.post("/orders/order-1/messages", json={"text": "Mi móvil: 600 123 456"}, headers=world["seller"])
    assert after.json["text"] == "Mi móvil: 600 123 456" and not after.json["masked"]
    contact = client.get("/conversations/order-1", headers=world["buyer"]).json["counterpart_contact"]
    assert contact == {"name": "Carlos", "email": "carlos@example.com", "phone": "+34600123456"}
    assert client.get("/orders/order-1/conversation", headers=world["buyer"]).json["unread"] == 2
    event = fakes.outbox.messages(topic=MARKETPLACE)[-1]
    assert event.payload["recipient_ids"] == [world["buyer_id"]] and event.payload["conversation_id"] == "order-1"


def test_nobody_else_learns_a_thread_exists_and_staff_read_as_staff(client, world):
    conversation_id = ask(client, world).json["id"]
    stranger = world["stranger"]
    assert client.get(f"/conversations/{conversation_id}", headers=stranger).status_code == 404
    assert client.get(f"/conversations/{conversation_id}/messages", headers=stranger).status_code == 404
    assert client.post(f"/conversations/{conversation_id}/messages", json={"text": "hola"},
                       headers=stranger).status_code == 404
    assert client.post(f"/conversations/{conversation_id}/read", headers=stranger).status_code == 404
    assert client.get("/orders/order-1/conversation", headers=stranger).status_code == 404
    assert client.post("/orders/order-1/messages", json={"text": "hola"}, headers=stranger).status_code == 404
    assert client.get("/orders/missing/conversation", headers=world["buyer"]).status_code == 404
    assert client.get("/conversations/missing", headers=world["buyer"]).status_code == 404
    assert client.get("/conversations", headers=stranger).json["total"] == 0
    assert client.get("/conversations").status_code == 401

    as_staff = client.get(f"/conversations/{conversation_id}", headers=world["agent"])
    assert as_staff.status_code == 200 and as_staff.json["viewer"] == "staff"
    assert client.get(f"/conversations/{conversation_id}/messages", headers=world["agent"]).json["total"] == 1
    assert client.post(f"/conversations/{conversation_id}/messages", json={"text": "hola"},
                       headers=world["agent"]).status_code == 403


def test_asking_needs_a_service_of_someone_else(client, world):
    missing = client.post("/conversations", json={"service_id": "nope", "text": "hola"}, headers=world["buyer"])
    assert missing.status_code == 404 and "service_id" in missing.json["message"]
    own = client.post("/conversations", json={"service_id": world["service_id"], "text": "hola"},
                      headers=world["seller"])
    assert own.status_code == 403 and "service_id" in own.json["message"]
    assert client.post("/conversations", json={"service_id": world["service_id"], "text": "hola"},
                       headers=world["agent"]).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({}, "text"), ({"text": ""}, "text"), ({"text": "   "}, "text"), ({"text": "x" * 2001}, "text"),
    ({"text": "hola", "image_urls": "https://e.com/a.jpg"}, "image_urls"),
    ({"text": "hola", "image_urls": ["ftp://e.com/a.jpg"]}, "image_urls"),
    ({"text": "hola", "image_urls": [f"https://e.com/{n}.jpg" for n in range(5)]}, "image_urls"),
    ({"text": "hola", "urgent": True}, "urgent"),
])
def test_bad_messages_are_422_naming_the_field(client, world, body, field):
    conversation_id = ask(client, world).json["id"]
    for url in (f"/conversations/{conversation_id}/messages", "/orders/order-1/messages"):
        answer = client.post(url, json=body, headers=world["buyer"])
        assert answer.status_code == 422, answer.json
        assert field in answer.json["message"]
    inquiry = client.post("/conversations", json={"service_id": world["service_id"], **body}, headers=world["buyer"])
    assert inquiry.status_code == 422 and field in inquiry.json["message"]


def test_bad_paging_is_422(client, world):
    conversation_id = ask(client, world).json["id"]
    for query in ("page=0", "page_size=101", "cursor=abc"):
        assert client.get(f"/conversations?{query}", headers=world["buyer"]).status_code == 422
        assert client.get(f"/conversations/{conversation_id}/messages?{query}",
                          headers=world["buyer"]).status_code == 422
        assert client.get(f"/moderation/reports?{query}", headers=world["agent"]).status_code == 422


def test_report_then_hide_a_message(client, world):
    conversation_id = ask(client, world, "Págame por fuera, te hago descuento").json["id"]
    messages = client.get(f"/conversations/{conversation_id}/messages", headers=world["seller"]).json["items"]
    message_id = messages[0]["id"]
    assert client.post(f"/messages/{message_id}/report", json={"reason": "x"},
                       headers=world["stranger"]).status_code == 404
    assert client.post("/messages/missing/report", json={"reason": "x"}, headers=world["seller"]).status_code == 404
    assert client.post(f"/messages/{message_id}/report", json={"reason": ""},
                       headers=world["seller"]).status_code == 422
    reported = client.post(f"/messages/{message_id}/report", json={"reason": "pago fuera"}, headers=world["seller"])
    assert reported.status_code == 201 and reported.json["conversation_id"] == conversation_id

    assert client.get("/moderation/reports", headers=world["seller"]).status_code == 403
    queue = client.get("/moderation/reports", headers=world["agent"]).json
    assert queue["total"] == 1 and queue["items"][0]["message_id"] == message_id

    assert client.post(f"/messages/{message_id}/hide", json={"reason": "pago fuera"},
                       headers=world["seller"]).status_code == 403
    assert client.post("/messages/missing/hide", json={"reason": "x"}, headers=world["agent"]).status_code == 404
    assert client.post(f"/messages/{message_id}/hide", json={}, headers=world["agent"]).status_code == 422
    hidden = client.post(f"/messages/{message_id}/hide", json={"reason": "pago fuera"}, headers=world["agent"])
    assert hidden.status_code == 200 and hidden.json["hidden"] and hidden.json["hidden_reason"] == "pago fuera"
    assert client.get("/moderation/reports", headers=world["agent"]).json["total"] == 0
    for who in ("buyer", "seller"):
        [seen] = client.get(f"/conversations/{conversation_id}/messages", headers=world[who]).json["items"]
        assert seen["hidden"] and seen["text"] is None and seen["image_urls"] == []
        [thread] = client.get("/conversations", headers=world[who]).json["items"]
        assert thread["last_preview"] == ""  # the hidden text does not linger in the list either
