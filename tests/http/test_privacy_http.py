"""The data export over HTTP on the app wired with fakes: a buyer and a seller with data in every
context export theirs; only the owner sees and downloads it, through a short-lived link."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.images import has_gps, photo, upload

from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.orders.ports import Contact
from application.privacy.use_cases import BuildPendingExports
from domain.orders.order import OrderStatus
from tests.http.helpers import auth, login, register
from tests.http.test_reviews_http import PROFILE, SERVICE, completed_order

SELLER_SECRET = "Secreto de Carlos: el código de la puerta es 4321"


def person(client, email: str, role: str = "buyer", name: str = "Someone") -> tuple[dict, str]:
    account = register(client, email, role, name)
    return auth(login(client, email)), account["id"]


def deliver_notifications(app, fakes) -> None:
    deliver = app.extensions["injector"].get(DeliverNotifications)
    for message in fakes.outbox.messages(topic="marketplace.events"):
        deliver.execute(IncomingEvent(event_id=message.event_id, name=message.name,
                                      occurred_at=message.occurred_at, payload=message.payload))


@pytest.fixture
def world(app, client, fakes):
    seller, seller_id = person(client, "carlos@example.com", "seller", "Carlos")
    buyer, buyer_id = person(client, "ana@example.com", "buyer", "Ana")
    stranger, _ = person(client, "eve@example.com")
    assert client.patch("/me", json={"phone": "+34 600 123 456"}, headers=seller).status_code == 200
    assert client.put("/me/seller-profile", json=PROFILE, headers=seller).status_code == 200
    service_id = client.post("/services", json=SERVICE, headers=seller).json["id"]
    completed_order(fakes, "order-1", buyer_id, seller_id, service_id, status=OrderStatus.COMPLETED)
    fakes.people.add(Contact(buyer_id, "Ana", "ana@example.com"))
    fakes.people.add(Contact(seller_id, "Carlos", "carlos@example.com", "+34600123456"))
    thread = client.post("/conversations", json={"service_id": service_id, "text": "¿Venís el lunes?"},
                         headers=buyer)
    assert thread.status_code == 201, thread.json
    assert client.post(f"/conversations/{thread.json['id']}/messages", json={"text": SELLER_SECRET},
                       headers=seller).status_code == 201
    assert client.post("/orders/order-1/reviews", json={"stars": 4, "text": "Rápido"}, headers=buyer).status_code == 201
    assert client.post("/orders/order-1/reviews", json={"stars": 5, "text": "Amable"},
                       headers=seller).status_code == 201
    assert client.post("/support/requests", json={"category": "order", "subject": "Factura",
                                                  "description": "No encuentro la factura"},
                       headers=buyer).status_code == 202
    deliver_notifications(app, fakes)
    return {"seller": seller, "seller_id": seller_id, "buyer": buyer, "buyer_id": buyer_id, "stranger": stranger}


def build(app) -> int:
    return app.extensions["injector"].get(BuildPendingExports).execute()


def ready_export(app, client, headers) -> dict:
    started = client.post("/me/export", headers=headers)
    assert started.status_code == 202, started.json
    assert build(app) == 1
    status = client.get(started.json["status_url"], headers=headers)
    assert status.status_code == 200 and status.json["status"] == "ready", status.json
    return status.json


def archive_of(response) -> tuple[dict[str, Any], str]:
    """The JSON files parsed (and their text joined), any other file (a photo) as bytes."""
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        raw = {name: archive.read(name) for name in archive.namelist()}
    texts = {name: content.decode() for name, content in raw.items() if name.endswith(".json")}
    files = {name: json.loads(text) for name, text in texts.items()}
    files.update({name: content for name, content in raw.items() if not name.endswith(".json")})
    return files, "\n".join(texts.values())


def test_start_follow_and_download_the_buyers_archive(app, client, fakes, world):
    assert client.get("/me/export", headers=world["buyer"]).status_code == 404  # reading starts nothing
    started = client.post("/me/export", headers=world["buyer"])
    assert started.status_code == 202
    export_id = started.json["id"]
    assert started.json["status"] == "pending" and started.json["download_url"] is None
    assert started.json["status_url"] == f"/me/exports/{export_id}"
    assert started.headers["Location"].endswith(f"/me/exports/{export_id}")
    assert client.post("/me/export", headers=world["buyer"]).json["id"] == export_id  # the running one again
    assert client.get("/me/export", headers=world["buyer"]).json["id"] == export_id  # and reading shows it

    assert build(app) == 1
    status = client.get(f"/me/exports/{export_id}", headers=world["buyer"]).json
    assert status["status"] == "ready" and status["size_bytes"] > 0
    assert status["download_url"].startswith(f"/me/exports/{export_id}/archive?token=")

    download = client.get(status["download_url"], headers=world["buyer"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.headers["Cache-Control"] == "no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    files, text = archive_of(download)
    assert set(files) == {"export.json", "account.json", "profile.json", "services.json", "photos.json",
                          "orders_and_payments.json",
                          "messages.json", "reviews.json", "support_tickets.json", "notifications.json"}
    assert files["account.json"]["email"] == "ana@example.com" and "password_hash" not in files["account.json"]
    [order] = files["orders_and_payments.json"]["orders"]
    assert order["role"] == "buyer" and order["address"] == "Calle Mayor 1"
    assert order["seller"] == {"id": world["seller_id"], "name": "Carlos"}
    [thread] = files["messages.json"]
    assert [m["text"] for m in thread["messages_you_wrote"]] == ["¿Venís el lunes?"]
    [reviews] = files["reviews.json"]
    assert reviews["you_wrote"]["text"] == "Rápido" and reviews["about_you"]["text"] == "Amable"
    [ticket] = files["support_tickets.json"]
    assert ticket["subject"] == "Factura" and ticket["status"] == "received"
    assert {n["event"] for n in files["notifications.json"]} >= {"conversation.message_posted"}
    # Nothing of the seller's beyond their public name: no e-mail, phone, nor what they wrote to Ana.
    for private in ("carlos@example.com", "+34600123456", "600 123 456", "código de la puerta"):
        assert private not in text
    assert files["profile.json"] == {} and files["services.json"] == [] and files["photos.json"] == []


def test_the_sellers_copy_leaves_out_the_buyers_name_address_and_words(app, client, world):
    profile = client.put("/me/seller-profile/photo", data=upload(photo(gps=True)), headers=world["seller"])
    assert profile.status_code == 200
    status = ready_export(app, client, world["seller"])
    files, text = archive_of(client.get(status["download_url"], headers=world["seller"]))
    [order] = files["orders_and_payments.json"]["orders"]
    assert order["role"] == "seller" and "address" not in order and "seller" not in order
    assert files["profile.json"]["presentation"]["display_name"] == "Carlos"
    assert [s["title"] for s in files["services.json"]] == [SERVICE["title"]]
    # The photo itself, as we keep it: without the position it was taken at.
    photo_id = profile.json["photo"]["id"]
    assert files["profile.json"]["photo_id"] == photo_id
    assert files["photos.json"] == [{"id": photo_id, "file": f"photos/{photo_id}.webp", "content_type": "image/webp"}]
    assert files[f"photos/{photo_id}.webp"][:4] == b"RIFF" and not has_gps(files[f"photos/{photo_id}.webp"])
    assert files["account.json"]["phone"] == "+34600123456"
    [thread] = files["messages.json"]
    assert [m["text"] for m in thread["messages_you_wrote"]] == [SELLER_SECRET]
    for private in ("ana@example.com", "Calle Mayor", "Venís el lunes", '"Ana"', "No encuentro la factura"):
        assert private not in text


def test_nobody_else_sees_or_downloads_an_export(app, client, world):
    status = ready_export(app, client, world["buyer"])
    for other in (world["stranger"], world["seller"]):
        assert client.get(status["status_url"], headers=other).status_code == 404
        denied = client.get(status["download_url"], headers=other)
        assert denied.status_code == 404 and denied.json["reason"] == "export_not_found"
    assert client.get("/me/exports/no-such-export", headers=world["buyer"]).status_code == 404


def test_the_link_needs_the_signed_in_owner_too(app, client, world):
    status = ready_export(app, client, world["buyer"])
    assert client.get(status["download_url"]).status_code == 401
    assert client.get("/me/export").status_code == 401 and client.post("/me/export").status_code == 401


def test_an_expired_link_is_a_404_that_says_so_and_a_fresh_one_works(app, client, fakes, world):
    status = ready_export(app, client, world["buyer"])
    fakes.clock.advance(minutes=16)
    buyer = auth(login(client, "ana@example.com"))  # the access token has expired too
    expired = client.get(status["download_url"], headers=buyer)
    assert expired.status_code == 404 and expired.json["reason"] == "download_link_expired"
    assert "expired" in expired.json["message"]
    fresh = client.get(status["status_url"], headers=buyer).json["download_url"]
    assert fresh != status["download_url"]
    assert client.get(fresh, headers=buyer).status_code == 200


def test_an_export_past_its_window_is_gone(app, client, fakes, world):
    status = ready_export(app, client, world["buyer"])
    fakes.clock.advance(days=8)
    buyer = auth(login(client, "ana@example.com"))
    gone = client.get(status["download_url"], headers=buyer)
    assert gone.status_code == 404 and gone.json["reason"] == "export_expired"
    again = client.get(status["status_url"], headers=buyer).json
    assert again["status"] == "expired" and again["download_url"] is None


@pytest.mark.parametrize("query, field", [("", "token"), ("?token=", "token"), ("?token=x&extra=1", "extra")])
def test_a_bad_download_query_is_422_naming_the_field(app, client, world, query, field):
    status = ready_export(app, client, world["buyer"])
    answer = client.get(status["status_url"] + "/archive" + query, headers=world["buyer"])
    assert answer.status_code == 422 and field in answer.json["message"]


@pytest.mark.parametrize("token", ["garbage", "1.x", "99999999999.AAAA", "1" * 300])
def test_a_forged_token_is_a_404_never_a_500(app, client, world, token):
    status = ready_export(app, client, world["buyer"])
    answer = client.get(status["status_url"] + "/archive", query_string={"token": token}, headers=world["buyer"])
    assert answer.status_code in (404, 422)
    assert answer.status_code == 422 or answer.json["reason"] == "invalid_download_link"


def test_a_pending_export_is_a_409_on_download(app, client, world):
    started = client.post("/me/export", headers=world["buyer"]).json
    answer = client.get(started["status_url"] + "/archive?token=1.x", headers=world["buyer"])
    assert answer.status_code == 409 and "pending" in answer.json["message"]


def test_a_few_exports_a_day(app, client, fakes, world):
    for _ in range(5):
        ready_export(app, client, world["buyer"])
    refused = client.post("/me/export", headers=world["buyer"])
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def _moment(text: str | None):
    from datetime import datetime
    return datetime.fromisoformat(text) if text else None


def test_an_exported_order_says_what_get_order_says_field_by_field(app, client, fakes, world):
    """The copy is the order as its side sees it in the API, timeline included (lists leave the
    timeline out, and the export once read orders through a list)."""
    shown = client.get("/orders/order-1", headers=world["buyer"]).json["order"]
    files, _ = archive_of(client.get(ready_export(app, client, world["buyer"])["download_url"], headers=world["buyer"]))
    [exported] = files["orders_and_payments.json"]["orders"]

    assert shown["timeline"], "the world's order has a history"
    for name in ("id", "status", "address", "notes", "breakdown", "captured", "invoice"):
        assert exported[name] == shown[name], name
    assert _moment(exported["created_at"]) == _moment(shown["created_at"])
    assert (_moment(exported["slot_start"]), _moment(exported["slot_end"]), exported["time_zone"]) == (
        _moment(shown["slot"]["start"]), _moment(shown["slot"]["end"]), shown["slot"]["time_zone"])
    assert exported["service"] == {"id": shown["service"]["service_id"], "title": shown["service"]["title"],
                                   "price_model": shown["service"]["price_model"], "price": shown["service"]["price"],
                                   "duration_minutes": shown["service"]["duration_minutes"]}
    assert [(r["refund_id"], r["amount"], r["status"], r["reason"], _moment(r["created_at"]))
            for r in exported["refunds"]] == [(r["refund_id"], r["amount"], r["status"], r["reason"],
                                               _moment(r["created_at"])) for r in shown["refunds"]]
    assert [(_moment(e["at"]), e["by"], e["from_status"], e["to_status"], e["action"], e["note"])
            for e in exported["timeline"]] == [(_moment(e["at"]), e["party"], e["from"], e["to"], e["action"],
                                                e["note"]) for e in shown["timeline"]]
