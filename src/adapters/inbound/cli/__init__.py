"""Command-line entry points (``flask --app bootstrap:create_app <command>``): demo data,
operators' tasks, and the worker processes that later contexts add."""

from __future__ import annotations

from flask import Flask

from adapters.inbound.cli.accounts import accounts_cli
from adapters.inbound.cli.backup import backup, restore
from adapters.inbound.cli.demo import seed_demo
from adapters.inbound.cli.openapi import openapi_export


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(openapi_export)
