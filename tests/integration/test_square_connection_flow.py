"""Connecting a seller's Square account end to end: the app (real MongoDB, real adapters) and the
Square stand-in; the seller's browser is played by `requests`."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
import requests
from cryptography.fernet import Fernet

from adapters.outbound.payments.mongo_documents import SquareConnectionDocument
from tests import conftest

pytestmark = pytest.mark.integration

PASSWORD = "a long enough password 1"


@pytest.fixture
def app(mongo_url: str, square_url: str):
    from bootstrap import create_app

    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db="payments_flow_it", square_base_url=square_url)
    application = create_app(settings)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def seller(client) -> dict[str, str]:
    email = f"seller-{id(client)}@example.com"
    assert client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Carlos",
                                               "role": "seller"}).status_code == 201
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def approve_on_square(authorize_url: str, square_url: str) -> str:
    """What the seller does in the browser; returns where Square sends them back."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200 and "Approve" in page.text
    approve = html.unescape(re.search(r'id="approve" href="([^"]+)"', page.text).group(1))
    redirect = requests.get(square_url + approve, allow_redirects=False, timeout=5)
    assert redirect.status_code == 302
    return redirect.headers["Location"]


def connect(app, client, seller, square_url) -> tuple[str, str]:
    started = client.post("/me/square-connection", headers=seller)
    assert started.status_code == 201
    authorize_url = started.json["authorize_url"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
    assert authorize_url.startswith(f"{square_url}/oauth2/authorize")
    assert query["code_challenge_method"] == "S256" and query["code_challenge"] and query["state"]
    assert "PAYMENTS_WRITE_ADDITIONAL_RECIPIENTS" in query["scope"]
    back = approve_on_square(authorize_url, square_url)
    settings = app.extensions["settings"]
    assert back.startswith(settings.square_oauth_redirect_url)
    callback = urllib.parse.urlsplit(back)
    return callback.path, callback.query


def stored_access_token(app, client, seller) -> tuple[dict, str]:
    me = client.get("/me", headers=seller).json
    raw = SquareConnectionDocument._get_collection().find_one({"_id": me["id"]})
    fernet = Fernet(app.extensions["settings"].square_token_encryption_key.encode())
    return raw, fernet.decrypt(raw["access_token_encrypted"].encode()).decode()


def locations_status(square_url: str, token: str) -> int:
    return requests.get(f"{square_url}/v2/locations", headers={"Authorization": f"Bearer {token}"},
                        timeout=5).status_code


def test_connect_refresh_and_disconnect(app, client, seller, square_url):
    # Square's tokens will expire inside the refresh margin (an hour instead of 30 days).
    requests.post(f"{square_url}/_control/token-lifetime", json={"seconds": 3600}, timeout=5)
    path, query = connect(app, client, seller, square_url)
    page = client.get(f"{path}?{query}")  # back to the seller's panel in the web front end
    assert page.status_code == 303 and page.headers["Location"].endswith("/vendedor?square=connected")

    raw, access_token = stored_access_token(app, client, seller)
    assert access_token not in str(raw)  # only ciphertext at rest
    assert locations_status(square_url, access_token) == 200
    body = client.get("/me/square-connection", headers=seller).json
    assert body["status"] == "connected" and body["can_take_payments"] is True
    assert body["location"]["id"] == raw["location_id"] and body["location"]["currency"] == "EUR"

    used = client.get(f"{path}?{query}")  # the state was used
    assert used.status_code == 303 and used.headers["Location"].endswith("reason=invalid_oauth_state")

    result = app.test_cli_runner().invoke(args=["square-refresh-tokens"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("refreshed 1,")
    _, refreshed_token = stored_access_token(app, client, seller)
    assert refreshed_token != access_token and locations_status(square_url, refreshed_token) == 200

    gone = client.delete("/me/square-connection", headers=seller)
    assert gone.status_code == 200 and gone.json["status"] == "disconnected"
    assert locations_status(square_url, refreshed_token) == 401  # revoked at Square too


def test_a_seller_who_denies_gets_a_clear_answer_and_no_connection(app, client, seller, square_url):
    started = client.post("/me/square-connection", headers=seller).json["authorize_url"]
    page = requests.get(started, timeout=5)
    deny = html.unescape(re.search(r'id="deny" href="([^"]+)"', page.text).group(1))
    back = urllib.parse.urlsplit(requests.get(square_url + deny, allow_redirects=False, timeout=5)
                                 .headers["Location"])
    answer = client.get(f"{back.path}?{back.query}")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/vendedor?square=failed&reason=square_authorization_denied")
    assert client.get("/me/square-connection", headers=seller).status_code == 404


def test_a_square_error_page_for_a_wrong_client_id(square_url):
    page = requests.get(f"{square_url}/oauth2/authorize?client_id=someone-else&redirect_uri=http://x", timeout=5)
    assert page.status_code == 400
