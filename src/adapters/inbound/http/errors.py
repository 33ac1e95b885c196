"""The one place that turns errors into HTTP answers: ``{code, status, message, errors, reason}``,
the shape of flask-smorest's own 422s. No request gets a stack trace; bad input is never a 500."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DependencyUnavailable,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
    PaymentRequired,
    TooLarge,
    TooManyAttempts,
    UnsupportedMedia,
)

log = logging.getLogger(__name__)

# Most specific first: InvalidTransition is a Conflict, and so on.
STATUS_BY_ERROR_KIND: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 422),
    (TooLarge, 413),
    (UnsupportedMedia, 415),
    (NotFound, 404),
    (AuthenticationFailed, 401),
    (NotAllowed, 403),
    (Conflict, 409),
    (TooManyAttempts, 429),
    (PaymentRequired, 402),
    (DependencyUnavailable, 503),
]


def error_body(status: int, message: str, *, errors: dict[str, Any] | None = None,
               reason: str | None = None, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": status, "status": HTTPStatus(status).phrase, "message": message}
    if errors:
        body["errors"] = errors
    if reason:
        body["reason"] = reason
    # Extra keys only: a detail never overwrites the shape every error shares.
    body.update({key: value for key, value in (details or {}).items() if key not in body})
    return body


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_location() -> str:
    # The mimetype, not request.files: reading the files here could parse an oversized body.
    if request.mimetype == "multipart/form-data":
        return "files"
    return "json" if request.is_json else "query"


def handle_domain_error(error: DomainError) -> Response:
    status = next((code for kind, code in STATUS_BY_ERROR_KIND if isinstance(error, kind)), 400)
    errors = {_field_location(): {error.field: [error.message]}} if error.field else None
    message = f"{error.field}: {error.message}" if error.field else error.message
    headers = {}
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after_seconds)
    if isinstance(error, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return _json(status, error_body(status, message, errors=errors, reason=error.code, details=error.details), headers)


def _describe_validation(messages: Any, prefix: str = "") -> list[str]:
    """Flatten webargs' nested messages into 'field: message' lines naming every field."""
    if isinstance(messages, dict):
        lines: list[str] = []
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            lines.extend(_describe_validation(value, name))
        return lines
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{prefix}: {' '.join(messages)}" if prefix else " ".join(messages)]
    if isinstance(messages, list):
        return [line for item in messages for line in _describe_validation(item, prefix)]
    return [f"{prefix}: {messages}"]


def _strip_location(line: str) -> str:
    for location in ("json.", "query.", "headers.", "path.", "form.", "files.", "cookies."):
        if line.startswith(location):
            return line[len(location):]
    return line


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    headers = dict(data.get("headers") or {})
    if messages:
        lines = [_strip_location(line) for line in _describe_validation(messages)]
        message = "; ".join(lines) if status == 422 else " ".join(lines).replace("json: ", "")
        if status == 400 and "Invalid JSON body" in message:
            message = "the request body is not valid JSON"
        return _json(status, error_body(status, message, errors=messages), headers)
    message = data.get("message") or error.description or HTTPStatus(status).phrase
    if status == 413:
        message = "the request body is too large"
    if status == 429:
        message = f"too many requests (limit {error.description}); retry after Retry-After seconds"
    if status == 405:
        headers.update({"Allow": ", ".join(error.valid_methods or [])} if getattr(error, "valid_methods", None) else {})
    return _json(status, error_body(status, message), headers)


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _json(500, error_body(500, "something went wrong on our side; it has been logged"))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
