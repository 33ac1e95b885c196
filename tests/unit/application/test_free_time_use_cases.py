"""The orders context keeps each seller's free-time summary current: booking, releasing a slot,
changing hours or time off all refresh it, through the tracking repositories."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from adapters.outbound.orders.in_memory import InMemoryFreeTimeSummaries
from application.orders import use_cases as uc
from application.orders.free_time import FreeTimeKeeper, FreeTimeTrackingOrders, FreeTimeTrackingSchedules
from application.orders.ports import FreeTimeSummaries, OrderRepository, ScheduleRepository
from domain.orders.free_time import PartOfDay
from domain.shared.errors import InvalidInput
from tests.unit.application.orders_world import POLICY, SELLER, SLOT, World

SLOT_DAY = date(2026, 12, 1)  # SLOT is 10:00-11:00 Madrid that day; the seller works 08:00-20:00


class BrokenSummaries(InMemoryFreeTimeSummaries):
    def put(self, days):
        raise ConnectionError("summaries unreachable")


def tracked_world(summaries: InMemoryFreeTimeSummaries | None = None) -> tuple[World, InMemoryFreeTimeSummaries]:
    world = World()
    summaries = summaries if summaries is not None else InMemoryFreeTimeSummaries()
    keeper = FreeTimeKeeper(world.schedules, world.orders, summaries, world.clock, POLICY)
    world._ports.update({OrderRepository: FreeTimeTrackingOrders(world.orders, keeper),
                         ScheduleRepository: FreeTimeTrackingSchedules(world.schedules, keeper),
                         FreeTimeSummaries: summaries, FreeTimeKeeper: keeper})
    return world, summaries


def longest(summaries: InMemoryFreeTimeSummaries, day: date = SLOT_DAY, part: PartOfDay | None = None) -> int:
    return summaries.longest_free(day, part).get("seller", 0)


@pytest.fixture
def world_and_summaries():
    world, summaries = tracked_world()
    assert world(uc.RefreshAllFreeTime).execute() == 1
    return world, summaries


def test_the_daily_refresh_covers_today_to_the_window_end(world_and_summaries):
    _, summaries = world_and_summaries
    days = sorted(day for _, day in summaries.days)
    assert days[0] == date(2026, 11, 28) and len(days) == POLICY.free_time_days + 1
    assert longest(summaries) == 12 * 60


def test_a_booking_shrinks_the_day_and_releasing_it_restores_it(world_and_summaries):
    world, summaries = world_and_summaries
    order = world.paid()
    # 08:00-10:00 before the job, then 11:30 (after the 30-minute buffer) to 20:00.
    assert longest(summaries, part=PartOfDay.MORNING) == 510
    assert longest(summaries, part=PartOfDay.AFTERNOON) == 8 * 60
    assert longest(summaries, SLOT_DAY + timedelta(days=1)) == 12 * 60
    world(uc.DeclineOrder).execute(SELLER, order.id)
    assert longest(summaries, part=PartOfDay.MORNING) == 12 * 60


def test_changing_the_hours_and_taking_time_off_refresh_every_day(world_and_summaries):
    world, summaries = world_and_summaries
    world(uc.SetMyAvailability).execute(SELLER, uc.AvailabilityCommand(
        "Europe/Madrid", 0, {d: [(time(16), time(21))] for d in range(7)}))
    assert longest(summaries, part=PartOfDay.MORNING) == 0
    assert longest(summaries, part=PartOfDay.EVENING) == 3 * 60
    assert longest(summaries, SLOT_DAY + timedelta(days=30)) == 5 * 60
    world(uc.AddTimeOff).execute(SELLER, start=datetime(2026, 12, 1, tzinfo=UTC),
                                 end=datetime(2026, 12, 2, tzinfo=UTC), note="médico")
    assert "seller" not in summaries.longest_free(SLOT_DAY, None)
    assert longest(summaries, SLOT_DAY + timedelta(days=1)) == 5 * 60


def test_a_failed_refresh_does_not_undo_the_booking():
    world, _ = tracked_world(BrokenSummaries())
    order = world.book()
    assert world.orders.get(order.id) is not None
    assert world.orders.taken_units("seller", SLOT, SLOT + timedelta(hours=2))


def test_sellers_free_reads_the_summaries_and_checks_the_date(world_and_summaries):
    world, _ = world_and_summaries
    free = world(uc.GetSellersFreeTime)
    assert free.execute(SLOT_DAY, "evening") == {"seller": 2 * 60}  # 18:00-20:00
    assert free.execute(date(2026, 11, 27)) == {}  # yesterday in UTC: still today somewhere
    for day, part, field in [(date(2026, 11, 26), None, "available_on"), (date(2027, 1, 28), None, "available_on"),
                             (SLOT_DAY, "night", "part_of_day")]:
        with pytest.raises(InvalidInput) as error:
            free.execute(day, part)
        assert error.value.field == field
