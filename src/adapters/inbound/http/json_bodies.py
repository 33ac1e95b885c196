"""Hostile JSON bodies refused once for every route, before any view or schema reads them.

Two kinds of body once reached a 500 whatever the route: text holding a lone surrogate (the JSON
escape "\\ud800" is valid JSON and a valid Python str, but no UTF-8 can carry it, so MongoDB's
encoder, the JSON logs or orjson failed on it far from the field), and deep nesting (Python's JSON
parser recurses, and 5,000 levels raised RecursionError). Checking here, where the body is parsed,
covers every route present and future, with the message naming the field (422) or the body (400).
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Response, jsonify, request

from adapters.inbound.http.errors import error_body

# No body of this API nests beyond a few levels; a limit far below Python's recursion limit also
# keeps marshmallow, the BSON encoder and the logs away from it.
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_UNICODE = "is not valid Unicode text (it holds a lone surrogate such as \\ud800)"


class _Refused(Exception):
    def __init__(self, status: int, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.status, self.field, self.why = status, field, why


def check_json_value(value: Any) -> None:
    """Raises _Refused for the first string holding a lone surrogate (keys included) or for
    nesting deeper than MAX_JSON_DEPTH. Iterative, so the check itself cannot recurse too deep."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            raise _Refused(400, "body", f"nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise _Refused(422, _name(path), NOT_UNICODE)
        elif isinstance(item, dict):
            for key, child in item.items():
                if _SURROGATE.search(key):
                    raise _Refused(422, _name(path + (key,)), "is a key that " + NOT_UNICODE)
                stack.append((child, path + (key,)))
        elif isinstance(item, list):
            stack.extend((child, path + (str(index),)) for index, child in enumerate(item))


def _name(path: tuple[str, ...]) -> str:
    # A key may itself be the bad text: printed escaped, never as the surrogate.
    return ".".join(part.encode("utf-8", "backslashreplace").decode("utf-8") for part in path) or "body"


def install_json_body_checks(app: Flask) -> None:
    """Install after the rate limits, so a refused body still counts against its caller."""

    @app.before_request
    def refuse_hostile_json() -> Response | None:
        if request.method not in _BODY_METHODS or not request.is_json:
            return None
        raw = request.get_data(cache=True)
        if not raw:
            return None
        try:
            body = json.loads(raw)
        except RecursionError:
            return _refusal(_Refused(400, "body", f"nested deeper than {MAX_JSON_DEPTH} levels"))
        except ValueError:
            return None  # not JSON at all: webargs' own 400 says so, as on every route
        try:
            check_json_value(body)
        except _Refused as refused:
            return _refusal(refused)
        return None


def _refusal(refused: _Refused) -> Response:
    response = jsonify(error_body(refused.status, f"{refused.field}: {refused.why}",
                                  errors={"json": {refused.field: [refused.why]}}, reason="invalid_json_body"))
    response.status_code = refused.status
    return response
