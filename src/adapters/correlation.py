"""The id that follows one request through the system: the HTTP request, the log lines, the
Kafka messages it causes and their consumers. A contextvar, so it works in Flask, in a worker
thread and in a consumer loop alike; Flask-free, so inbound and outbound adapters can both use it
(the HTTP side sets it in ``adapters.inbound.http.request_context``, a Kafka publisher reads it
with ``kafka_headers()``, a consumer sets it with ``bind_request_id()``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

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


def set_request_id(value: str) -> Token[str | None]:
    return _request_id.set(value)


def reset_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)


def kafka_headers() -> list[tuple[str, bytes]]:
    """Headers to add to a produced message so its consumer logs under the same request id."""
    request_id = current_request_id()
    return [(KAFKA_REQUEST_ID_HEADER, request_id.encode())] if request_id else []


def outbox_headers() -> dict[str, str]:
    """Headers to store with an outbox row written now: the relay publishes later, in another
    process and outside any request, so the id must travel with the row."""
    request_id = current_request_id()
    return {KAFKA_REQUEST_ID_HEADER: request_id} if request_id else {}


def header_value(headers: list[tuple[str, bytes | str | None]] | None, name: str) -> bytes | str | None:
    """The first value of a header in a consumed message's header list (None when absent)."""
    return next((value for key, value in headers or [] if key == name), None)


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
