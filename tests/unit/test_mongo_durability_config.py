"""How durable MongoDB writes are: majority and journaled by default, never weaker in production."""

import pytest

from config import ConfigError, load_settings
from tests.unit.test_catalog_store_config import PRODUCTION


def test_writes_are_majority_and_journaled_by_default_everywhere():
    for environ in ({}, PRODUCTION):
        settings = load_settings(environ)
        assert (settings.mongodb_write_concern, settings.mongodb_journal) == ("majority", True)


def test_a_test_stack_may_trade_durability_for_speed():
    settings = load_settings({"MONGODB_WRITE_CONCERN": "1", "MONGODB_JOURNAL": "false"})
    assert (settings.mongodb_write_concern, settings.mongodb_journal) == ("1", False)


@pytest.mark.parametrize("environ", [{"MONGODB_WRITE_CONCERN": "1"}, {"MONGODB_JOURNAL": "false"}])
def test_production_refuses_weaker_writes(environ):
    with pytest.raises(ConfigError, match="MONGODB_WRITE_CONCERN/MONGODB_JOURNAL"):
        load_settings({**PRODUCTION, **environ})


@pytest.mark.parametrize(("environ", "variable"), [
    ({"MONGODB_WRITE_CONCERN": "0"}, "MONGODB_WRITE_CONCERN"),  # unacknowledged: nothing to rely on
    ({"MONGODB_WRITE_CONCERN": "most"}, "MONGODB_WRITE_CONCERN"),
    ({"MONGODB_JOURNAL": "yes please"}, "MONGODB_JOURNAL"),
])
def test_a_malformed_value_is_named(environ, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(environ)
