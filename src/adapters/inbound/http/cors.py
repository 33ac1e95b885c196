"""CORS for the web front end: only the configured origins (CORS_ALLOWED_ORIGINS) may call the API from a
browser. Tokens travel in the Authorization header, never in cookies, so credentials are not allowed."""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key"
ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE"
# The search and list endpoints put their page counts in X-Pagination; a page must be able to read it.
EXPOSED_HEADERS = "X-Pagination, Retry-After"


def register_cors(app: Flask, allowed_origins: tuple[str, ...]) -> None:
    allowed = frozenset(allowed_origins)

    @app.before_request
    def preflight() -> Response | None:
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            return Response(status=204)
        return None

    @app.after_request
    def allow_origin(response: Response) -> Response:
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        return response
