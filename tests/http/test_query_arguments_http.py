"""A query argument an operation does not declare is refused with a 422 naming it, on every
operation of the document alike: those with a query schema (whatever their `unknown` says) and
those with none. Found by `make verify` (issue 26): GET /me/square-connection answered 200 to
`?with_locations=true&<anything>=...` while the routes that said `unknown=RAISE` refused it."""

from __future__ import annotations

import re

import pytest

from tests.http.helpers import signed_in
from tests.http.test_square_connection_http import connect

UNDECLARED = "zz_undeclared"


def _refused_naming(response, *names: str) -> None:
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True)[:300])
    for name in names:
        assert name in response.json["message"], response.json
        assert name in response.json["errors"]["query"], response.json


def test_a_seller_reading_their_square_connection_with_an_undeclared_argument_is_refused(client, fakes):
    seller = signed_in(client, "carlos@example.com", "seller")
    connect(client, fakes, seller)
    assert client.get("/me/square-connection?with_locations=true", headers=seller).status_code == 200
    _refused_naming(client.get(f"/me/square-connection?with_locations=true&{UNDECLARED}=1", headers=seller),
                    UNDECLARED)


def test_a_route_without_any_query_schema_refuses_every_query_argument(client):
    buyer = signed_in(client, "ana@example.com")
    assert client.get("/me", headers=buyer).status_code == 200
    _refused_naming(client.get("/me?a=1&b=2", headers=buyer), "a", "b")
    # An empty value is still an argument the route does not take.
    _refused_naming(client.get("/categories?page="), "page")


def test_a_route_with_a_strict_schema_answers_the_same_shape(client):
    buyer = signed_in(client, "ana@example.com")
    declared = client.get("/me/orders?page_size=5", headers=buyer)
    assert declared.status_code == 200
    _refused_naming(client.get(f"/me/orders?page_size=5&{UNDECLARED}=x", headers=buyer), UNDECLARED)


def test_declared_arguments_still_pass_and_a_bad_value_is_still_named(client):
    assert client.get("/services?q=fontanero&page_size=5").status_code == 200
    response = client.get("/services?page_size=many")
    assert response.status_code == 422 and "page_size" in response.json["message"]


def _operations(client):
    document = client.get("/openapi.json").json
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, path, operation


def test_every_operation_of_the_document_refuses_an_undeclared_query_argument_and_documents_422(client):
    operations = list(_operations(client))
    assert len(operations) >= 80
    for method, path, operation in operations:
        # Any id: the argument is refused before the route looks anything up.
        url = re.sub(r"\{[^}]+\}", "x1", path) + f"?{UNDECLARED}=1"
        response = client.open(url, method=method.upper(), json={})
        assert response.status_code == 422, (method, path, response.status_code, response.get_data(as_text=True)[:200])
        assert UNDECLARED in response.json["message"], (method, path, response.json)
        assert "422" in operation["responses"], (method, path, sorted(operation["responses"]))


@pytest.mark.parametrize("name", ["with_locations[]", "WITH_LOCATIONS", " with_locations"])
def test_a_near_miss_of_a_declared_name_is_undeclared(client, fakes, name):
    seller = signed_in(client, "carlos@example.com", "seller")
    connect(client, fakes, seller)
    _refused_naming(client.get("/me/square-connection", query_string={name: "true"}, headers=seller), name)
