"""``flask backup`` and ``flask restore``: the whole database to and from one archive file."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from adapters.inbound.http.wiring import use_case
from application.operations.ports import ArchiveSummary, Progress
from application.operations.use_cases import BackupDatabase, RestoreDatabase
from domain.shared.errors import DomainError


class TerminalProgress(Progress):
    """A click progress bar on stderr, one per phase (checking, restoring...)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int, label: str) -> None:
        self.close()
        self._bar = click.progressbar(length=max(total, 1), label=label.ljust(11), file=sys.stderr,
                                      show_pos=True, width=30)
        self._bar.__enter__()

    def advance(self, documents: int) -> None:
        if self._bar is not None and documents:
            self._bar.update(documents)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _report(verb: str, summary: ArchiveSummary) -> None:
    click.echo(f"{verb} {summary.path}: {len(summary.collections)} collections, {summary.documents} documents "
               f"(db {summary.db_name}, schema version {summary.schema_version}, {summary.consistency})")
    for collection in summary.collections:
        click.echo(f"  {collection.name}: {collection.count} documents, sha256 {collection.sha256[:16]}...")


def _default_archive_name() -> str:
    db_name = current_app.extensions["settings"].mongodb_db
    return f"{db_name}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.backup.zip"


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Archive to write (default: <db>-<UTC time>.backup.zip here).")
@with_appcontext
def backup(output: str | None) -> None:
    """Write every collection, its indexes and a manifest to one compressed archive."""
    progress = TerminalProgress()
    try:
        summary = use_case(BackupDatabase).execute(output or _default_archive_name(), progress)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    finally:
        progress.close()
    _report("wrote", summary)


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--drop", is_flag=True, help="Replace the data of a database that is not empty.")
@with_appcontext
def restore(archive: str, drop: bool) -> None:
    """Check an archive (manifest, checksums, counts), then load it into the database."""
    progress = TerminalProgress()
    try:
        summary = use_case(RestoreDatabase).execute(archive, drop=drop, progress=progress)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    finally:
        progress.close()
    _report("restored", summary)
    click.echo(f"  deletions replayed: {summary.deletions_replayed} (people deleted since the backup, deleted again; "
               "the erasure worker erases the rest of their data)")
