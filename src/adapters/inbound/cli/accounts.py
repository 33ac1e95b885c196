from __future__ import annotations

import click
from flask.cli import AppGroup

from adapters.inbound.http.wiring import use_case
from application.accounts.use_cases import CreateStaffAccount, CreateStaffAccountCommand
from domain.shared.access import Role
from domain.shared.errors import DomainError

accounts_cli = AppGroup("accounts", help="Operators' account tasks.")


@accounts_cli.command("create-staff")
@click.option("--email", required=True)
@click.option("--display-name", required=True)
@click.option("--role", type=click.Choice([Role.SUPPORT.value, Role.ADMIN.value]), required=True)
@click.password_option()
def create_staff(email: str, display_name: str, role: str, password: str) -> None:
    """Create a support agent or an admin."""
    try:
        user = use_case(CreateStaffAccount).execute(
            CreateStaffAccountCommand(email=email, password=password, display_name=display_name, role=Role(role)))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"created {role} {user.email} ({user.id})")
