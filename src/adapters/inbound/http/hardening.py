"""What every response gets regardless of the route: CORS for the configured origins only,
security headers, and rate limits on sign-in and on writes whose counters live in a storage all
workers and replicas share (MongoDB), so the limit holds for the whole deployment."""

from __future__ import annotations

import atexit
import hashlib
import hmac
import ipaddress
import logging
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MongoDBStorageBase
from werkzeug.datastructures import Headers
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.inbound.http.rate_limit_storage import exact_storage_uri
from adapters.inbound.http.request_context import REQUEST_ID_HEADER
from adapters.inbound.http.security import optional_actor
from config import Settings
from domain.shared.errors import DomainError

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where guessing pays: passwords and sign-ups. A refresh token is 256 random bits, and every page
# load of the web front end refreshes, so /auth/refresh counts as an ordinary write instead.
AUTH_PATHS = frozenset({"/auth/login", "/auth/register", "/auth/password-reset", "/auth/password-reset/confirm",
                        "/auth/verify-email"})
# Probes and scrapes come from the platform, often and on purpose.
UNLIMITED_PREFIXES = ("/health/", "/metrics")
CORS_ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, " + REQUEST_ID_HEADER
# Lists put their page counts in X-Pagination; the web front end must be able to read them.
CORS_EXPOSED_HEADERS = f"{REQUEST_ID_HEADER}, Retry-After, Location, X-Pagination"
CORS_MAX_AGE_SECONDS = "600"

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# Swagger UI (served from this app, no CDN) boots from an inline script and inline styles.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
HSTS = "max-age=31536000; includeSubDomains"


# The web front end's server relays sign-ins and sign-ups: it names the person's address in
# CLIENT_ADDRESS_HEADER and signs it in CLIENT_ADDRESS_SIGNATURE_HEADER ("t=<unix seconds>,v1=<hex
# HMAC-SHA256 of "<t>.<address>" under WEB_PROXY_SECRET>"). Without it every web user shares the web
# server's address, and ten sign-ups a minute through the web locked everyone out.
CLIENT_ADDRESS_HEADER = "X-Client-Address"
CLIENT_ADDRESS_SIGNATURE_HEADER = "X-Client-Address-Signature"
# A captured header is worth little (it only spends that address's budget), and only this long.
CLIENT_ADDRESS_MAX_AGE_SECONDS = 300


