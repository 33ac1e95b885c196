"""The request id: accepted from the caller (a gateway such as Apigee forwards its own) or made
here, echoed in the response, put on every log line, and readable anywhere in the process through
``current_request_id()``, so a Kafka publisher can pass it on in its message headers and a
consumer can ``bind_request_id()`` the one it received."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Kafka header carrying the same id, for publishers and consumers.
KAFKA_REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or message) being handled by this thread or task, if any."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The caller's id when it is short and safe to log; a fresh one otherwise."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return new_request_id()


def kafka_headers() -> list[tuple[str, bytes]]:
    """Headers to add to a produced message so its consumer logs under the same request id."""
    request_id = current_request_id()
    return [(KAFKA_REQUEST_ID_HEADER, request_id.encode())] if request_id else []


@contextmanager
def bind_request_id(value: str | bytes | None) -> Iterator[str]:
    """Outside Flask (a Kafka consumer, a scheduled job): log under the given id, or a new one."""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    token = _request_id.set(accepted_request_id(value))
    try:
        yield _request_id.get() or ""
    finally:
        _request_id.reset(token)


def install_request_context(app: Flask) -> None:
    """Registered before every other hook, so even a request refused early has an id."""

    @app.before_request
    def start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        g.request_id_token = _request_id.set(g.request_id)

    @app.after_request
    def echo(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def finish(_error: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            _request_id.reset(token)
