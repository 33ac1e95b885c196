"""The errors every operation can answer, documented in one place from the rules that produce them,
so the OpenAPI document lists each status a client must handle (and the fuzz test holds the API to
it). Rules, from ``errors.py``'s mapping and the architecture:

- a signed-in route answers 401 to a missing or bad token (``requires_auth``) and 403 to a role or
  an ownership it refuses;
- a route with an id in its path answers 404 when there is no such thing, or the caller may not
  learn of it;
- a write answers 409 when it conflicts with the current state or loses a race (``ConcurrentChange``);
- every route answers 422 naming the field: a bad value of an input it takes, or a query argument it
  does not declare (``arguments.install_undeclared_query_refusal``), which any route can be sent.

400 (not JSON), 413 (too large) and 429 (rate limit) can come from any request and stay under the
shared ``default`` error. A status particular to one route (402, 503) is documented on the route.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin

from adapters.inbound.http.security import ROLES_NOTE

WRITES = {"post", "put", "patch", "delete"}


def expected_errors(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    statuses = []
    secured = bool(operation.get("security"))
    if secured:
        statuses.append(401)
    if secured and ("{" in path or ROLES_NOTE in operation.get("description", "")):
        statuses.append(403)
    if "{" in path:
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    statuses.append(422)
    return statuses


class ErrorResponsesPlugin(BasePlugin):
    """Adds the rules' error responses (references to flask-smorest's per-status error responses)
    to every operation that does not document that status itself."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            if method not in WRITES | {"get"} or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            documented = {str(code) for code in responses}
            for status in expected_errors(method, path or "", operation):
                if str(status) not in documented:
                    responses[status] = HTTPStatus(status).name
