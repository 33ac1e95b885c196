from __future__ import annotations

import pytest

from config import ConfigError, load_settings


def test_orders_settings_have_working_defaults_and_read_the_environment():
    settings = load_settings({"PLATFORM_FEE_BPS": "1250", "PLATFORM_FEE_MINIMUM": "50", "ORDER_PAYMENT_WINDOW": "600",
                              "REFUND_LATE_PERCENT": "0"})
    assert (settings.platform_fee_bps, settings.platform_fee_minimum) == (1250, 50)
    assert settings.order_payment_window_seconds == 600 and settings.refund_late_percent == 0
    assert load_settings({}).order_payment_window_seconds == 15 * 60
    caps = load_settings({"MAX_UNPAID_BOOKINGS_PER_SELLER": "1", "MAX_UNPAID_BOOKINGS": "6"})
    assert (caps.max_unpaid_bookings_per_seller, caps.max_unpaid_bookings) == (1, 6)
    assert (load_settings({}).max_unpaid_bookings_per_seller, load_settings({}).max_unpaid_bookings) == (2, 4)


@pytest.mark.parametrize(("env", "named"), [
    ({"PLATFORM_FEE_BPS": "10001"}, "PLATFORM_FEE_BPS"),
    ({"PLATFORM_FEE_MINIMUM": "-1"}, "PLATFORM_FEE_MINIMUM"),
    ({"REFUND_LATE_PERCENT": "101"}, "REFUND_LATE_PERCENT"),
    ({"ORDER_PAYMENT_WINDOW": "ten"}, "ORDER_PAYMENT_WINDOW"),
    ({"SELLER_RESPONSE_WINDOW": str(7 * 24 * 3600)}, "SELLER_RESPONSE_WINDOW"),
    ({"SCHEDULER_INTERVAL": "0"}, "SCHEDULER_INTERVAL"),
    ({"MAX_UNPAID_BOOKINGS_PER_SELLER": "0"}, "MAX_UNPAID_BOOKINGS_PER_SELLER"),
    ({"MAX_UNPAID_BOOKINGS": "101"}, "MAX_UNPAID_BOOKINGS"),
    ({"MAX_UNPAID_BOOKINGS": "2", "MAX_UNPAID_BOOKINGS_PER_SELLER": "3"}, "MAX_UNPAID_BOOKINGS"),
])
def test_a_bad_orders_setting_stops_start_up_naming_it(env, named):
    with pytest.raises(ConfigError, match=named):
        load_settings(env)
