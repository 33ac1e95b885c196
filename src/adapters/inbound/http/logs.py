"""Structured logs: one JSON object per line on stderr, for the API and the CLI workers alike,
configured once when the app is built. Every line carries the request id when there is one; the
API adds one access line per request (method, path, status, duration, user)."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

from adapters.correlation import current_request_id

ACCESS_LOGGER = "marketplace.access"
# Attributes every LogRecord has; anything else passed in ``extra=`` becomes a JSON field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = value
        if record.exc_info:
            # Logs are for operators; responses never carry this.
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class _OurHandler(logging.StreamHandler):
    """Marks the handler this module installed, so building a second app does not add another."""


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not isinstance(h, _OurHandler)]
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # werkzeug's dev-server access lines would duplicate ours.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def install_access_log(app: Flask) -> None:
    log = logging.getLogger(ACCESS_LOGGER)

    @app.after_request
    def access_line(response: Response) -> Response:
        started = g.get("request_started")
        fields: dict[str, Any] = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        }
        actor = g.get("actor")
        if actor is not None:
            fields["user_id"] = actor.user_id
        log.info("%s %s %s", request.method, request.path, response.status_code, extra=fields)
        return response
