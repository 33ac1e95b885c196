"""Query-string arguments: a flask-smorest Blueprint whose query arguments load without
marshmallow's per-field walk, and (at the end) the one refusal of arguments an operation does not declare.

`Schema.load` visits every declared field on every request, present or not (a closure, an error
store call and a `deserialize` each), and webargs re-reads the schema for its multi-valued keys
and asks werkzeug's MultiDict for each absent key (an exception each). The search's 22 fields
made that a fifth of a search's own cost, for the two or three a request sends.

Here a plan per schema instance, made once, knows each query key's field and which fields
fill in when absent (a default, or required); a request deserializes only what it sent, with
the fields' own `deserialize` (conversion and validators). Anything else — an unknown key, a
value a field refuses, a schema with hooks or partial loading — goes to webargs and marshmallow
as before, so every error (and its 422 body) is theirs. tests/unit/adapters/test_query_arguments.py
compares both on generated query strings.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import flask_smorest
from flask import Flask, request
from marshmallow import Schema, ValidationError, missing
from marshmallow.fields import Field
from webargs.flaskparser import FlaskParser, abort
from webargs.multidictproxy import MultiDictProxy

QUERY_LOCATIONS = frozenset({"query", "querystring"})


@dataclass(frozen=True)
class _Plan:
    fields: Mapping[str, tuple[str, Field]]       # query key -> (result key, field)
    multiple: frozenset[str]                      # keys read with getlist, as webargs reads them
    when_absent: tuple[tuple[str, str, Field], ...]  # (query key, result key, field): default or required

    def load(self, query: MultiDictProxy) -> dict[str, Any] | None:
        """What `schema.load(query)` returns, or None for anything it should answer itself."""
        sent = query.data
        result: dict[str, Any] = {}
        try:
            for key in sent:
                known = self.fields.get(key)
                if known is None:
                    return None  # unknown: the schema's own rule (and message)
                name, field = known
                value = field.deserialize(query[key], key, query)
                if value is not missing:
                    result[name] = value
            for key, name, field in self.when_absent:
                if key not in sent:
                    value = field.deserialize(missing, key, query)
                    if value is not missing:
                        result[name] = value
        except ValidationError:
            return None  # marshmallow collects every field's message
        return result


_PLANS: weakref.WeakKeyDictionary[Schema, _Plan | None] = weakref.WeakKeyDictionary()


def _plan(schema: Schema, multi_field_types: tuple[type, ...]) -> _Plan | None:
    try:
        return _PLANS[schema]
    except KeyError:
        pass
    plan = None
    if not schema.many and not schema.partial and not any(schema._hooks.values()):
        fields: dict[str, tuple[str, Field]] = {}
        multiple, when_absent = set(), []
        for attr, field in schema.load_fields.items():
            key = field.data_key if field.data_key is not None else attr
            name = field.attribute or attr
            if "." in name:  # marshmallow nests dotted attributes; not worth copying
                break
            fields[key] = (name, field)
            declared = getattr(field, "is_multiple", None)  # webargs' own rule for repeated keys
            if declared if declared is not None else isinstance(field, multi_field_types):
                multiple.add(key)
            if field.required or field.load_default is not missing:
                when_absent.append((key, name, field))
        else:
            plan = _Plan(fields, frozenset(multiple), tuple(when_absent))
    _PLANS[schema] = plan
    return plan


class _Query(MultiDictProxy):
    """webargs' proxy over the query string, with the multi-valued keys from the plan instead of
    a walk over the schema per request."""

    def __init__(self, multidict: Any, plan: _Plan, known_multi_fields: tuple[type, ...]) -> None:
        self.data = multidict
        self.known_multi_fields = known_multi_fields
        self.multiple_keys = plan.multiple  # only read
        self.plan = plan


class QueryArgumentsParser(FlaskParser):
    def load_querystring(self, req: Any, schema: Schema) -> Any:
        known_multi_fields = tuple(self.KNOWN_MULTI_FIELDS)
        plan = _plan(schema, known_multi_fields)
        if plan is None:
            return super().load_querystring(req, schema)
        return _Query(req.args, plan, known_multi_fields)

    def _process_location_data(self, location_data: Any, schema: Schema, req: Any, location: str,
                               unknown: str | None, validators: Any) -> Any:
        # pre_load is webargs' identity here (neither this parser nor FlaskParser overrides it).
        if isinstance(location_data, _Query) and location in QUERY_LOCATIONS and not validators:
            loaded = location_data.plan.load(location_data)
            if loaded is not None:
                return loaded
        return super()._process_location_data(location_data, schema, req, location, unknown, validators)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint (same decorators, same OpenAPI document) with the parser above."""

    ARGUMENTS_PARSER = QueryArgumentsParser()


# -- Undeclared query arguments ---------------------------------------------------------------
#
# webargs reads the query string with `unknown=EXCLUDE` unless a route says `unknown=RAISE`, and a
# route with no query schema never reads it at all: an argument it does not take was silently
# dropped on some routes and refused on others (issue 26: GET /me/square-connection answered 200
# to `?with_locations=true&<junk>=1`). A client that misspells `page_size` must hear about it on
# every route, so the refusal is made here, once, from what each operation declares in the
# document (its `@blp.arguments(..., location="query")` schemas), before the view runs.

UNKNOWN_FIELD = "Unknown field."  # marshmallow's own words, so both refusals read the same


def _query_keys_of(schema: Schema | type[Schema]) -> set[str]:
    instance = schema() if isinstance(schema, type) else schema
    return {field.data_key if field.data_key is not None else name for name, field in instance.load_fields.items()}


def _method_of(view: Any, method: str) -> Any:
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    found = getattr(view_class, method.lower(), None)
    if found is None and method == "HEAD":  # as MethodView.dispatch_request answers HEAD
        found = getattr(view_class, "get", None)
    return found


def declared_query_keys(app: Flask, endpoint: str, method: str) -> frozenset[str] | None:
    """The query keys ``endpoint`` declares for ``method``; None for what is not an operation of
    the API document (the document itself, Swagger UI, /metrics): those have no contract to keep."""
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    view = _method_of(app.view_functions[endpoint], method)
    if not isinstance(blueprint, flask_smorest.Blueprint) or view is None:
        return None
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return frozenset().union(*(_query_keys_of(parameter["schema"]) for parameter in parameters
                               if parameter["in"] in QUERY_LOCATIONS))


def install_undeclared_query_refusal(app: Flask) -> None:
    # Per app (tests build many): (endpoint, method) -> declared keys, filled on first use.
    known: dict[tuple[str, str], frozenset[str] | None] = {}

    @app.before_request
    def refuse_undeclared_query_arguments() -> None:
        if not request.args or request.url_rule is None or request.url_rule.endpoint is None:
            return
        key = (request.url_rule.endpoint, request.method)
        if key not in known:
            known[key] = declared_query_keys(app, *key)
        declared = known[key]
        if declared is None:
            return
        undeclared = [name for name in request.args if name not in declared]
        if undeclared:
            abort(422, messages={"query": {name: [UNKNOWN_FIELD] for name in undeclared}})
