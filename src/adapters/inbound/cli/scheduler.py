"""``flask scheduler``: the worker that acts on the orders' deadlines. Run as many as you like;
each order is leased atomically before it is acted on, so none is acted on twice."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from adapters.inbound.http.wiring import use_case
from application.orders.use_cases import RunDueTimers
from application.reviews.use_cases import PublishDueReviews

log = logging.getLogger(__name__)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit (for cron or a test).")
@with_appcontext
def scheduler(once: bool) -> None:
    """Expire unpaid bookings, void holds the seller did not answer, auto-complete finished jobs,
    publish reviews whose window has closed."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    interval = current_app.extensions["settings"].scheduler_interval_seconds
    owner = f"{socket.gethostname()}:{os.getpid()}"
    stop = threading.Event()
    # SIGTERM ends the loop between passes, never in the middle of acting on an order.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    log.info("scheduler %s started (every %ss)", owner, interval)
    while not stop.is_set():
        try:
            acted = use_case(RunDueTimers).execute(owner)
            if acted:
                log.info("acted on %d order(s)", acted)
            published = use_case(PublishDueReviews).execute()
            if published:
                log.info("published the reviews of %d order(s) whose window closed", published)
        except Exception:  # the database may be briefly away: log, wait, try again
            log.exception("scheduler pass failed")
        if once:
            break
        stop.wait(interval)
    log.info("scheduler %s stopped", owner)
