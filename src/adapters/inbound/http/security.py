"""Route protection: one decorator for every context. Roles are checked here; ownership is a
business rule checked by the use case on the Actor this puts in ``g.actor``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_smorest.utils import deepupdate

from adapters.inbound.http.wiring import use_case
from application.accounts.use_cases import Authenticate
from domain.accounts.errors import InvalidToken
from domain.shared.access import Actor, Role

F = TypeVar("F", bound=Callable[..., Any])

BEARER_SECURITY = [{"bearerAuth": []}]
# Ends the description of a route restricted to roles; the error documentation reads it to add 403.
ROLES_NOTE = "Roles: "


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_actor() -> Actor:
    actor = getattr(g, "actor", None)
    if actor is not None:
        return actor
    token = _bearer_token()
    if token is None:
        raise InvalidToken("sign in first: send 'Authorization: Bearer <access token>'")
    g.actor = use_case(Authenticate).execute(token)
    return g.actor


def optional_actor() -> Actor | None:
    return current_actor() if _bearer_token() else None


def requires_auth(*roles: Role) -> Callable[[F], F]:
    """Require a valid access token, and one of ``roles`` when given."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if roles:
                actor.ensure_role(*roles)
            return view(*args, **kwargs)

        doc: dict[str, Any] = {"security": BEARER_SECURITY}
        if roles:
            doc["description"] = (view.__doc__ or "").strip() + "\n\n" + ROLES_NOTE + ", ".join(r.value for r in roles)
        wrapper._apidoc = deepupdate(getattr(wrapper, "_apidoc", {}), {"manual_doc": doc})  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
