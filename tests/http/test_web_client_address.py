"""The web front end's server relays sign-ins and sign-ups; the person's address travels signed
with WEB_PROXY_SECRET (issue #20, item 1), so each person through the web has their own budget,
and an address named without the secret changes nothing."""

from __future__ import annotations

import time

import pytest

from adapters.inbound.http.hardening import sign_client_address
from bootstrap import create_app
from config import ConfigError, load_settings
from tests.conftest import test_settings
from tests.fakes import FakesModule

SECRET = "s" * 40
PASSWORD = "a-long-password"


def make_client(**settings):
    app = create_app(test_settings(web_proxy_secret=SECRET, **settings), extra_modules=[FakesModule()])
    app.config["TESTING"] = True
    return app.test_client()


def relayed(address: str, *, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    at = int(time.time()) if at is None else at
    return {"X-Client-Address": address, "X-Client-Address-Signature": sign_client_address(secret, address, at)}


def register(client, n: int, headers: dict[str, str]) -> int:
    return client.post("/auth/register", headers=headers, json={
        "email": f"person{n}@example.com", "password": PASSWORD, "display_name": "P", "role": "buyer"}).status_code


def test_two_people_relayed_by_the_web_server_have_separate_sign_up_budgets():
    client = make_client(rate_limit_auth="3/minute")
    assert [register(client, n, relayed("198.51.100.1")) for n in range(4)] == [201, 201, 201, 429]
    assert register(client, 10, relayed("198.51.100.2")) == 201


@pytest.mark.parametrize("forged", [
    {"X-Client-Address": "198.51.100.2"},                                    # no signature
    relayed("198.51.100.2", secret="x" * 40),                                # another key
    relayed("198.51.100.2", at=int(time.time()) - 3600),                     # an old capture
    {**relayed("198.51.100.3"), "X-Client-Address": "198.51.100.2"},         # signed for another address
    relayed("not an address"),
])
def test_an_address_without_the_secret_is_ignored(forged):
    client = make_client(rate_limit_auth="3/minute")
    assert [register(client, n, {}) for n in range(3)] == [201, 201, 201]
    assert register(client, 10, forged) == 429


def test_without_a_secret_configured_no_relayed_address_is_believed():
    app = create_app(test_settings(rate_limit_auth="3/minute"), extra_modules=[FakesModule()])
    client = app.test_client()
    assert [register(client, n, relayed("198.51.100.1", secret="")) for n in range(3)] == [201, 201, 201]
    assert register(client, 10, relayed("198.51.100.2", secret="")) == 429


def test_failed_sign_ins_count_per_relayed_address_and_per_account_still():
    client = make_client()
    failures = [client.post("/auth/login", headers=relayed("198.51.100.1"),
                            json={"email": f"nobody{n}@example.com", "password": "wrong-password"}).status_code
                for n in range(51)]
    assert failures[:50] == [401] * 50 and failures[50] == 429
    other = client.post("/auth/login", headers=relayed("198.51.100.2"),
                        json={"email": "nobody-else@example.com", "password": "wrong-password"})
    assert other.status_code == 401
    # One account is still limited whoever tries it, from however many addresses.
    tries = [client.post("/auth/login", headers=relayed(f"203.0.113.{n}"),
                         json={"email": "target@example.com", "password": "wrong-password"}).status_code
             for n in range(6)]
    assert tries == [401] * 5 + [429]


def test_a_short_secret_stops_start_up():
    with pytest.raises(ConfigError, match="WEB_PROXY_SECRET"):
        load_settings({"WEB_PROXY_SECRET": "short"})
