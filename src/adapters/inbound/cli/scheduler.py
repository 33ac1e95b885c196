"""``flask scheduler``: the worker that acts on the orders' deadlines, and renews sellers' Square
tokens. Run as many as you like: each order is leased atomically before it is acted on, so none is
acted on twice, and each Square connection is refreshed under its own lease, so no refresh token is
spent twice."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from adapters.correlation import bind_request_id, new_request_id
from adapters.inbound.http.wiring import use_case
from application.orders.use_cases import RunDueTimers
from application.payments.use_cases import RefreshExpiringTokens, RefreshReport
from application.reviews.use_cases import PublishDueReviews
from application.privacy.use_cases import BuildPendingExports, PurgeExpiredExports

log = logging.getLogger(__name__)


class PeriodicTokenRefresh:
    """Renews the Square tokens due for it, at the first pass and then at most once per ``every_seconds``
    in this process (Square recommends renewing every 7 days or less; the margin is 7 days)."""

    def __init__(self, every_seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._every = every_seconds
        self._monotonic = monotonic
        self._next_at: float | None = None

    def run_if_due(self) -> RefreshReport | None:
        if self._next_at is not None and self._monotonic() < self._next_at:
            return None
        # Counted from the attempt: a failing pass is not retried every few seconds.
        self._next_at = self._monotonic() + self._every
        report = use_case(RefreshExpiringTokens).execute()
        log.info("Square tokens: refreshed %d, revoked %d, failed %d (retried next time), skipped %d "
                 "(refreshed by another process)", report.refreshed, report.revoked, report.failed, report.skipped)
        return report


def run_data_exports() -> None:
    """People's copies of their data: build the waiting ones, delete those past their download window."""
    built = use_case(BuildPendingExports).execute()
    if built:
        log.info("built %d data export(s)", built)
    purged = use_case(PurgeExpiredExports).execute()
    if purged:
        log.info("deleted %d data export archive(s) past their download window", purged)


def _one_pass(owner: str, token_refresh: PeriodicTokenRefresh) -> None:
    try:
        acted = use_case(RunDueTimers).execute(owner)
        if acted:
            log.info("acted on %d order(s)", acted)
        published = use_case(PublishDueReviews).execute()
        if published:
            log.info("published the reviews of %d order(s) whose window closed", published)
    except Exception:  # the database may be briefly away: log, wait, try again
        log.exception("scheduler pass failed")
    try:
        token_refresh.run_if_due()
    except Exception:
        log.exception("Square token refresh failed")
    try:
        run_data_exports()
    except Exception:
        log.exception("data exports pass failed")


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit (for cron or a test).")
@with_appcontext
def scheduler(once: bool) -> None:
    """Expire unpaid bookings, void holds the seller did not answer, auto-complete finished jobs,
    publish reviews whose window has closed; renew sellers' Square tokens (hourly); build people's
    data exports."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    settings = current_app.extensions["settings"]
    interval = settings.scheduler_interval_seconds
    token_refresh = PeriodicTokenRefresh(settings.square_token_refresh_every_seconds)
    owner = f"{socket.gethostname()}:{os.getpid()}"
    stop = threading.Event()
    # SIGTERM ends the loop between passes, never in the middle of acting on an order.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    log.info("scheduler %s started (every %ss)", owner, interval)
    while not stop.is_set():
        # Each pass is its own "request": its log lines and the events it records (and so the
        # consumers' log lines) carry one id, named for where it came from.
        with bind_request_id(f"scheduler-{new_request_id()}"):
            _one_pass(owner, token_refresh)
        if once:
            break
        stop.wait(interval)
    log.info("scheduler %s stopped", owner)
