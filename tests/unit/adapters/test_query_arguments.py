"""The catalog's Blueprint loads query strings with adapters.inbound.http.arguments' plan instead of
marshmallow's walk over every field. These compare the two parsers on generated query strings:
the same arguments, or the same 422 with the same messages; and the fast path must really serve
the well-formed ones (or the comparison would only test webargs against itself)."""

from __future__ import annotations

import random
from urllib.parse import urlencode

import pytest
from flask import Flask
from marshmallow import RAISE, Schema, fields, post_load, validate
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from adapters.inbound.catalog.schemas import MyServicesArgsSchema, SearchArgsSchema
from adapters.inbound.http import arguments
from adapters.inbound.http.arguments import QueryArgumentsParser

app = Flask(__name__)

VALUES = ["", "1", "0", "-3", "20", "101", "4.5", "nan", "inf", "1e3", "abc", "plumbing", "cleaning", "Madrid",
          "28001", "newest", "relevance", "distance", "price_asc", "fixed", "hourly", "quote", "EUR", "XXX",
          "2026-12-01", "2026-13-01", "morning", "midnight", "40.4168", "-3.7038", "181", "x" * 81, "x" * 201,
          "grifo fuga", "active", "paused", "deleted", "9" * 30]


class Renamed(Schema):
    """data_key, attribute, a required field and a default: what the plan maps besides names."""
    sort_by = fields.String(data_key="sort", attribute="order", validate=validate.OneOf(["a", "b"]))
    size = fields.Integer(required=True, validate=validate.Range(min=1, max=9))
    tags = fields.List(fields.String(validate=validate.Length(max=3)), load_default=list)


class WithHook(Schema):
    """A post_load hook: the plan leaves such a schema to marshmallow."""
    n = fields.Integer()

    @post_load
    def doubled(self, data, **_kwargs):
        return {**data, "n": data.get("n", 0) * 2}


SCHEMAS = [SearchArgsSchema(), MyServicesArgsSchema(), Renamed(), WithHook()]


def _outcome(parser: FlaskParser, schema: Schema, query: str):
    with app.test_request_context("/?" + query):
        try:
            return "args", parser.parse(schema, location="query", unknown=RAISE)
        except HTTPException as error:
            return error.code, getattr(error, "data", None)


def _query(rng: random.Random, schema: Schema) -> str:
    keys = [f.data_key or name for name, f in schema.load_fields.items()]
    pairs = []
    for key in rng.sample(keys, rng.randint(0, min(len(keys), 5))):
        for _ in range(rng.choice([1, 1, 1, 2])):  # sometimes repeated
            pairs.append((key, rng.choice(VALUES)))
    if rng.random() < 0.1:
        pairs.append((rng.choice(["pagesize", "foo", "q2"]), "1"))
    return urlencode(pairs)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: type(s).__name__)
def test_the_fast_parser_answers_what_webargs_answers(schema):
    rng = random.Random(type(schema).__name__)
    for _ in range(400):
        query = _query(rng, schema)
        assert _outcome(QueryArgumentsParser(), schema, query) == _outcome(FlaskParser(), schema, query), query


def test_well_formed_query_strings_take_the_plan(monkeypatch):
    served = []
    original = arguments._Plan.load

    def counted(self, query):
        result = original(self, query)
        served.append(result is not None)
        return result

    monkeypatch.setattr(arguments._Plan, "load", counted)
    schema = SearchArgsSchema()
    for query in ("", "page_size=20&sort=newest", "category=plumbing&category=cleaning&q=grifo",
                  "lat=40.4&lng=-3.7&radius_km=10&available_on=2026-12-01&part_of_day=morning"):
        kind, loaded = _outcome(QueryArgumentsParser(), schema, query)
        assert kind == "args" and loaded == _outcome(FlaskParser(), schema, query)[1]
    assert served == [True, True, True, True]
    # A refused value and an unknown key are marshmallow's to answer, with its messages.
    for query in ("page_size=0", "colour=red"):
        assert _outcome(QueryArgumentsParser(), schema, query)[0] == 422
    assert served[4:] == [False, False]


def test_a_schema_with_hooks_is_left_to_marshmallow():
    with app.test_request_context("/?n=2"):
        assert QueryArgumentsParser().parse(WithHook(), location="query") == {"n": 4}
    assert arguments._plan(WithHook(), (fields.List,)) is None
