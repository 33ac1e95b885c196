"""Demo data, loaded idempotently: run it twice and nothing is duplicated."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from adapters.inbound.cli.catalog_demo import ensure_demo_catalog
from adapters.inbound.http.wiring import use_case
from application.accounts.use_cases import (
    CreateStaffAccount,
    CreateStaffAccountCommand,
    RegisterUser,
    RegisterUserCommand,
)
from domain.accounts.errors import EmailAlreadyRegistered
from domain.shared.access import Role

DEMO_PASSWORD = "demo-password-1"

DEMO_PEOPLE = [
    ("ana.buyer@example.com", "Ana García", Role.BUYER),
    ("luis.buyer@example.com", "Luis Martín", Role.BUYER),
    ("carlos.plumber@example.com", "Carlos Fontanería", Role.SELLER),
    ("elena.cleaning@example.com", "Elena Limpiezas", Role.SELLER),
    ("jorge.electric@example.com", "Jorge Electricista", Role.SELLER),
    ("marta.garden@example.com", "Marta Jardines", Role.SELLER),
    ("sofia.support@example.com", "Sofía (Soporte)", Role.SUPPORT),
    ("admin@example.com", "Admin", Role.ADMIN),
]


def _ensure_person(email: str, name: str, role: Role) -> str:
    try:
        if role in (Role.SUPPORT, Role.ADMIN):
            use_case(CreateStaffAccount).execute(
                CreateStaffAccountCommand(email=email, password=DEMO_PASSWORD, display_name=name, role=role))
        else:
            use_case(RegisterUser).execute(
                RegisterUserCommand(email=email, password=DEMO_PASSWORD, display_name=name, role=role))
        return "created"
    except EmailAlreadyRegistered:
        return "already there"


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load demo people (and, from later contexts, their services and orders)."""
    for email, name, role in DEMO_PEOPLE:
        click.echo(f"  {role.value:8} {email:32} {_ensure_person(email, name, role)}")
    for email, _, role in DEMO_PEOPLE:
        if role is Role.SELLER:
            click.echo(f"  catalog  {email:32} {ensure_demo_catalog(email)}")
    click.echo(f"demo data ready; every demo password is {DEMO_PASSWORD!r}")
