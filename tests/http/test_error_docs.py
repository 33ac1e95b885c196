"""The OpenAPI document lists the errors each operation answers, in the shape they are answered.
Regressions found by fuzzing the API from its document (tests/http/test_fuzz_openapi.py)."""

from __future__ import annotations

import jsonschema_rs
import pytest

from adapters.inbound.http.error_docs import expected_errors
from tests.http.helpers import signed_in


def _document(client) -> dict:
    return client.get("/openapi.json").json


def _error_schema(document: dict) -> dict:
    # The components are inlined so the validator needs no reference resolution.
    return document["components"]["schemas"]["Error"]


def test_a_domain_errors_body_matches_the_documented_error_schema(client):
    document = _document(client)
    response = client.get("/services/no-such-service")
    assert response.status_code == 404 and response.json["reason"]
    jsonschema_rs.validate(_error_schema(document), response.json)


def test_a_validation_errors_body_matches_the_documented_error_schema(client):
    document = _document(client)
    response = client.post("/auth/register", json={"email": "not-an-address", "password": "x", "display_name": "A"})
    assert response.status_code == 422 and "email" in response.json["message"]
    jsonschema_rs.validate(_error_schema(document), response.json)


@pytest.mark.parametrize(("method", "path", "statuses"), [
    ("get", "/me", {"401", "422"}),
    ("post", "/services", {"401", "403", "409", "422"}),
    ("get", "/orders/{order_id}", {"401", "403", "404"}),
    ("post", "/orders/{order_id}/accept", {"401", "403", "404", "409", "422"}),
    ("get", "/services/{service_id}", {"404"}),
    ("post", "/auth/login", {"401", "422"}),
    ("post", "/auth/refresh", {"401"}),
    ("post", "/webhooks/square", {"401", "409"}),
    ("post", "/orders", {"404", "409"}),
    ("post", "/conversations", {"404"}),
    ("get", "/me/square-connection", {"404"}),
    ("get", "/me/seller-profile", {"403", "404"}),
    ("get", "/me/orders", {"401", "403", "422"}),
])
def test_each_operation_documents_the_errors_it_answers(client, method, path, statuses):
    responses = _document(client)["paths"][path][method]["responses"]
    assert statuses <= set(responses), sorted(responses)
    for status in statuses:
        assert _error_body_of(responses[status]), (status, responses[status])


def _error_body_of(response: dict) -> bool:
    """A reference to one of the per-status error responses, or a response whose body is the Error."""
    if "$ref" in response:
        return response["$ref"].startswith("#/components/responses/")
    return response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_public_read_without_inputs_documents_only_the_422_of_an_undeclared_query_argument(client):
    assert set(_document(client)["paths"]["/categories"]["get"]["responses"]) == {"200", "422", "default"}
    assert client.get("/categories?page=2").status_code == 422


def test_an_undocumented_401_is_not_what_a_signed_in_route_answers_without_a_token(client):
    # What the rules document is what the routes do: no token, 401; a buyer on a seller's route, 403.
    assert client.post("/services", json={}).status_code == 401
    buyer = signed_in(client, "ana@example.com")
    assert client.post("/services", json={}, headers=buyer).status_code == 403


def test_the_rules_follow_security_path_ids_writes_and_inputs():
    secured = {"security": [{"bearerAuth": []}]}
    assert expected_errors("get", "/me", secured) == [401, 422]
    assert expected_errors("get", "/me/services", {**secured, "description": "Yours\n\nRoles: seller"}) == [401, 403, 422]
    assert expected_errors("delete", "/me/time-off/{time_off_id}", secured) == [401, 403, 404, 409, 422]
    assert expected_errors("get", "/categories", {}) == [422]
    assert expected_errors("get", "/services", {"parameters": [{"in": "query", "name": "q"}]}) == [422]


def test_a_buyer_asking_for_the_seller_job_board_gets_the_documented_403(client):
    buyer = signed_in(client, "ana@example.com")
    response = client.get("/me/orders", query_string={"role": "seller"}, headers=buyer)
    assert response.status_code == 403
    assert "403" in _document(client)["paths"]["/me/orders"]["get"]["responses"]
