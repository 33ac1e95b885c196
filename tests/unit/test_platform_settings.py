from __future__ import annotations

import pytest

from config import ConfigError, Settings, load_settings


def test_the_rate_limit_counters_default_to_the_apps_own_mongodb():
    settings = load_settings({"MONGODB_URI": "mongodb://db.internal:27017/?replicaSet=rs0"})
    assert settings.rate_limit_storage == "mongodb://db.internal:27017/?replicaSet=rs0"
    assert load_settings({"RATE_LIMIT_STORAGE_URI": "memory://"}).rate_limit_storage == "memory://"


def test_rate_limits_proxy_hops_and_log_level_are_read():
    settings = load_settings({"RATE_LIMIT_AUTH": "5/minute", "RATE_LIMIT_WRITES": "50/minute;1000/hour",
                              "TRUSTED_PROXY_HOPS": "1", "LOG_LEVEL": "debug"})
    assert (settings.rate_limit_auth, settings.rate_limit_writes) == ("5/minute", "50/minute;1000/hour")
    assert settings.trusted_proxy_hops == 1 and settings.log_level == "DEBUG"
    assert load_settings({}).rate_limit_auth == Settings.rate_limit_auth


@pytest.mark.parametrize("environ, names", [
    ({"RATE_LIMIT_AUTH": "lots"}, "RATE_LIMIT_AUTH"),
    ({"RATE_LIMIT_WRITES": "10 per fortnight"}, "RATE_LIMIT_WRITES"),
    ({"RATE_LIMIT_STORAGE_URI": "redis://cache:6379"}, "RATE_LIMIT_STORAGE_URI"),
    ({"TRUSTED_PROXY_HOPS": "-1"}, "TRUSTED_PROXY_HOPS"),
    ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(environ, names):
    with pytest.raises(ConfigError, match=f"^{names}: "):
        load_settings(environ)
