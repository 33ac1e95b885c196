"""The request id over HTTP: accepted from the caller (a gateway such as Apigee forwards its own)
or made here, echoed in the response, and set in ``adapters.correlation`` for the duration of the
request, so log lines and produced Kafka messages carry it. The helpers are re-exported here for
HTTP code; code outside Flask imports them from ``adapters.correlation``."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from adapters.correlation import (
    KAFKA_REQUEST_ID_HEADER,
    accepted_request_id,
    bind_request_id,
    current_request_id,
    kafka_headers,
    reset_request_id,
    set_request_id,
)

__all__ = ["REQUEST_ID_HEADER", "KAFKA_REQUEST_ID_HEADER", "bind_request_id", "current_request_id",
           "install_request_context", "kafka_headers"]

REQUEST_ID_HEADER = "X-Request-ID"


def install_request_context(app: Flask) -> None:
    """Registered before every other hook, so even a request refused early has an id."""

    @app.before_request
    def start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        g.request_id_token = set_request_id(g.request_id)

    @app.after_request
    def echo(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def finish(_error: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            reset_request_id(token)
