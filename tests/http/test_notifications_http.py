from __future__ import annotations

from datetime import UTC, datetime, timedelta

from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from tests.http.test_support_http import register


def deliver(app, event_id: str, recipients: list[str], minute: int, title: str) -> None:
    app.extensions["injector"].get(DeliverNotifications).execute(IncomingEvent(
        event_id=event_id, name="orders.order_paid",
        occurred_at=datetime(2026, 11, 23, 10, tzinfo=UTC) + timedelta(minutes=minute),
        payload={"recipient_ids": recipients, "title": title, "body": "b", "order_id": "o-1"}))


def me(client, headers) -> str:
    return client.get("/me", headers=headers).json["id"]


def test_the_inbox_newest_first_paginated_with_unread_count_and_reading(app, client):
    ana = register(client, "ana@example.com")
    luis = register(client, "luis@example.com")
    ana_id, luis_id = me(client, ana), me(client, luis)
    for minute in range(3):
        deliver(app, f"e{minute}", [ana_id], minute, f"Paid {minute}")
    deliver(app, "e9", [luis_id], 0, "Luis's")

    inbox = client.get("/notifications?page_size=2", headers=ana)
    assert inbox.status_code == 200
    assert [n["title"] for n in inbox.json["items"]] == ["Paid 2", "Paid 1"]
    assert (inbox.json["total"], inbox.json["unread"], inbox.json["total_pages"]) == (3, 3, 2)
    assert inbox.json["items"][0]["data"] == {"order_id": "o-1"}

    oldest = client.get("/notifications?page=2&page_size=2", headers=ana).json["items"][0]
    assert client.post(f"/notifications/{oldest['id']}/read", headers=luis).status_code == 404
    read = client.post(f"/notifications/{oldest['id']}/read", headers=ana)
    assert read.status_code == 200 and read.json["unread"] is False
    assert client.get("/notifications", headers=ana).json["unread"] == 2
    unread = client.get("/notifications?unread_only=true", headers=ana).json
    assert [n["title"] for n in unread["items"]] == ["Paid 2", "Paid 1"]

    assert client.post("/notifications/read-all", headers=ana).json == {"marked": 2}
    assert client.get("/notifications", headers=ana).json["unread"] == 0
    assert client.get("/notifications", headers=luis).json["unread"] == 1


def test_bad_query_arguments_are_422_and_signing_in_is_required(client):
    ana = register(client, "ana@example.com")
    assert client.get("/notifications").status_code == 401
    answer = client.get("/notifications?page=0", headers=ana)
    assert answer.status_code == 422 and "page" in answer.json["message"]
    assert client.get("/notifications?sort=old", headers=ana).status_code == 422
