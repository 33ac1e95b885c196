"""Password reset by e-mail over HTTP, on the fakes (the mail read from the fake sender)."""

from __future__ import annotations

import pytest

from tests.http.helpers import PASSWORD, deliver_mails, login, mailed_token, register

NEW_PASSWORD = "another-long-password"


def _refused(response, field: str) -> bool:
    """A 422 whose errors name ``field`` (under the request part it came in)."""
    errors = (response.json or {}).get("errors") or {}
    return response.status_code == 422 and any(field in part for part in errors.values())


def _ask(client, email: str, **headers):
    return client.post("/auth/password-reset", json={"email": email}, headers=headers)


def _confirm(client, token: str, password: str = NEW_PASSWORD):
    return client.post("/auth/password-reset/confirm", json={"token": token, "new_password": password})


def test_the_same_202_for_a_known_and_an_unknown_address(client, app, fakes):
    register(client, "ana@example.com")
    known, unknown = _ask(client, "ana@example.com"), _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    deliver_mails(app, fakes)
    assert [m.to for m in fakes.email_sender.outbox] == ["ana@example.com"]


def test_the_link_sets_the_password_once_and_signs_every_session_out(client, app, fakes):
    register(client, "ana@example.com", name="Ana")
    pair = login(client, "ana@example.com")
    _ask(client, "ana@example.com")
    token = mailed_token(app, fakes, "ana@example.com")
    # Only the hash is stored.
    assert all(token not in t.token_hash for t in fakes.one_time_tokens.tokens.values())

    assert _confirm(client, token).status_code == 204
    assert client.post("/auth/login", json={"email": "ana@example.com", "password": PASSWORD}).status_code == 401
    login(client, "ana@example.com", NEW_PASSWORD)
    assert client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert client.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code == 401

    again = _confirm(client, token, "a-third-long-password")
    assert _refused(again, "token")
    login(client, "ana@example.com", NEW_PASSWORD)


def test_an_expired_link_is_refused_naming_the_token(client, app, fakes, clock):
    register(client, "ana@example.com")
    _ask(client, "ana@example.com")
    token = mailed_token(app, fakes, "ana@example.com")
    clock.advance(minutes=31)
    response = _confirm(client, token)
    assert _refused(response, "token")


def test_a_newer_reset_kills_the_older_link_once_used(client, app, fakes):
    register(client, "ana@example.com")
    _ask(client, "ana@example.com")
    first = mailed_token(app, fakes, "ana@example.com")
    _ask(client, "ana@example.com")
    second = mailed_token(app, fakes, "ana@example.com")
    assert first != second
    assert _confirm(client, second).status_code == 204
    assert _refused(_confirm(client, first, "a-third-long-password"), "token")


def test_a_weak_password_is_refused_and_the_link_still_works(client, app, fakes):
    register(client, "ana@example.com")
    _ask(client, "ana@example.com")
    token = mailed_token(app, fakes, "ana@example.com")
    weak = _confirm(client, token, "short")
    assert _refused(weak, "new_password")
    assert _confirm(client, token).status_code == 204


def test_the_mail_is_in_the_browser_language(client, app, fakes):
    register(client, "ana@example.com")
    _ask(client, "ana@example.com", **{"Accept-Language": "en-GB,en;q=0.9"})
    deliver_mails(app, fakes)
    assert fakes.email_sender.outbox[-1].subject == "Reset your password"
    _ask(client, "ana@example.com")
    deliver_mails(app, fakes)
    assert fakes.email_sender.outbox[-1].subject == "Restablece tu contraseña"


def test_requests_are_throttled_per_address_the_same_for_unknown_ones(client):
    register(client, "ana@example.com")
    for email in ("ana@example.com", "nobody@example.com"):
        answers = [_ask(client, email).status_code for _ in range(6)]
        assert answers == [202] * 5 + [429], email


@pytest.mark.parametrize("payload, field", [
    ({}, "email"), ({"email": "not-an-email"}, "email"), ({"email": 5}, "email"), ({"email": ["a"]}, "email"),
])
def test_bad_requests_name_the_field(client, payload, field):
    response = client.post("/auth/password-reset", json=payload)
    assert _refused(response, field)


@pytest.mark.parametrize("payload, field", [
    ({"new_password": NEW_PASSWORD}, "token"), ({"token": "x" * 500, "new_password": NEW_PASSWORD}, "token"),
    ({"token": "unknown", "new_password": NEW_PASSWORD}, "token"), ({"token": "t"}, "new_password"),
    ({"token": {"$ne": None}, "new_password": NEW_PASSWORD}, "token"),
])
def test_bad_confirmations_name_the_field(client, payload, field):
    response = client.post("/auth/password-reset/confirm", json=payload)
    assert _refused(response, field), response.json
