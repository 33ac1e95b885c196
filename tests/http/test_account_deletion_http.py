"""DELETE /me (issue #12) over HTTP, on the fakes: the refusals, the success, and what a deleted
person can no longer do."""

from __future__ import annotations

from tests.http.test_orders_http import PASSWORD, book, key, paid, people, signup  # noqa: F401 (fixture)


def delete_me(client, headers: dict, password: str | None = PASSWORD):
    return client.delete("/me", headers=headers, json={} if password is None else {"password": password})


def test_the_password_is_required_and_checked_naming_the_field(client, people):
    missing = delete_me(client, people["buyer"], password=None)
    assert missing.status_code == 422 and "password" in missing.json["message"], missing.json
    wrong = delete_me(client, people["buyer"], password="not-my-password")
    assert wrong.status_code == 422 and wrong.json["message"].startswith("password:"), wrong.json
    assert client.get("/me", headers=people["buyer"]).status_code == 200


def test_a_stolen_token_cannot_guess_the_password_forever(client, people):
    statuses = [delete_me(client, people["buyer"], password=f"guess-{n}").status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]


def test_signed_out_callers_get_401(client, people):
    assert client.delete("/me", json={"password": PASSWORD}).status_code == 401


def test_an_open_order_or_pending_payment_refuses_with_409_naming_it(client, people, fakes):
    booked = book(client, people).json["order"]["id"]
    refused = delete_me(client, people["buyer"])
    assert refused.status_code == 409, refused.json
    assert booked in refused.json["message"] and "pending payment" in refused.json["message"]
    assert refused.json["reason"] == "account_has_open_commitments"
    assert refused.json["blockers"] == [{"order_id": booked, "kind": "payment", "status": "pending_payment"}]
    # The seller is blocked by the same order.
    assert delete_me(client, people["seller"]).status_code == 409
    client.post(f"/orders/{booked}/cancel", headers=key(people["buyer"]), json={"reason": "changed my mind"})
    accepted = paid(client, people)
    client.post(f"/orders/{accepted}/accept", headers=key(people["seller"]))
    refused = delete_me(client, people["buyer"])
    assert refused.status_code == 409 and f"order {accepted} is still open (accepted)" in refused.json["message"]
    assert refused.json["blockers"] == [{"order_id": accepted, "kind": "open", "status": "accepted"}]
    assert client.get("/me", headers=people["buyer"]).status_code == 200
    assert all(m.name != "account.deleted" for m in fakes.outbox.messages())


def test_success_is_204_and_the_person_can_no_longer_sign_in(client, fakes):
    headers, user_id = signup(client, "leaving@example.com")
    pair = client.post("/auth/login", json={"email": "leaving@example.com", "password": PASSWORD}).json

    response = delete_me(client, headers)

    assert response.status_code == 204, response.json
    assert client.post("/auth/login", json={"email": "leaving@example.com", "password": PASSWORD}).status_code == 401
    assert client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert client.get("/me", headers=headers).status_code == 401
    assert client.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code == 401
    stored = fakes.users.users[user_id]
    assert stored.deleted and "leaving" not in stored.email.value and stored.display_name == "Former user"
    [event] = [m for m in fakes.outbox.messages() if m.name == "account.deleted"]
    # Nothing but the opaque id and the time travels on Kafka.
    assert event.key == user_id and set(event.payload) == {"user_id", "deleted_at", "replayed"}
    assert list(fakes.deletion_log.entries) == [user_id]
    # The address is free again.
    assert client.post("/auth/register", json={"email": "leaving@example.com", "password": PASSWORD,
                                               "display_name": "New me"}).status_code == 201


def test_deleting_twice_is_401_the_second_time(client):
    headers, _ = signup(client, "twice@example.com")
    assert delete_me(client, headers).status_code == 204
    assert delete_me(client, headers).status_code == 401
