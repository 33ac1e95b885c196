from __future__ import annotations

import pytest

from config import ConfigError, load_settings

PRODUCTION = {"APP_ENV": "production", "JWT_SECRET": "p" * 40, "SQUARE_APPLICATION_ID": "sq0idp-app",
              "SQUARE_APPLICATION_SECRET": "sq0csp-secret", "SQUARE_WEBHOOK_SIGNATURE_KEY": "live-key",
              "SQUARE_TOKEN_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=",
              "SQUARE_WEBHOOK_NOTIFICATION_URL": "https://api.example.com/webhooks/square"}


def test_development_defaults_point_at_the_local_stand_in():
    settings = load_settings({"PUBLIC_BASE_URL": "http://127.0.0.1:9000"})
    assert settings.square_environment == "local"
    assert settings.square_base_url == "http://127.0.0.1:8089"
    assert settings.square_webhook_notification_url == "http://127.0.0.1:9000/webhooks/square"
    assert settings.square_oauth_redirect_url == "http://127.0.0.1:9000/square/oauth/callback"


def test_production_uses_square_itself_with_its_own_secrets():
    settings = load_settings(PRODUCTION)
    assert settings.square_environment == "production" and settings.square_base_url == ""


@pytest.mark.parametrize("name", ["SQUARE_APPLICATION_ID", "SQUARE_APPLICATION_SECRET",
                                  "SQUARE_WEBHOOK_SIGNATURE_KEY", "SQUARE_TOKEN_ENCRYPTION_KEY"])
def test_production_refuses_the_development_values(name):
    with pytest.raises(ConfigError, match=name):
        load_settings({k: v for k, v in PRODUCTION.items() if k != name})


def test_production_refuses_the_stand_in_and_a_plain_http_webhook_url():
    with pytest.raises(ConfigError, match="SQUARE_ENVIRONMENT"):
        load_settings({**PRODUCTION, "SQUARE_ENVIRONMENT": "local"})
    with pytest.raises(ConfigError, match="SQUARE_WEBHOOK_NOTIFICATION_URL"):
        load_settings({**PRODUCTION, "SQUARE_WEBHOOK_NOTIFICATION_URL": "http://api.example.com/webhooks/square"})


@pytest.mark.parametrize(("name", "value"), [
    ("SQUARE_ENVIRONMENT", "staging"), ("SQUARE_BASE_URL", "ftp://x"), ("SQUARE_TOKEN_ENCRYPTION_KEY", "short"),
    ("SQUARE_PAYMENT_DELAY", "3 days"), ("SQUARE_PAYMENT_DELAY", "P8D"), ("SQUARE_PAYMENT_DELAY", "PT"),
    ("SQUARE_TIMEOUT_SECONDS", "0"), ("SQUARE_TOKEN_REFRESH_EVERY_SECONDS", "59"),
    ("SQUARE_TOKEN_REFRESH_EVERY_SECONDS", str(4 * 86_400)),
])
def test_bad_square_values_name_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_a_payment_delay_inside_the_hold_period_is_accepted():
    assert load_settings({"SQUARE_PAYMENT_DELAY": "PT12H"}).square_payment_delay == "PT12H"
    assert load_settings({"SQUARE_PAYMENT_DELAY": "P7D"}).square_payment_delay == "P7D"
