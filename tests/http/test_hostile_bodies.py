"""Lone surrogates and deep nesting in JSON bodies are refused on every route with the field or
the body named (issue #20, item 7); the fast run, on the app wired with fakes."""

from __future__ import annotations

from tests import hostile_bodies
from tests.http.helpers import signed_in

NAMED_IN_THE_ISSUE = {("PATCH", "/me"), ("POST", "/auth/register"), ("POST", "/support/requests"),
                      ("POST", "/conversations")}


def test_every_json_body_route_refuses_lone_surrogates_and_deep_nesting_naming_the_field(client):
    buyer = signed_in(client, "hostile@example.com")
    spec = client.get("/openapi.json").json
    tried = {(case.method, case.path) for case in hostile_bodies.cases(spec)}
    assert NAMED_IN_THE_ISSUE <= tried
    outcome = hostile_bodies.run(client, spec, buyer)
    print(outcome.line())
    assert not outcome.failures, "\n".join(outcome.failures[:40])


def test_a_lone_surrogate_in_a_profile_is_refused_and_nothing_is_stored(client):
    buyer = signed_in(client, "surrogate@example.com")
    response = client.patch("/me", headers=buyer, data='{"display_name": "Ana \\ud800"}',
                            content_type="application/json")
    assert response.status_code == 422
    assert response.json["message"].startswith("display_name: is not valid Unicode")
    assert response.json["errors"] == {"json": {"display_name": [response.json["message"][len("display_name: "):]]}}
    assert client.get("/me", headers=buyer).json["display_name"] == "Someone"


def test_a_valid_surrogate_pair_is_ordinary_text(client):
    buyer = signed_in(client, "emoji@example.com")
    response = client.patch("/me", headers=buyer, data='{"display_name": "Ana \\ud83d\\ude00"}',
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json["display_name"] == "Ana \U0001F600"


def test_nesting_within_the_limit_reaches_the_route_as_before(client):
    # 20 levels is far beyond any body of this API but within the limit: the route's own 422.
    buyer = signed_in(client, "nested@example.com")
    response = client.patch("/me", headers=buyer, data='{"display_name": ' + "[" * 20 + "]" * 20 + "}",
                            content_type="application/json")
    assert response.status_code == 422
    assert response.json["message"].startswith("display_name: ")
