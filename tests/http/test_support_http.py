"""Support over HTTP, on the app wired with fakes; the relay and the support worker's use case
are run by hand where Kafka would carry the events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from application.accounts.use_cases import CreateStaffAccount, CreateStaffAccountCommand
from application.support.use_cases import OpenTicket, OpenTicketCommand
from domain.orders.order import Order, OrderTimers, ServiceSnapshot
from domain.orders.pricing import Breakdown, FeePolicy, PriceModel
from domain.shared.access import Role
from domain.shared.money import Money
from domain.support.events import SUPPORT_REQUESTS_TOPIC
from domain.support.requests import Category

PASSWORD = "a-long-password-1"


def sign_in(client, email: str) -> dict[str, str]:
    answer = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.json
    return {"Authorization": f"Bearer {answer.json['access_token']}"}


def register(client, email: str) -> dict[str, str]:
    assert client.post("/auth/register", json={"email": email, "password": PASSWORD,
                                               "display_name": email.split("@")[0]}).status_code == 201
    return sign_in(client, email)


def add_order(fakes, order_id: str, buyer_id: str, seller_id: str, day: int) -> None:
    start = datetime(2026, 12, day, 9, tzinfo=UTC)
    fakes.orders.add(Order.book(
        order_id=order_id, buyer_id=buyer_id,
        service=ServiceSnapshot("svc", seller_id, "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60),
        slot_start=start, slot_end=start + timedelta(hours=1), time_zone="Europe/Madrid", buffer_minutes=0,
        address="Calle Mayor 1", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), FeePolicy(1000, 100)),
        now=start - timedelta(days=1), timers=OrderTimers(timedelta(minutes=15), timedelta(hours=48),
                                                           timedelta(hours=72))))


@pytest.fixture
def people(app, client, fakes):
    with app.app_context():
        injector = app.extensions["injector"]
        injector.get(CreateStaffAccount).execute(CreateStaffAccountCommand(
            email="sofia@example.com", password=PASSWORD, display_name="Sofia", role=Role.SUPPORT))
    found = {"ana": register(client, "ana@example.com"), "luis": register(client, "luis@example.com"),
             "carlos": register(client, "carlos@example.com"), "agent": sign_in(client, "sofia@example.com")}
    ids = {name: client.get("/me", headers=headers).json["id"] for name, headers in found.items()}
    add_order(fakes, "order-42", buyer_id=ids["ana"], seller_id=ids["carlos"], day=1)  # Ana's, from Carlos
    add_order(fakes, "order-77", buyer_id="someone-else", seller_id=ids["carlos"], day=2)
    return found


def file_request(client, headers, **overrides):
    body = {"category": "payments", "subject": "Charged twice", "description": "Two charges for one order",
            "order_id": "order-42", "page_url": "/orders/order-42"}
    body.update(overrides)
    return client.post("/support/requests", json=body, headers=headers)


def open_tickets(app, fakes) -> None:
    """Stands in for outbox relay -> Kafka -> support worker."""
    open_ticket = app.extensions["injector"].get(OpenTicket)
    for message in fakes.outbox.messages(topic=SUPPORT_REQUESTS_TOPIC):
        p = message.payload
        open_ticket.execute(OpenTicketCommand(request_id=p["request_id"], user_id=p["user_id"],
                                              category=Category(p["category"]), subject=p["subject"],
                                              description=p["description"], submitted_at=message.occurred_at,
                                              order_id=p["order_id"], page_url=p["page_url"]))


def test_a_request_is_accepted_at_once_with_its_id_and_its_event_is_in_the_outbox(client, fakes, people):
    answer = file_request(client, people["ana"])

    assert answer.status_code == 202
    assert answer.json["status"] == "received" and answer.json["reference"].startswith("SR-")
    assert answer.json["status_url"] == answer.headers["Location"] == f"/support/requests/{answer.json['id']}"
    assert client.get(answer.json["status_url"], headers=people["ana"]).status_code == 200
    [message] = fakes.outbox.messages(topic=SUPPORT_REQUESTS_TOPIC)
    assert message.payload["request_id"] == answer.json["id"]


def test_signing_in_is_required(client):
    assert file_request(client, {}).status_code == 401


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "refund"}, "category"),
    ({"subject": ""}, "subject"),
    ({"subject": "   "}, "subject"),
    ({"description": "x" * 5001}, "description"),
    ({"page_url": "javascript:alert(1)"}, "page_url"),
    ({"order_id": "a b"}, "order_id"),
    ({"urgent": True}, "urgent"),
])
def test_bad_input_is_a_422_naming_the_field(client, people, change, field):
    answer = file_request(client, people["ana"], **change)
    assert answer.status_code == 422
    assert field in answer.json["message"]


def test_the_requester_follows_the_ticket_and_nobody_else_sees_it(app, client, fakes, people):
    request_id = file_request(client, people["ana"]).json["id"]
    assert client.get(f"/support/requests/{request_id}", headers=people["ana"]).json["status"] == "received"
    assert client.post(f"/support/requests/{request_id}/replies", json={"body": "more"},
                       headers=people["ana"]).status_code == 409

    open_tickets(app, fakes)

    detail = client.get(f"/support/requests/{request_id}", headers=people["ana"])
    assert detail.status_code == 200
    assert (detail.json["status"], detail.json["priority"]) == ("open", "high")
    assert client.get(f"/support/requests/{request_id}", headers=people["luis"]).status_code == 404
    assert client.get(f"/support/requests/{request_id}", headers=people["agent"]).status_code == 404
    assert client.post(f"/support/requests/{request_id}/replies", json={"body": "hi"},
                       headers=people["luis"]).status_code == 404
    assert client.get("/support/requests", headers=people["luis"]).json["total"] == 0
    mine = client.get("/support/requests", headers=people["ana"]).json
    assert mine["total"] == 1 and mine["items"][0]["status"] == "open"


def test_an_agent_works_the_queue_and_the_requester_sees_replies_and_answers_back(app, client, fakes, people):
    payment = file_request(client, people["ana"]).json["id"]
    other = file_request(client, people["luis"], category="other", subject="Question", order_id=None).json["id"]
    open_tickets(app, fakes)

    queue = client.get("/support/tickets", headers=people["agent"])
    assert queue.status_code == 200
    assert [t["id"] for t in queue.json["items"]] == [payment, other]
    assert client.get("/support/tickets?priority=low", headers=people["agent"]).json["items"][0]["id"] == other
    assert client.get("/support/tickets?status=bogus", headers=people["agent"]).status_code == 422
    assert client.get("/support/tickets?page_size=1000", headers=people["agent"]).status_code == 422

    assert client.post(f"/support/tickets/{payment}/take", headers=people["agent"]).json["status"] == "in_progress"
    assert client.get("/support/tickets?assignee=me", headers=people["agent"]).json["total"] == 1
    assert client.get("/support/tickets?assignee=none", headers=people["agent"]).json["total"] == 1
    replied = client.post(f"/support/tickets/{payment}/replies", json={"body": "Refund issued"},
                          headers=people["agent"])
    assert replied.status_code == 201 and replied.json["replies"][0]["author"] == "agent"
    assert client.post(f"/support/tickets/{payment}/resolve", headers=people["agent"]).json["status"] == "resolved"

    seen = client.get(f"/support/requests/{payment}", headers=people["ana"]).json
    assert seen["status"] == "resolved" and [r["body"] for r in seen["replies"]] == ["Refund issued"]
    assert "author_id" not in seen["replies"][0]
    answered = client.post(f"/support/requests/{payment}/replies", json={"body": "Not received yet"},
                           headers=people["ana"])
    assert answered.status_code == 201 and answered.json["status"] == "in_progress"

    names = [m.name for m in fakes.outbox.messages(topic="marketplace.events")
             if m.payload["ticket_id"] == payment]
    assert names == ["support.ticket_opened", "support.ticket_status_changed", "support.ticket_replied",
                     "support.ticket_status_changed", "support.ticket_replied"]


def test_only_support_and_admin_reach_the_queue(client, people):
    assert client.get("/support/tickets", headers=people["ana"]).status_code == 403
    assert client.post("/support/tickets/whatever/take", headers=people["ana"]).status_code == 403
    assert client.post("/support/tickets/whatever/take", headers=people["agent"]).status_code == 404


def test_a_resolved_ticket_cannot_be_taken_and_says_why(app, client, fakes, people):
    request_id = file_request(client, people["ana"]).json["id"]
    open_tickets(app, fakes)
    client.post(f"/support/tickets/{request_id}/resolve", headers=people["agent"])
    answer = client.post(f"/support/tickets/{request_id}/take", headers=people["agent"])
    assert answer.status_code == 409 and answer.json["reason"] == "invalid_ticket_transition"


def test_unknown_query_arguments_are_refused(client, people):
    answer = client.get("/support/tickets?colour=red", headers=people["agent"])
    assert answer.status_code == 422 and "colour" in answer.json["message"]
    assert client.get("/support/requests?sort=asc", headers=people["ana"]).status_code == 422


def test_a_request_may_name_only_an_order_of_the_requester_and_never_tells_whose_it_is(client, fakes, people):
    """A buyer filed a high-priority "order" request about another buyer's order, and the agent
    saw it. Someone else's order and no order at all get the same answer."""
    others = file_request(client, people["luis"], category="order", order_id="order-42")
    missing = file_request(client, people["luis"], category="order", order_id="order-99")

    assert others.status_code == missing.status_code == 422, (others.json, missing.json)
    assert others.json["errors"] == missing.json["errors"] == {"json": {"order_id": ["no order of yours has this id"]}}
    assert others.json["message"] == missing.json["message"] and others.json["reason"] == "unknown_order"
    assert fakes.outbox.messages(topic=SUPPORT_REQUESTS_TOPIC) == []


def test_the_buyer_and_the_seller_of_the_order_may_name_it(client, people):
    assert file_request(client, people["ana"], category="order", order_id="order-42").status_code == 202
    assert file_request(client, people["carlos"], category="order", order_id="order-42").status_code == 202
    assert file_request(client, people["carlos"], category="order", order_id="order-77").status_code == 202
