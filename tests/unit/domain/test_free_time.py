"""The free-time summary against brute force: for random schedules (zones, buffers, time off,
bookings) and every job length, ``longest[part] >= d`` iff ``free_slots`` offers a start of
``d`` minutes in that part, including the days Europe/Madrid changes its clocks."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.orders.free_time import PartOfDay, summarize_day
from domain.orders.order import reservation_units
from domain.orders.schedule import SellerSchedule, TimeOff, WorkingRange

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SPRING_FORWARD = date(2026, 3, 29)  # Europe/Madrid: 02:00 -> 03:00, last Sunday of March
FALL_BACK = date(2026, 10, 25)  # Europe/Madrid: 03:00 -> 02:00, last Sunday of October
ZONES = ["Europe/Madrid", "Atlantic/Canary", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
LENGTHS = [5, 15, 20, 45, 60, 90, 120, 180, 240, 480]


def brute_force(schedule: SellerSchedule, day: date, minutes: int, taken: set[datetime]) -> set[PartOfDay]:
    starts = schedule.free_slots(first_day=day, last_day=day, duration=timedelta(minutes=minutes), now=NOW,
                                 taken_units=taken)
    return {PartOfDay.of_hour(s.astimezone(schedule.zone).hour) for s in starts}


def random_schedule(rng: random.Random, day: date) -> tuple[SellerSchedule, set[datetime]]:
    ranges = []
    hour = rng.choice([0, 1, 6, 7, 8])
    while hour < 23 and len(ranges) < 3:
        length = rng.choice([1, 2, 3, 4, 6])
        end = min(hour + length, 23)
        ranges.append((time(hour, rng.choice([0, 15, 30])), time(end, rng.choice([0, 45]))))
        hour = end + rng.choice([1, 2])
    weekly = {day.weekday(): [WorkingRange(a, b) for a, b in ranges if a < b]}
    schedule = SellerSchedule(seller_id="s", time_zone=rng.choice(ZONES), buffer_minutes=rng.choice([0, 10, 15, 30]),
                              weekly_hours=weekly)
    midnight = datetime.combine(day, time(), tzinfo=schedule.zone).astimezone(UTC)
    for n in range(rng.randint(0, 2)):
        start = midnight + timedelta(minutes=rng.randrange(0, 24 * 60, 7))
        schedule.add_time_off(TimeOff(f"off-{n}", start, start + timedelta(minutes=rng.randint(20, 200))))
    taken: set[datetime] = set()
    for _ in range(rng.randint(0, 4)):
        start = midnight + timedelta(minutes=15 * rng.randrange(0, 96))
        taken.update(reservation_units(start, start + timedelta(minutes=rng.choice([30, 60, 90])), schedule.buffer))
    return schedule, taken


@pytest.mark.parametrize("day", [date(2026, 3, 18), SPRING_FORWARD, FALL_BACK, date(2026, 3, 28), date(2026, 10, 26)])
def test_the_summary_agrees_with_free_slots(day):
    rng = random.Random(day.toordinal())
    for _ in range(60):
        schedule, taken = random_schedule(rng, day)
        summary = summarize_day(schedule, day, now=NOW, taken_units=taken)
        for minutes in LENGTHS:
            expected = brute_force(schedule, day, minutes, taken)
            got = {part for part in PartOfDay if summary.longest[part] >= minutes}
            assert got == expected, (schedule, minutes)
            assert (summary.longest_any >= minutes) == bool(expected)


def madrid(day: date, *ranges: tuple[int, int]) -> SellerSchedule:
    return SellerSchedule(seller_id="s", time_zone="Europe/Madrid",
                          weekly_hours={day.weekday(): [WorkingRange(time(a), time(b)) for a, b in ranges]})


def test_spring_forward_loses_the_hour_that_does_not_exist():
    # 01:00-04:00 on the night the clocks skip 02:00-03:00 is two real hours of work.
    summary = summarize_day(madrid(SPRING_FORWARD, (1, 4)), SPRING_FORWARD, now=NOW, taken_units=set())
    assert summary.longest[PartOfDay.MORNING] == 120
    assert summarize_day(madrid(SPRING_FORWARD, (9, 12)), SPRING_FORWARD, now=NOW,
                         taken_units=set()).longest_any == 180


def test_fall_back_gains_the_repeated_hour():
    # 01:00-04:00 on the night 02:00-03:00 happens twice is four real hours.
    summary = summarize_day(madrid(FALL_BACK, (1, 4)), FALL_BACK, now=NOW, taken_units=set())
    assert summary.longest[PartOfDay.MORNING] == 240


def test_parts_of_the_day_follow_the_local_hour_in_summer_and_winter():
    for day in (date(2026, 7, 6), date(2026, 12, 7)):  # Mondays, UTC+2 and UTC+1
        summary = summarize_day(madrid(day, (11, 13), (17, 20)), day, now=NOW, taken_units=set())
        assert summary.longest == {PartOfDay.MORNING: 120, PartOfDay.AFTERNOON: 180, PartOfDay.EVENING: 120}
        assert summary.free_minutes == {PartOfDay.MORNING: 60, PartOfDay.AFTERNOON: 120, PartOfDay.EVENING: 120}


def test_a_booking_and_its_buffer_split_the_day():
    day = date(2026, 7, 6)
    schedule = SellerSchedule(seller_id="s", time_zone="Europe/Madrid", buffer_minutes=30,
                              weekly_hours={0: [WorkingRange(time(8), time(14))]})
    job = datetime(2026, 7, 6, 8, 0, tzinfo=UTC)  # 10:00-11:00 local, held until 11:30
    taken = set(reservation_units(job, job + timedelta(hours=1), schedule.buffer))
    summary = summarize_day(schedule, day, now=NOW, taken_units=taken)
    # 08:00 to 10:00 leaves room for 90 minutes plus the buffer; 11:30 to 14:00 for 150.
    assert summary.longest[PartOfDay.MORNING] == 150
    # Free units: 08:00-12:00 less the 90 held minutes; 12:00-14:00 is afternoon.
    assert summary.free_minutes == {PartOfDay.MORNING: 150, PartOfDay.AFTERNOON: 120, PartOfDay.EVENING: 0}


def test_past_starts_do_not_count():
    day = date(2026, 7, 6)
    summary = summarize_day(madrid(day, (8, 12)), day, now=datetime(2026, 7, 6, 8, 0, tzinfo=UTC),  # 10:00 local
                            taken_units=set())
    assert summary.longest[PartOfDay.MORNING] == 105  # from 10:15


def test_a_day_off_has_nothing():
    day = date(2026, 7, 6)
    schedule = madrid(day, (8, 12))
    schedule.add_time_off(TimeOff("t", datetime(2026, 7, 5, tzinfo=UTC), datetime(2026, 7, 8, tzinfo=UTC)))
    assert summarize_day(schedule, day, now=NOW, taken_units=set()).longest_any == 0
