"""Operators' commands that keep search's reference data current."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from adapters.inbound.http.wiring import use_case
from application.catalog.use_cases import (
    BackfillSearchFields,
    LoadGazetteer,
    MoveProfileHoursToSchedules,
    PublishSellerAreas,
)
from application.orders.use_cases import RefreshAllFreeTime


@click.command("load-gazetteer")
@with_appcontext
def load_gazetteer() -> None:
    """Load the shipped Spanish postal codes and cities (idempotent; seed-demo runs it too)."""
    click.echo(f"{use_case(LoadGazetteer).execute()} postal codes and cities loaded")


@click.command("refresh-free-time")
@with_appcontext
def refresh_free_time() -> None:
    """Recompute every seller's free-time summaries for the days search covers (run it daily:
    a new day enters the window, and today's past hours leave it)."""
    click.echo(f"free time refreshed for {use_case(RefreshAllFreeTime).execute()} sellers")


@click.command("catalog-backfill-cells")
@with_appcontext
def catalog_backfill_cells() -> None:
    """Give services stored before search near a buyer looked them up by grid cell their cell,
    and drop the 2dsphere indexes the cells replaced (idempotent; every start runs it too). Run it
    after restoring an older archive, and once the last process of an older release stopped."""
    click.echo(f"grid cells written for {use_case(BackfillSearchFields).execute()} services")


@click.command("catalog-move-profile-hours")
@with_appcontext
def catalog_move_profile_hours() -> None:
    """Give a seller's hours one home: hours a profile kept of its own become the seller's bookable
    hours if they have none (else the bookable ones win), and leave the profile. Idempotent;
    seed-demo runs it too. Run it once after upgrading, and after restoring an older archive."""
    moved, dropped = use_case(MoveProfileHoursToSchedules).execute()
    click.echo(f"profile hours: {moved} became bookable hours, {dropped} dropped (the seller had bookable hours)")


@click.command("catalog-publish-areas")
@with_appcontext
def catalog_publish_areas() -> None:
    """Put every seller's public point (never the base) on their services. Run it once after
    upgrading to the release that hid bases: services stored before it carry the base itself."""
    click.echo(f"public travel areas written for {use_case(PublishSellerAreas).execute()} sellers")
