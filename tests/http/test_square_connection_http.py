from __future__ import annotations

import json
import urllib.parse

import pytest

from domain.payments.connection import SquareLocation


def register(client, email: str, role: str) -> str:
    response = client.post("/auth/register", json={"email": email, "password": "a long enough password 1",
                                                   "display_name": "Someone", "role": role})
    assert response.status_code == 201, response.json
    login = client.post("/auth/login", json={"email": email, "password": "a long enough password 1"})
    return login.json["access_token"]


@pytest.fixture
def seller(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {register(client, 'carlos@example.com', 'seller')}"}


def state_of(url: str) -> str:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["state"]


def connect(client, fakes, seller) -> None:
    started = client.post("/me/square-connection", headers=seller)
    assert started.status_code == 201
    state = state_of(started.json["authorize_url"])
    code = fakes.square_oauth.approve(state)
    callback = client.get(f"/square/oauth/callback?code={code}&state={state}&response_type=code")
    assert callback.status_code == 303, callback.data
    assert callback.headers["Location"].endswith("/vendedor?square=connected")


def test_only_sellers_connect_square(client):
    buyer = {"Authorization": f"Bearer {register(client, 'ana@example.com', 'buyer')}"}
    assert client.post("/me/square-connection", headers=buyer).status_code == 403
    assert client.post("/me/square-connection").status_code == 401


def test_connect_then_read_the_connection(client, fakes, seller):
    assert client.get("/me/square-connection", headers=seller).status_code == 404
    connect(client, fakes, seller)
    body = client.get("/me/square-connection?with_locations=true", headers=seller).json
    assert body["status"] == "connected" and body["can_take_payments"] is True
    assert body["location"] == {"id": "LOC-MAIN", "name": "Main", "currency": "EUR"}
    assert body["locations"][0]["id"] == "LOC-MAIN"
    assert "access_token" not in json.dumps(body)


def test_a_forged_or_missing_state_is_refused_naming_the_field(client):
    response = client.get("/square/oauth/callback?code=x&state=forged")  # the seller goes back to the panel
    assert response.status_code == 303 and response.headers["Location"].endswith("reason=invalid_oauth_state")
    response = client.get("/square/oauth/callback?code=x")
    assert response.status_code == 422 and "state" in response.json["message"]
    assert client.get("/square/oauth/callback?state=s&evil=1").status_code == 422


def test_choosing_among_several_locations(client, fakes, seller):
    fakes.square_merchant_api.locations_by_merchant["MERCHANT-1"] = [SquareLocation("L1", "Centro", "EUR"),
                                                                      SquareLocation("L2", "Norte", "EUR")]
    connect(client, fakes, seller)
    body = client.get("/me/square-connection", headers=seller).json
    assert body["can_take_payments"] is False and "location" in body["cannot_take_payments_because"]
    bad = client.put("/me/square-connection/location", json={"location_id": "L9"}, headers=seller)
    assert bad.status_code == 422 and bad.json["message"].startswith("location_id")
    assert client.put("/me/square-connection/location", json={}, headers=seller).status_code == 422
    assert client.put("/me/square-connection/location", json={"location_id": "L2", "x": 1},
                      headers=seller).status_code == 422
    chosen = client.put("/me/square-connection/location", json={"location_id": "L2"}, headers=seller)
    assert chosen.status_code == 200 and chosen.json["location"]["name"] == "Norte"


def test_disconnect(client, fakes, seller):
    connect(client, fakes, seller)
    response = client.delete("/me/square-connection", headers=seller)
    assert response.status_code == 200 and response.json["status"] == "disconnected"
    assert fakes.square_oauth.revoked_merchants == ["MERCHANT-1"]
    assert client.delete("/me/square-connection", headers=seller).status_code == 409


def test_webhook_needs_square_signature_and_handles_an_event_once(client, fakes):
    body = json.dumps({"merchant_id": "M", "type": "invoice.payment_made", "event_id": "e-1",
                       "created_at": "2026-11-23T10:00:00Z",
                       "data": {"type": "invoice", "id": "inv-1", "object": {"invoice": {"id": "inv-1",
                                                                                         "status": "PAID"}}}})
    assert client.post("/webhooks/square", data=body, content_type="application/json").status_code == 401
    forged = client.post("/webhooks/square", data=body, content_type="application/json",
                         headers={"x-square-hmacsha256-signature": "forged"})
    assert forged.status_code == 401 and fakes.webhook_events.events == {}
    headers = {"x-square-hmacsha256-signature": "good-signature"}
    first = client.post("/webhooks/square", data=body, content_type="application/json", headers=headers)
    again = client.post("/webhooks/square", data=body, content_type="application/json", headers=headers)
    assert (first.json["outcome"], again.json["outcome"]) == ("handled", "duplicate")
    assert len(fakes.payment_events.calls) == 1


@pytest.fixture
def web_app(fakes):
    from bootstrap import create_app
    from tests.conftest import test_settings

    application = create_app(test_settings(web_public_url="https://web.example"), extra_modules=[fakes])
    application.config["TESTING"] = True
    return application


def test_with_a_web_front_end_the_callback_takes_the_seller_back_to_their_panel_with_the_outcome(web_app, fakes):
    client = web_app.test_client()
    seller = {"Authorization": f"Bearer {register(client, 'carlos@example.com', 'seller')}"}
    state = state_of(client.post("/me/square-connection", headers=seller).json["authorize_url"])
    code = fakes.square_oauth.approve(state)
    back = client.get(f"/square/oauth/callback?code={code}&state={state}")
    assert back.status_code == 303 and back.headers["Location"] == "https://web.example/vendedor?square=connected"
    assert client.get("/me/square-connection", headers=seller).json["status"] == "connected"

    again = client.get(f"/square/oauth/callback?code={code}&state={state}")  # the state was single use
    assert again.status_code == 303
    assert again.headers["Location"] == "https://web.example/vendedor?square=failed&reason=invalid_oauth_state"
