"""Cross-cutting HTTP behaviour: CORS, security headers, body size, rate limits, request ids,
JSON log lines and /metrics. On the app wired with fakes."""

from __future__ import annotations

import io
import json
import logging

import pytest

from adapters.inbound.http.logs import JsonFormatter
from adapters.inbound.http.metrics import register_gauge_callback
from adapters.correlation import bind_request_id, current_request_id, kafka_headers
from bootstrap import create_app
from tests.conftest import test_settings
from tests.fakes import FakesModule
from tests.http.helpers import signed_in

ALLOWED = "http://localhost:3000"
LOGIN = {"email": "nobody@example.com", "password": "a-long-password"}


def make_client(**settings):
    app = create_app(test_settings(**settings), extra_modules=[FakesModule()])
    app.config["TESTING"] = True
    return app.test_client()


# -- CORS -------------------------------------------------------------------------------------

def test_an_allowed_origin_gets_cors_headers(client):
    response = client.get("/health/live", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_another_origin_gets_no_cors_headers(client):
    response = client.get("/health/live", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control-")]


def test_a_preflight_from_an_allowed_origin_is_answered(client):
    response = client.options("/auth/login", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_a_preflight_from_another_origin_gets_no_permission(client):
    response = client.options("/auth/login", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "POST"})
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control-")]


def test_the_allowlist_comes_from_configuration():
    client = make_client(cors_allowed_origins=("https://app.example",))
    assert client.get("/health/live", headers={"Origin": "https://app.example"}).headers[
        "Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in client.get("/health/live", headers={"Origin": ALLOWED}).headers


# -- security headers -------------------------------------------------------------------------

def test_every_answer_carries_the_security_headers(client):
    for response in (client.get("/health/live"), client.get("/no/such/route"), client.post("/auth/login", json={})):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "Strict-Transport-Security" not in response.headers  # plain http, not production


def test_the_docs_page_may_run_its_own_scripts_and_nothing_from_elsewhere(client):
    csp = client.get("/docs").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp


def test_hsts_over_https_and_in_production(client):
    assert client.get("/health/live", base_url="https://api.example").headers[
        "Strict-Transport-Security"].startswith("max-age=31536000")
    production = make_client(environment="production")
    assert "Strict-Transport-Security" in production.get("/health/live").headers


def test_signed_in_and_token_answers_are_not_cached(client):
    headers = signed_in(client, "cache@example.com")
    assert client.get("/me", headers=headers).headers["Cache-Control"] == "no-store"
    assert client.post("/auth/login", json={**LOGIN, "email": "cache@example.com"}).headers[
        "Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/health/live").headers


def test_a_body_over_the_limit_is_a_json_413(client):
    response = client.post("/auth/register", data=b"{" + b" " * 1_100_000 + b"}", content_type="application/json")
    assert response.status_code == 413
    assert response.json["message"] == "the request body is too large"


# -- rate limits ------------------------------------------------------------------------------

def test_sign_in_is_limited_per_address_with_a_json_429_and_retry_after():
    client = make_client(rate_limit_auth="3/minute")
    statuses = [client.post("/auth/login", json=LOGIN).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    refused = client.post("/auth/login", json=LOGIN)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json["code"] == 429 and "3 per 1 minute" in refused.json["message"]
    # Reads and the other sign-in routes keep their own budget.
    assert client.get("/health/live").status_code == 200
    assert client.post("/auth/refresh", json={"refresh_token": "x" * 40}).status_code != 429


def test_writes_share_one_budget_per_signed_in_user_while_reads_are_free():
    client = make_client(rate_limit_writes="4/minute")
    ana = signed_in(client, "ana@example.com")  # register + login: 2 writes from the address
    assert [client.patch("/me", json={"display_name": f"Ana {n}"}, headers=ana).status_code
            for n in range(5)] == [200, 200, 200, 200, 429]
    assert client.get("/me", headers=ana).status_code == 200
    # Another user from the same address has a budget of their own.
    bea = signed_in(client, "bea@example.com")
    assert client.patch("/me", json={"display_name": "Bea"}, headers=bea).status_code == 200


def test_a_forged_token_is_counted_against_the_address_and_still_refused():
    client = make_client(rate_limit_writes="2/minute")
    forged = {"Authorization": "Bearer not-a-token"}
    assert [client.patch("/me", json={"display_name": "X"}, headers=forged).status_code
            for _ in range(3)] == [401, 401, 429]


def test_probes_and_metrics_are_never_limited():
    client = make_client(rate_limit_writes="1/minute", rate_limit_auth="1/minute")
    assert {client.get("/health/live").status_code for _ in range(5)} == {200}
    assert {client.get("/metrics").status_code for _ in range(5)} == {200}


# -- request id -------------------------------------------------------------------------------

def test_a_safe_request_id_from_the_caller_is_kept(client):
    response = client.get("/health/live", headers={"X-Request-ID": "gw-1234.abc:9_Z"})
    assert response.headers["X-Request-ID"] == "gw-1234.abc:9_Z"


@pytest.mark.parametrize("bad", ["", "x" * 65, "has space", "tab\tid", "ünicode", "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, bad):
    response = client.get("/health/live", headers={"X-Request-ID": bad} if bad else {})
    generated = response.headers["X-Request-ID"]
    assert generated != bad and len(generated) == 32 and generated.isalnum()


def test_each_request_gets_its_own_id_even_when_refused(client):
    first = client.get("/health/live").headers["X-Request-ID"]
    second = client.get("/no/such/route")
    assert second.status_code == 404 and second.headers["X-Request-ID"] != first


def test_the_request_id_is_readable_outside_flask_for_kafka_headers():
    assert current_request_id() is None and kafka_headers() == []
    with bind_request_id(b"from-kafka-42") as request_id:
        assert request_id == "from-kafka-42" == current_request_id()
        assert kafka_headers() == [("x-request-id", b"from-kafka-42")]
    assert current_request_id() is None
    with bind_request_id("bad id!") as request_id:
        assert request_id != "bad id!" and current_request_id() == request_id


# -- logs -------------------------------------------------------------------------------------

def test_each_request_writes_one_json_access_line_with_its_id_and_user(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("marketplace.access").addHandler(handler)
    try:
        headers = signed_in(client, "logged@example.com")
        me = client.get("/me", headers={**headers, "X-Request-ID": "trace-me"})
        client.get("/health/live")
    finally:
        logging.getLogger("marketplace.access").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(item for item in lines if item["request_id"] == "trace-me")
    assert line["method"] == "GET" and line["path"] == "/me" and line["status"] == 200
    assert line["user_id"] == me.json["id"] and line["logger"] == "marketplace.access"
    assert line["level"] == "INFO" and isinstance(line["duration_ms"], float) and "time" in line
    assert "user_id" not in lines[-1]
    assert "access_token" not in stream.getvalue() and "Bearer" not in stream.getvalue()


def test_log_lines_outside_a_request_carry_the_bound_id_and_the_exception():
    record = logging.LogRecord("worker", logging.ERROR, __file__, 1, "failed %s", ("job",), None)
    with bind_request_id("job-7"):
        try:
            raise ValueError("boom")
        except ValueError:
            import sys
            record.exc_info = sys.exc_info()
        line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed job" and line["request_id"] == "job-7"
    assert "ValueError: boom" in line["exception"]


def test_an_unexpected_error_is_logged_with_its_id_but_never_answered_with_a_trace(app):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        response = app.test_client().get("/boom-for-test", headers={"X-Request-ID": "oops-1"})
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.status_code == 500 and "secret" not in response.get_data(as_text=True)
    errors = [json.loads(line) for line in stream.getvalue().splitlines() if '"ERROR"' in line]
    assert errors and errors[0]["request_id"] == "oops-1" and "secret internals" in errors[0]["exception"]


# -- metrics ----------------------------------------------------------------------------------

def _sample(text: str, prefix: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix))


def test_metrics_count_requests_by_route_template_and_time_them(client):
    headers = signed_in(client, "metrics@example.com")
    before = client.get("/metrics").get_data(as_text=True)
    for _ in range(3):
        client.get("/me", headers=headers)
    client.get("/no/such/thing")
    response = client.get("/metrics")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    series = 'http_requests_total{method="GET",route="/me",status="200"}'
    assert _sample(text, series) - _sample(before, series) == 3
    assert _sample(text, 'http_requests_total{method="GET",route="<unmatched>",status="404"}') >= 1
    assert _sample(text, 'http_request_duration_seconds_count{method="GET",route="/me"}') >= 3
    assert 'route="/metrics"' not in text


def test_metrics_are_not_in_the_openapi_document(client):
    assert "/metrics" not in client.get("/openapi.json").json["paths"]


def test_other_contexts_add_gauges_read_at_scrape_time(client):
    backlog = {"value": 4}
    register_gauge_callback("test_outbox_backlog", "Events not yet published", lambda: backlog["value"])
    register_gauge_callback("test_consumer_lag", "Messages behind", lambda: {("support", "workers"): 7},
                            labels=("topic", "group"))
    register_gauge_callback("test_broken_gauge", "Its source is down", lambda: 1 / 0)
    text = client.get("/metrics").get_data(as_text=True)
    assert "test_outbox_backlog 4.0" in text
    assert 'test_consumer_lag{group="workers",topic="support"} 7.0' in text
    assert "test_broken_gauge" not in text
    backlog["value"] = 0
    assert "test_outbox_backlog 0.0" in client.get("/metrics").get_data(as_text=True)


def test_an_unreachable_counter_store_lets_requests_through():
    client = make_client(rate_limit_storage_uri="mongodb://127.0.0.1:1/?directConnection=true")
    assert client.post("/auth/login", json=LOGIN).status_code == 401


def test_behind_a_trusted_proxy_the_forwarded_address_and_scheme_count():
    client = make_client(trusted_proxy_hops=1, rate_limit_auth="1/minute")
    first = {"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Proto": "https"}
    assert client.post("/auth/login", json=LOGIN, headers=first).status_code == 401
    assert client.post("/auth/login", json=LOGIN, headers=first).status_code == 429
    other = client.post("/auth/login", json=LOGIN, headers={"X-Forwarded-For": "203.0.113.2"})
    assert other.status_code == 401
    assert "Strict-Transport-Security" in client.get("/health/live", headers=first).headers


def test_without_a_trusted_proxy_forwarded_headers_are_ignored():
    client = make_client(rate_limit_auth="1/minute")
    client.post("/auth/login", json=LOGIN, headers={"X-Forwarded-For": "203.0.113.1"})
    assert client.post("/auth/login", json=LOGIN, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 429


def test_refresh_is_an_ordinary_write_not_a_sign_in_attempt():
    """The web front end refreshes on every page load; a 256-bit refresh token cannot be guessed."""
    client = make_client(rate_limit_auth="3/minute")
    statuses = {client.post("/auth/refresh", json={"refresh_token": "x" * 40}).status_code for _ in range(6)}
    assert 429 not in statuses
