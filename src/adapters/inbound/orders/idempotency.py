"""``Idempotency-Key`` on every mutating order and payment endpoint: the first answer to a
(user, route, key) is stored and replayed to retries, so a retried request never charges,
captures or refunds twice. Failures on our side (5xx) are not stored: a retry runs again, and
the gateway key derived from the same Idempotency-Key keeps the gateway from acting twice."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, make_response, request
from flask_smorest.utils import deepupdate

from adapters.inbound.http.errors import handle_domain_error
from adapters.inbound.http.security import current_actor
from application.orders.ports import IdempotencyStore, StoredResponse
from application.shared.ports import Clock
from domain.shared.errors import DomainError, InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100

HEADER_DOC = {"in": "header", "name": HEADER, "required": True,
              "description": "A unique value per intended action (a UUID); send the same one when retrying.",
              "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}}


def idempotency_key() -> str:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise InvalidInput(f"send an {HEADER} header (a unique value, reused when retrying)", field=HEADER)
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"{HEADER} must be at most {MAX_KEY_LENGTH} printable characters", field=HEADER)
    return key


def idempotent(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = idempotency_key()
        actor = current_actor()
        injector = current_app.extensions["injector"]
        store: IdempotencyStore = injector.get(IdempotencyStore)
        clock: Clock = injector.get(Clock)
        scope = hashlib.sha256(f"{actor.user_id}\n{request.method} {request.path}\n{key}".encode()).hexdigest()
        fingerprint = hashlib.sha256(request.get_data()).hexdigest()
        stored = store.begin(scope=scope, fingerprint=fingerprint, now=clock.now())
        if stored is not None:
            replay = Response(stored.body, status=stored.status, mimetype="application/json")
            replay.headers["Idempotent-Replayed"] = "true"
            if stored.location:
                replay.headers["Location"] = stored.location
            return replay
        try:
            try:
                response = make_response(view(*args, **kwargs))
            except DomainError as error:
                response = handle_domain_error(error)
        except BaseException:
            store.abandon(scope=scope)
            raise
        if response.status_code >= 500:
            store.abandon(scope=scope)
        else:
            store.finish(scope=scope, response=StoredResponse(status=response.status_code,
                                                              body=response.get_data(as_text=True),
                                                              location=response.headers.get("Location")),
                         now=clock.now())
        return response

    wrapper._apidoc = deepupdate(getattr(wrapper, "_apidoc", {}),  # type: ignore[attr-defined]
                                 {"manual_doc": {"parameters": [HEADER_DOC]}})
    return wrapper  # type: ignore[return-value]
