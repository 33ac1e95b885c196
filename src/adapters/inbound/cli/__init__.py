"""Command-line entry points (``flask --app bootstrap:create_app <command>``): demo data,
operators' tasks, and the worker processes that later contexts add."""

from __future__ import annotations

from flask import Flask

from adapters.inbound.cli.accounts import accounts_cli
from adapters.inbound.cli.backup import backup, restore
from adapters.inbound.cli.demo import seed_demo
from adapters.inbound.cli.scheduler import scheduler
from adapters.inbound.cli.payments import square_refresh_tokens
from adapters.inbound.cli.messaging import WORKER_COMMANDS
from adapters.inbound.cli.search_data import (
    catalog_backfill_cells,
    catalog_move_profile_hours,
    catalog_publish_areas,
    load_gazetteer,
    refresh_free_time,
)
from adapters.inbound.cli.openapi import openapi_export
from adapters.inbound.cli.erasure import erasure_worker_command
from adapters.inbound.cli.email import email_worker_command, mail_inbox


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(scheduler)
    app.cli.add_command(square_refresh_tokens)
    for command in WORKER_COMMANDS:
        app.cli.add_command(command)
    app.cli.add_command(load_gazetteer)
    app.cli.add_command(refresh_free_time)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(openapi_export)
    app.cli.add_command(erasure_worker_command)
    app.cli.add_command(catalog_backfill_cells)
    app.cli.add_command(catalog_move_profile_hours)
    app.cli.add_command(catalog_publish_areas)
    app.cli.add_command(email_worker_command)
    app.cli.add_command(mail_inbox)
