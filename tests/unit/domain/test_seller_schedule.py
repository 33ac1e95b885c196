from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.orders.errors import ScheduleInvalid, SlotNotAvailable
from domain.orders.order import reservation_units
from domain.orders.schedule import SellerSchedule, TimeOff, WorkingRange

NOW = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def madrid(**overrides) -> SellerSchedule:
    values = dict(seller_id="s", time_zone="Europe/Madrid", buffer_minutes=0,
                  weekly_hours={day: [WorkingRange(time(9), time(12))] for day in range(7)})
    values.update(overrides)
    return SellerSchedule(**values)


def test_slots_stay_at_the_same_local_time_across_a_daylight_saving_change():
    # Spain moves to summer time on Sunday 29 March 2026: 09:00 local is 08:00 UTC, then 07:00 UTC.
    slots = madrid().free_slots(first_day=date(2026, 3, 28), last_day=date(2026, 3, 29), duration=HOUR * 3,
                                now=NOW, taken_units=set())
    assert slots == [datetime(2026, 3, 28, 8, tzinfo=UTC), datetime(2026, 3, 29, 7, tzinfo=UTC)]


def test_local_times_that_do_not_exist_are_skipped():
    # 02:00-03:00 does not exist in Madrid on 29 March 2026.
    schedule = madrid(weekly_hours={6: [WorkingRange(time(2), time(4))]})
    assert schedule.free_slots(first_day=date(2026, 3, 29), last_day=date(2026, 3, 29), duration=HOUR, now=NOW,
                               taken_units=set()) == []


def test_free_slots_respect_bookings_plus_buffer_and_time_off():
    schedule = madrid(buffer_minutes=30, weekly_hours={1: [WorkingRange(time(9), time(14))]})
    day = date(2026, 3, 10)  # a Tuesday, UTC+1: 09:00-14:00 local is 08:00-13:00 UTC
    booked = datetime(2026, 3, 10, 9, tzinfo=UTC)
    taken = set(reservation_units(booked, booked + HOUR, schedule.buffer))
    slots = schedule.free_slots(first_day=day, last_day=day, duration=HOUR, now=NOW, taken_units=taken)
    # Nothing before it (a job ending after 08:30 would eat into the buffer), and after it only
    # once its own 30-minute buffer is over.
    quarter = timedelta(minutes=15)
    assert slots == [datetime(2026, 3, 10, 10, 30, tzinfo=UTC) + i * quarter for i in range(7)]
    schedule.add_time_off(TimeOff("t1", datetime(2026, 3, 10, 10, tzinfo=UTC), datetime(2026, 3, 10, 11, tzinfo=UTC)))
    slots = schedule.free_slots(first_day=day, last_day=day, duration=HOUR, now=NOW, taken_units=taken)
    assert slots == [datetime(2026, 3, 10, 11, tzinfo=UTC) + i * quarter for i in range(5)]


def test_the_past_is_never_offered():
    schedule = madrid()
    now = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    slots = schedule.free_slots(first_day=date(2026, 3, 10), last_day=date(2026, 3, 10), duration=HOUR, now=now,
                                taken_units=set())
    assert slots[0] == datetime(2026, 3, 10, 9, 45, tzinfo=UTC)


@pytest.mark.parametrize(("start", "message"), [
    (datetime(2026, 3, 10, 7, 45, tzinfo=UTC), "does not work"),
    (datetime(2026, 3, 10, 10, 30, tzinfo=UTC), "does not work"),  # would end at 12:30 local
    (datetime(2026, 3, 10, 8, 10, tzinfo=UTC), "quarter hour"),
    (datetime(2026, 2, 27, 8, 0, tzinfo=UTC), "past"),
])
def test_a_booking_outside_working_hours_off_grid_or_in_the_past_is_refused(start, message):
    with pytest.raises(SlotNotAvailable, match=message):
        madrid().check_bookable(start, timedelta(hours=2), NOW)


def test_a_booking_in_time_off_is_refused():
    schedule = madrid(time_off=[TimeOff("t", datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC))])
    with pytest.raises(SlotNotAvailable, match="off"):
        schedule.check_bookable(datetime(2026, 3, 10, 8, tzinfo=UTC), HOUR, NOW)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"buffer_minutes": 7}, "buffer_minutes"),
    ({"weekly_hours": {0: [WorkingRange(time(9), time(12)), WorkingRange(time(11), time(13))]}}, "weekly_hours"),
    ({"weekly_hours": {7: [WorkingRange(time(9), time(12))]}}, "weekly_hours"),
])
def test_bad_schedules_are_refused_naming_the_field(overrides, field):
    with pytest.raises(ScheduleInvalid) as error:
        madrid(**overrides)
    assert error.value.field == field


def test_working_ranges_go_forward_on_the_quarter_hour():
    with pytest.raises(ScheduleInvalid):
        WorkingRange(time(12), time(9))
    with pytest.raises(ScheduleInvalid):
        WorkingRange(time(9, 5), time(12))
