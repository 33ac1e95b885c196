from __future__ import annotations

import pytest

from config import ConfigError, load_settings


def test_orders_settings_have_working_defaults_and_read_the_environment():
    settings = load_settings({"PLATFORM_FEE_BPS": "1250", "PLATFORM_FEE_MINIMUM": "50", "ORDER_PAYMENT_WINDOW": "600",
                              "REFUND_LATE_PERCENT": "0"})
    assert (settings.platform_fee_bps, settings.platform_fee_minimum) == (1250, 50)
    assert settings.order_payment_window_seconds == 600 and settings.refund_late_percent == 0
    assert load_settings({}).order_payment_window_seconds == 15 * 60


@pytest.mark.parametrize(("env", "named"), [
    ({"PLATFORM_FEE_BPS": "10001"}, "PLATFORM_FEE_BPS"),
    ({"PLATFORM_FEE_MINIMUM": "-1"}, "PLATFORM_FEE_MINIMUM"),
    ({"REFUND_LATE_PERCENT": "101"}, "REFUND_LATE_PERCENT"),
    ({"ORDER_PAYMENT_WINDOW": "ten"}, "ORDER_PAYMENT_WINDOW"),
    ({"SELLER_RESPONSE_WINDOW": str(7 * 24 * 3600)}, "SELLER_RESPONSE_WINDOW"),
    ({"SCHEDULER_INTERVAL": "0"}, "SCHEDULER_INTERVAL"),
])
def test_a_bad_orders_setting_stops_start_up_naming_it(env, named):
    with pytest.raises(ConfigError, match=named):
        load_settings(env)
