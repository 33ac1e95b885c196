"""Demo data, loaded idempotently: run it twice and nothing is duplicated."""

from __future__ import annotations

from datetime import time

import click
from flask import current_app
from flask.cli import with_appcontext

from adapters.inbound.cli.catalog_demo import ensure_demo_catalog
from adapters.inbound.http.wiring import use_case
from application.accounts.use_cases import (
    CreateStaffAccount,
    CreateStaffAccountCommand,
    RegisterUser,
    RegisterUserCommand,
)
from application.accounts.use_cases import LogIn, LogInCommand
from application.catalog.use_cases import LoadGazetteer, MoveProfileHoursToSchedules
from application.payments.use_cases import GetMySquareConnection, ImportSquareConnection
from domain.accounts.errors import EmailAlreadyRegistered
from application.accounts.ports import UserRepository
from application.orders.ports import ScheduleRepository
from application.orders.use_cases import AvailabilityCommand, SetMyAvailability
from domain.accounts.email import Email
from domain.payments.connection import ConnectionStatus
from domain.payments.errors import SquareNotConnected
from domain.shared.access import Actor, Role
from domain.shared.errors import DomainError

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


# Demo sellers work weekdays 08:00-14:00 and 15:00-19:00 in Madrid, 15 minutes between jobs.
DEMO_WEEKLY_HOURS = {day: [(time(8), time(14)), (time(15), time(19))] for day in range(5)}


def _ensure_availability(email: str) -> str:
    user = current_app.extensions["injector"].get(UserRepository).get_by_email(Email(email))
    # Any stored schedule is the seller's, even with every day closed: only a missing one is seeded.
    if current_app.extensions["injector"].get(ScheduleRepository).get(user.id) is not None:
        return "already there"
    actor = user.as_actor()
    use_case(SetMyAvailability).execute(actor, AvailabilityCommand("Europe/Madrid", 15, DEMO_WEEKLY_HOURS))
    return "created"


# The local Square stand-in pre-issues a code-flow refresh token "sandbox-demo-refresh-<name>" for a
# demo merchant of that name: demo sellers come already connected, through the same OAuth refresh a
# real seller's connection uses. A seller already connected is left alone without calling Square, so
# every start seeds again for free; one whose authorization was revoked is connected again.
DEMO_SQUARE_REFRESH_TOKEN_PREFIX = "sandbox-demo-refresh-"


def _ensure_square_connection(email: str) -> str:
    seller = use_case(LogIn).execute(LogInCommand(email=email, password=DEMO_PASSWORD, client_address="seed-demo")).user
    try:
        status = use_case(GetMySquareConnection).execute(Actor(seller.id, frozenset(seller.roles))).connection.status
    except SquareNotConnected:
        status = None
    if status == ConnectionStatus.CONNECTED:
        return "already there"
    if status == ConnectionStatus.DISCONNECTED:
        return "disconnected by the seller; left so"
    try:
        connection = use_case(ImportSquareConnection).execute(
            seller.id, DEMO_SQUARE_REFRESH_TOKEN_PREFIX + email.split("@")[0].replace(".", "-"))
    except DomainError as error:
        return f"not connected ({error.message})"
    again = "connected again" if status == ConnectionStatus.REVOKED else "connected"
    return f"{again} ({connection.merchant_id}, location {connection.location_name})"


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load demo people (and, from later contexts, their services and orders)."""
    click.echo(f"  places   {use_case(LoadGazetteer).execute()} postal codes and cities")
    moved, dropped = use_case(MoveProfileHoursToSchedules).execute()
    click.echo(f"  hours    profiles' own hours: {moved} moved to the schedules, {dropped} dropped")
    for email, name, role in DEMO_PEOPLE:
        click.echo(f"  {role.value:8} {email:32} {_ensure_person(email, name, role)}")
    for email, _, role in DEMO_PEOPLE:
        if role is Role.SELLER:
            click.echo(f"  catalog  {email:32} {ensure_demo_catalog(email)}")
            click.echo(f"  hours    {email:32} {_ensure_availability(email)}")
            click.echo(f"  square   {email:32} {_ensure_square_connection(email)}")
    click.echo(f"demo data ready; every demo password is {DEMO_PASSWORD!r}")
