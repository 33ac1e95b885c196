"""The scheduler's periodic Square token refresh, on the app with fakes."""

from __future__ import annotations

from adapters.inbound.cli.scheduler import PeriodicTokenRefresh
from tests.http.test_square_connection_http import connect, seller  # noqa: F401 - the fixture


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_scheduler_renews_due_tokens_at_start_then_at_most_once_an_hour(app, client, fakes, seller):  # noqa: F811
    connect(client, fakes, seller)
    fakes.clock.advance(days=24)  # inside the 7-day margin
    ticks = Ticks()
    refresh = PeriodicTokenRefresh(3600, monotonic=ticks)
    with app.app_context():
        assert refresh.run_if_due().refreshed == 1
        fakes.clock.advance(days=30)  # due again, but this process renewed less than an hour ago
        ticks.now += 3599
        assert refresh.run_if_due() is None
        ticks.now += 1
        assert refresh.run_if_due().refreshed == 1
    assert fakes.square_oauth.refreshes == 2
