"""A stolen access token must not be a licence to guess the account's password: POST /me/password
asks for the current one, and is throttled per account like DELETE /me, on one shared budget."""

from __future__ import annotations

from tests.http.test_orders_http import PASSWORD, signup


def change_password(client, headers: dict, current: str):
    return client.post("/me/password", headers=headers,
                       json={"current_password": current, "new_password": "otra-clave-bastante-larga-7"})


def test_guessing_the_current_password_is_throttled_and_the_right_one_waits_too(client):
    headers, _ = signup(client, "ana@example.com")

    guesses = [change_password(client, headers, f"guess-number-{n}").status_code for n in range(12)]
    right = change_password(client, headers, PASSWORD)

    assert guesses[:5] == [401] * 5 and set(guesses[5:]) == {429}, guesses
    assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 1, right.json


def test_the_budget_is_shared_with_delete_me(client):
    headers, _ = signup(client, "ana@example.com")
    deletes = [client.delete("/me", headers=headers, json={"password": f"guess-{n}"}).status_code for n in range(3)]
    changes = [change_password(client, headers, f"guess-number-{n}").status_code for n in range(3)]

    assert deletes == [422] * 3 and changes == [401, 401, 429], (deletes, changes)


def test_common_and_trivial_passwords_are_refused_naming_the_field_and_why(client):
    for password, problem in (("aaaaaaaaaa", "repeated_characters"), ("1234567890", "common_password"),
                              ("password12", "common_password")):
        answer = client.post("/auth/register", json={"email": "ana@example.com", "password": password,
                                                     "display_name": "Ana", "role": "buyer"})
        assert answer.status_code == 422, answer.json
        assert answer.json["errors"]["json"]["password"][0].startswith("password is too easy to guess")
        assert answer.json["reason"] == "weak_password" and answer.json["password_problem"] == problem


def test_a_new_password_is_judged_too(client):
    headers, _ = signup(client, "ana@example.com")
    answer = client.post("/me/password", headers=headers, json={"current_password": PASSWORD,
                                                                "new_password": "password12"})
    assert answer.status_code == 422 and "new_password" in answer.json["errors"]["json"], answer.json
    assert answer.json["password_problem"] == "common_password"
