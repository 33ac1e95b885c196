from __future__ import annotations

import click
from flask.cli import with_appcontext

from adapters.inbound.http.wiring import use_case
from application.payments.use_cases import RefreshExpiringTokens


@click.command("square-refresh-tokens")
@click.option("--limit", default=200, show_default=True, help="at most this many connections per run")
@with_appcontext
def square_refresh_tokens(limit: int) -> None:
    """Refresh sellers' Square tokens that expire soon (for cron; `flask scheduler` also does it hourly).
    Safe beside the scheduler and the API: each connection is refreshed by one process at a time."""
    report = use_case(RefreshExpiringTokens).execute(limit)
    click.echo(f"refreshed {report.refreshed}, revoked {report.revoked}, failed {report.failed} (retried next run), "
               f"skipped {report.skipped} (refreshed by another process)")
