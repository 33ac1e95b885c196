"""The fuzz harness (tests/fuzzing.py) judges the request it sent, no other (issue 26).

Seed 1725545813 drew, for GET /me/square-connection as a seller, a negative case with two
mutations: undeclared query keys, then the documented Authorization removed. The harness merged
the seller's token back into the headers, so the request it sent was authenticated while
`negative_data_rejection` judged it as one without Authorization."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from schemathesis import GenerationMode
from schemathesis.core.mutations import Mutation, MutationChannel, OperatorKind
from schemathesis.core.parameters import ParameterLocation

from tests import fuzzing
from tests.http.helpers import signed_in
from tests.http.test_square_connection_http import connect

ISSUE_SEED = 1725545813
SELLER = {"Authorization": "Bearer the-sellers-token", "Idempotency-Key": "k1"}


def _mutation(location: ParameterLocation, keywords: tuple[str, ...], parameter: str | None = None,
              path: tuple[str, ...] = (), original: object = None) -> Mutation:
    return Mutation(path=path, parameter_location=location, schema_pointer="", channel=MutationChannel.SCHEMA,
                    operator=OperatorKind.NEGATE_CONSTRAINTS, keywords=keywords, parameter=parameter,
                    original_value=original, new_value=None)


def _case(*mutations: Mutation) -> SimpleNamespace:
    return SimpleNamespace(meta=SimpleNamespace(phase=SimpleNamespace(data=SimpleNamespace(mutations=mutations))))


EXTRA_QUERY = _mutation(ParameterLocation.QUERY, ("additionalProperties",))


@pytest.mark.parametrize("mutation", [
    _mutation(ParameterLocation.HEADER, ("required",), "Authorization", original=["Authorization"]),
    _mutation(ParameterLocation.HEADER, ("required",), None, original=["authorization"]),
    _mutation(ParameterLocation.HEADER, ("format",), "Authorization", path=("Authorization",)),
], ids=["removed", "removed-unnamed", "bad-value"])
def test_a_header_the_case_mutated_is_not_merged_back_whatever_came_first(mutation):
    assert fuzzing.caller_headers(_case(mutation), SELLER) == {"Idempotency-Key": "k1"}
    assert fuzzing.caller_headers(_case(EXTRA_QUERY, mutation), SELLER) == {"Idempotency-Key": "k1"}


def test_every_other_case_goes_out_as_the_identity():
    assert fuzzing.caller_headers(_case(EXTRA_QUERY), SELLER) == SELLER
    assert fuzzing.caller_headers(_case(_mutation(ParameterLocation.HEADER, ("additionalProperties",))),
                                  SELLER) == SELLER
    assert fuzzing.caller_headers(SimpleNamespace(meta=None), SELLER) == SELLER


def test_the_issues_seed_sends_each_case_as_it_is_judged(app, client, fakes, monkeypatch):
    seller = signed_in(client, "carlos@example.com", "seller")
    connect(client, fakes, seller)
    sent: list[tuple[object, object]] = []
    judge = fuzzing._judge
    monkeypatch.setattr(fuzzing, "_judge", lambda figures, label, identity, case, response: (
        sent.append((case, response)), judge(figures, label, identity, case, response)))
    figures = fuzzing.fuzz(app, fuzzing.World(headers={"seller": seller}, known_ids={}), examples=12,
                           identities=["seller"], modes=[GenerationMode.NEGATIVE], derandomize=False,
                           seed=ISSUE_SEED, operations=["GET /me/square-connection"])
    assert not figures.findings, figures.report()
    without_token = [(case, response) for case, response in sent
                     if "Authorization" not in fuzzing.caller_headers(case, seller)]
    # The issue's case is among them: a query mutation first, Authorization removed after it.
    assert any(case.meta.phase.data.mutations[0].parameter_location == ParameterLocation.QUERY
               for case, _ in without_token)
    for case, response in without_token:
        assert response.request.headers.get("Authorization") == case.headers.get("Authorization")
        # 401, or 422 when it also sent a query argument the route does not take (refused first).
        assert response.status_code in (401, 422), (case.headers, case.query, response.status_code)


def test_an_undeclared_query_argument_is_read_from_the_request_sent(app):
    operation = fuzzing.load_schema(app)["/me/square-connection"]["GET"]
    case = SimpleNamespace(operation=operation)
    response = SimpleNamespace(request=SimpleNamespace(
        url="http://localhost/me/square-connection?with_locations=true&%C3%91=1&page="))
    assert fuzzing.undeclared_query_arguments(case, response) == ["Ñ", "page"]
