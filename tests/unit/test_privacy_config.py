from __future__ import annotations

from datetime import timedelta

import pytest

from application.privacy.ports import ExportPolicy
from bootstrap import build_injector
from config import ConfigError, load_settings


def test_export_settings_default_and_read_the_environment():
    defaults = load_settings({})
    assert (defaults.data_export_link_ttl_seconds, defaults.data_export_keep_hours,
            defaults.data_export_max_per_day, defaults.data_export_link_secret) == (900, 168, 5, "")
    custom = load_settings({"DATA_EXPORT_LINK_TTL_SECONDS": "120", "DATA_EXPORT_KEEP_HOURS": "24",
                            "DATA_EXPORT_MAX_PER_DAY": "2", "DATA_EXPORT_LINK_SECRET": "s" * 32})
    assert (custom.data_export_link_ttl_seconds, custom.data_export_keep_hours,
            custom.data_export_max_per_day, custom.data_export_link_secret) == (120, 24, 2, "s" * 32)


@pytest.mark.parametrize("name, raw", [("DATA_EXPORT_LINK_TTL_SECONDS", "10"), ("DATA_EXPORT_KEEP_HOURS", "0"),
                                       ("DATA_EXPORT_MAX_PER_DAY", "many"), ("DATA_EXPORT_LINK_SECRET", "short")])
def test_a_bad_export_setting_stops_start_up_naming_it(name, raw):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: raw})


def test_the_link_key_is_derived_from_the_jwt_secret_unless_given():
    derived = build_injector(load_settings({})).get(ExportPolicy)
    assert derived.link_ttl == timedelta(minutes=15) and derived.keep_for == timedelta(days=7)
    assert len(derived.link_secret) == 32 and derived.link_secret != load_settings({}).jwt_secret.encode()
    other_jwt = build_injector(load_settings({"JWT_SECRET": "j" * 40})).get(ExportPolicy)
    assert other_jwt.link_secret != derived.link_secret
    given = build_injector(load_settings({"DATA_EXPORT_LINK_SECRET": "k" * 40})).get(ExportPolicy)
    assert given.link_secret == b"k" * 40