def sign_client_address(secret: str, address: str, at: int) -> str:
    """What the web server sends (web/src/lib/client-address.ts does the same in TypeScript)."""
    digest = hmac.new(secret.encode(), f"{at}.{address}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


class WebClientAddress:
    """WSGI middleware: a signed address relayed by the web server becomes REMOTE_ADDR, so every
    per-address limit (flask-limiter's and the sign-in throttle's) counts the person, not the web
    server. Unsigned, badly signed, stale or malformed: ignored, and the headers are dropped so
    nothing later reads them unverified."""

    def __init__(self, app: Callable[..., Iterable[bytes]], secret: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.app, self.secret, self.clock = app, secret.encode(), clock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        address = environ.pop("HTTP_X_CLIENT_ADDRESS", None)
        signature = environ.pop("HTTP_X_CLIENT_ADDRESS_SIGNATURE", None)
        if address and signature and self.secret and self._genuine(address, signature):
            environ["REMOTE_ADDR"] = address
        return self.app(environ, start_response)

    def _genuine(self, address: str, signature: str) -> bool:
        try:
            parts = dict(part.split("=", 1) for part in signature.split(","))
            at = int(parts["t"])
            ipaddress.ip_address(address)
        except (KeyError, ValueError):
            return False
        if abs(self.clock() - at) > CLIENT_ADDRESS_MAX_AGE_SECONDS:
            return False
        expected = hmac.new(self.secret, f"{at}.{address}".encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))


def install_hardening(app: Flask, settings: Settings) -> Limiter:
    # Inside ProxyFix: the gateway's hops name the web server, whose signed header then names the person.
    app.wsgi_app = WebClientAddress(app.wsgi_app, settings.web_proxy_secret)  # type: ignore[method-assign]
    if settings.trusted_proxy_hops:
        # Behind a gateway the caller's address and scheme are in X-Forwarded-*; trust only as
        # many hops as there are proxies, or anyone could pick their own address for the limiter.
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _install_cors(app, settings.cors_allowed_origins)
    _install_security_headers(app, settings)
    return _install_rate_limits(app, settings)


def _install_cors(app: Flask, allowed_origins: tuple[str, ...]) -> None:
    allowed = frozenset(allowed_origins)

    @app.before_request
    def preflight() -> Response | None:
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        response = app.make_response(("", 204))
        if request.headers.get("Origin") in allowed:
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
            response.headers["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE_SECONDS
        return response

    @app.after_request
    def cors_headers(response: Response) -> Response:
        origin = request.headers.get("Origin")
        response.vary.add("Origin")
        if origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
        return response


def _install_security_headers(app: Flask, settings: Settings) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Content-Security-Policy", DOCS_CSP if request.path.startswith("/docs") else API_CSP)
        if request.is_secure or settings.is_production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        # flask-limiter sends Retry-After on every answer; it means something only on a 429.
        if response.status_code != 429:
            headers.pop("Retry-After", None)
        else:
            _at_least_one_second(headers)
        # Answers for a signed-in caller, and the token answers of /auth, must not sit in a cache.
        if "Authorization" in request.headers or request.path.startswith("/auth/"):
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response


def _at_least_one_second(headers: Headers) -> None:
    # flask-limiter truncates the time left to whole seconds: in a window's last second it would
    # say 0 ("retry now", and be refused again). A client waits at least a second.
    try:
        seconds = int(headers.get("Retry-After", ""))
    except ValueError:
        return
    if seconds < 1:
        headers["Retry-After"] = "1"


def rate_limit_key() -> str:
    """Per user when the bearer token is valid, per address otherwise (and for bad tokens, so a
    forged token cannot buy a fresh budget)."""
    try:
        actor = optional_actor()
    except DomainError:
        actor = None
    if actor is not None:
        return f"user:{actor.user_id}"
    return f"addr:{get_remote_address()}"


def _exempt_from_write_limit() -> bool:
    return request.method in SAFE_METHODS or request.path.startswith(UNLIMITED_PREFIXES)


def _exempt_from_auth_limit() -> bool:
    return request.method == "OPTIONS" or request.path not in AUTH_PATHS


def _install_rate_limits(app: Flask, settings: Settings) -> Limiter:
    limiter = Limiter(
        rate_limit_key,
        app=app,
        storage_uri=exact_storage_uri(settings.rate_limit_storage),
        # A request waits at most this long for an unreachable counter store before being served.
        storage_options={"serverSelectionTimeoutMS": 2_000},
        strategy="fixed-window",
        key_prefix="marketplace",
        headers_enabled=True,
        # One budget per caller for every write, whichever route.
        application_limits=[settings.rate_limit_writes],
        application_limits_exempt_when=_exempt_from_write_limit,
        # Each sign-in route has its own budget (the routes without limits of their own).
        default_limits=[settings.rate_limit_auth],
        default_limits_exempt_when=_exempt_from_auth_limit,
        # If the shared storage is down, serve rather than refuse everyone; it is logged.
        swallow_errors=True,
    )
    # limits' MongoDB storage makes its client on first use, and also from __del__: a process that
    # never hit a limit (a CLI worker) would make one during interpreter shutdown and hang there.
    # Making it now avoids that, and an unreachable store is reported at start-up.
    if not limiter.storage.check():
        log.warning("the rate-limit store cannot be reached; requests are served without limits until it is back")
    # limits also closes that client from __del__, which may run only at interpreter shutdown, after
    # pymongo's own exit hook stopped its monitor threads: closing ends the client's sessions, which
    # selects a server, and with the server gone (a bench or a test that stopped it) that restarts a
    # monitor thread, which cannot start any more then: the process waited for it forever. Closed
    # here first (exit hooks run last-registered first, so before pymongo's), with the monitors
    # still running, a gone server costs at most the selection timeout; __del__ then has nothing left.
    store = weakref.ref(limiter.storage)
    atexit.register(lambda: _close_store(store()))
    app.extensions["rate_limiter"] = limiter
    return limiter


def close_rate_limit_store(app: Flask) -> None:
    """Close the rate limits' MongoDB client now: for a process that builds an app and drops it
    (the bench, a script) while the server is still up, so nothing is left for the exit."""
    _close_store(app.extensions["rate_limiter"].storage)


def _close_store(storage: object) -> None:
    # The client limits made (`_storage`; its public `storage` would make one just to close it).
    client = getattr(storage, "_storage", None) if isinstance(storage, MongoDBStorageBase) else None
    if client is not None:
        client.close()
