"""CATALOG_STORE chooses where the catalog lives; bootstrap honours it (bench/ measures with memory)."""

import base64

import pytest

from config import ConfigError, load_settings

PRODUCTION = {
    "APP_ENV": "production", "JWT_SECRET": "p" * 40, "PUBLIC_BASE_URL": "https://api.example.com",
    "SQUARE_APPLICATION_ID": "sq0idp-real", "SQUARE_APPLICATION_SECRET": "sq0csp-real",
    "SQUARE_WEBHOOK_SIGNATURE_KEY": "real-signature-key",
    "SQUARE_TOKEN_ENCRYPTION_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
}


def test_the_catalog_is_in_mongodb_unless_told_otherwise():
    assert load_settings({}).catalog_store == "mongo"
    assert load_settings({"CATALOG_STORE": "memory"}).catalog_store == "memory"


def test_an_unknown_store_is_named():
    with pytest.raises(ConfigError, match="CATALOG_STORE"):
        load_settings({"CATALOG_STORE": "redis"})


def test_production_refuses_a_catalog_that_a_restart_would_lose():
    assert load_settings(PRODUCTION).catalog_store == "mongo"
    with pytest.raises(ConfigError, match="CATALOG_STORE"):
        load_settings({**PRODUCTION, "CATALOG_STORE": "memory"})
