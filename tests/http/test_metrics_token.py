"""/metrics is for the scraper: behind METRICS_TOKEN (a bearer token), and not served at all in
production without one. It used to answer anyone who asked."""

from __future__ import annotations

import pytest

from bootstrap import create_app
from config import ConfigError, load_settings
from tests.conftest import test_settings
from tests.fakes import FakesModule

TOKEN = "scrape-" + "s3cr3t" * 6


def client_with(**overrides):
    app = create_app(test_settings(**overrides), extra_modules=[FakesModule()])
    app.config["TESTING"] = True
    return app.test_client()


def test_with_a_token_only_a_scrape_that_brings_it_is_answered():
    client = client_with(metrics_token=TOKEN)

    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    right = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert anonymous.status_code == wrong.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert "http_requests_total" not in anonymous.get_data(as_text=True)
    assert right.status_code == 200 and "http_requests_total" in right.get_data(as_text=True)


def test_production_without_a_token_does_not_serve_metrics():
    client = client_with(environment="production")
    answer = client.get("/metrics")
    assert answer.status_code == 404 and "http_requests_total" not in answer.get_data(as_text=True)


def test_the_token_is_read_and_a_short_one_stops_start_up():
    assert load_settings({"METRICS_TOKEN": TOKEN}).metrics_token == TOKEN
    assert load_settings({}).metrics_token == ""
    with pytest.raises(ConfigError, match="METRICS_TOKEN"):
        load_settings({"METRICS_TOKEN": "short"})
