"""Hostile JSON bodies for every operation of the API's OpenAPI document (issue #20, item 7): each
string field of a JSON body in turn holding a lone surrogate, and bodies nested 5,000 levels deep,
at the top and under a field. Shared by the fast run on fakes (tests/http/test_hostile_bodies.py)
and `make verify`'s run on the real stack (tests/verify/test_hostile_bodies.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DEPTH = 5_000
LONE_SURROGATE = "caf\ud800e"
_METHODS = frozenset({"post", "put", "patch", "delete"})
_PATH_PARAMETER = re.compile(r"{([^}]+)}")


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    label: str             # what was sent, for the report
    data: str              # the raw JSON text (json.dumps escapes the surrogate as \ud800)
    expected_status: int
    expected_name: str     # the field or "body" the message must start with


@dataclass
class Outcome:
    tried: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"hostile bodies: {self.tried} requests, {len(self.failures)} not refused with the field named"


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _string_fields(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = _resolve(spec, schema).get("properties", {})
    names = []
    for name, prop in properties.items():
        prop = _resolve(spec, prop)
        if prop.get("type") == "string" and not prop.get("readOnly"):
            names.append(name)
    return names


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def cases(spec: dict[str, Any], known_ids: dict[str, list[str]] | None = None) -> Iterator[Case]:
    known_ids = known_ids or {}
    for template, operations in spec["paths"].items():
        path = _PATH_PARAMETER.sub(lambda m: (known_ids.get(m.group(1)) or ["unknown-id"])[0], template)
        for method, operation in operations.items():
            if method not in _METHODS:
                continue  # "parameters" shared by the path's operations
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"].get("schema", {})
            method = method.upper()
            names = _string_fields(spec, schema)
            for name in names:
                yield Case(method, path, f"{name}=lone surrogate", json.dumps({name: LONE_SURROGATE}), 422, name)
            # Inside a list too: the message names the element.
            yield Case(method, path, "list element", json.dumps({"tags": ["ok", LONE_SURROGATE]}), 422, "tags.1")
            yield Case(method, path, "key", json.dumps({LONE_SURROGATE: "x"}), 422, "caf\\ud800e")
            yield Case(method, path, f"{DEPTH} levels", _nested(DEPTH), 400, "body")
            under = names[0] if names else "value"
            yield Case(method, path, f"{DEPTH} levels under {under}", f'{{"{under}": {_nested(DEPTH)}}}', 400, "body")


def run(client, spec: dict[str, Any], headers: dict[str, str],
        known_ids: dict[str, list[str]] | None = None) -> Outcome:
    outcome = Outcome()
    for case in cases(spec, known_ids):
        outcome.tried += 1
        response = client.open(case.path, method=case.method, data=case.data, headers=headers,
                               content_type="application/json")
        body = response.get_json(silent=True) or {}
        message = str(body.get("message", ""))
        if response.status_code != case.expected_status or not message.startswith(f"{case.expected_name}: "):
            outcome.failures.append(f"{case.method} {case.path} [{case.label}]: {response.status_code} {message[:120]!r}")
    return outcome
