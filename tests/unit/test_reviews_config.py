from __future__ import annotations

import pytest

from config import ConfigError, load_settings


def test_the_review_window_defaults_to_a_week_and_reads_the_environment():
    assert load_settings({}).review_window_days == 7
    assert load_settings({"REVIEW_WINDOW_DAYS": "14"}).review_window_days == 14


@pytest.mark.parametrize("raw", ["0", "-3", "a week", "1.5"])
def test_a_bad_review_window_stops_start_up_naming_it(raw):
    with pytest.raises(ConfigError, match="REVIEW_WINDOW_DAYS"):
        load_settings({"REVIEW_WINDOW_DAYS": raw})
