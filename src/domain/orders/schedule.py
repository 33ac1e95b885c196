"""A seller's availability: weekly working hours in their own time zone, time off, and a buffer
between jobs. Everything is computed in the seller's zone and stored in UTC, so a slot at 09:00
stays at 09:00 local on both sides of a daylight-saving change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.orders.errors import ScheduleInvalid, SlotNotAvailable
from domain.orders.order import RESERVATION_UNIT, reservation_units

MAX_BUFFER_MINUTES = 240
MAX_RANGES_PER_DAY = 6
MAX_TIME_OFF = 200
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleInvalid(f"unknown time zone {name!r}; use an IANA name like Europe/Madrid",
                              field="time_zone") from None


@dataclass(frozen=True)
class WorkingRange:
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ScheduleInvalid("a working range must end after it starts", field="weekly_hours")
        for moment in (self.start, self.end):
            if moment.minute % 15 or moment.second or moment.microsecond:
                raise ScheduleInvalid("working hours go in steps of 15 minutes", field="weekly_hours")


@dataclass(frozen=True)
class TimeOff:
    id: str
    start: datetime  # UTC
    end: datetime  # UTC
    note: str = ""

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ScheduleInvalid("time off must end after it starts", field="end")


@dataclass
class SellerSchedule:
    seller_id: str
    time_zone: str
    buffer_minutes: int = 0
    weekly_hours: dict[int, list[WorkingRange]] = field(default_factory=dict)  # 0 = Monday
    time_off: list[TimeOff] = field(default_factory=list)
    version: int = 0

    def __post_init__(self) -> None:
        zone(self.time_zone)
        if not 0 <= self.buffer_minutes <= MAX_BUFFER_MINUTES or self.buffer_minutes % 5:
            raise ScheduleInvalid(f"buffer must be 0 to {MAX_BUFFER_MINUTES} minutes, in steps of 5",
                                  field="buffer_minutes")
        for weekday, ranges in self.weekly_hours.items():
            if weekday not in range(7):
                raise ScheduleInvalid("weekday must be 0 (Monday) to 6 (Sunday)", field="weekly_hours")
            if len(ranges) > MAX_RANGES_PER_DAY:
                raise ScheduleInvalid(f"at most {MAX_RANGES_PER_DAY} ranges a day", field="weekly_hours")
            ordered = sorted(ranges, key=lambda r: r.start)
            for before, after in zip(ordered, ordered[1:]):
                if after.start < before.end:
                    raise ScheduleInvalid(f"working ranges overlap on {WEEKDAYS[weekday]}", field="weekly_hours")
            self.weekly_hours[weekday] = ordered

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.time_zone)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def add_time_off(self, time_off: TimeOff) -> None:
        if len(self.time_off) >= MAX_TIME_OFF:
            raise ScheduleInvalid(f"at most {MAX_TIME_OFF} periods of time off", field="start")
        self.time_off.append(time_off)

    def remove_time_off(self, time_off_id: str) -> bool:
        before = len(self.time_off)
        self.time_off = [t for t in self.time_off if t.id != time_off_id]
        return len(self.time_off) < before

    def _local(self, day: date, moment: time) -> datetime | None:
        """The UTC instant of a local wall-clock time, or None when it does not exist that day
        (skipped by a spring-forward change). An ambiguous time takes its first occurrence."""
        local = datetime.combine(day, moment, tzinfo=self.zone)
        instant = local.astimezone(UTC)
        if instant.astimezone(self.zone).replace(tzinfo=None) != local.replace(tzinfo=None):
            return None
        return instant

    def day_windows(self, day: date) -> list[tuple[datetime, datetime]]:
        windows = []
        for working in self.weekly_hours.get(day.weekday(), []):
            start = self._local(day, working.start)
            end = self._local(day, working.end)
            if start is not None and end is not None:
                windows.append((start, end))
        return windows

    def _in_time_off(self, start: datetime, end: datetime) -> bool:
        return any(t.start < end and start < t.end for t in self.time_off)

    def free_slots(self, *, first_day: date, last_day: date, duration: timedelta, now: datetime,
                   taken_units: set[datetime]) -> list[datetime]:
        """Starts (UTC) of every free slot of ``duration`` between two local dates, inclusive.
        A slot is free when it lies inside working hours, outside time off, in the future, and
        its units (the job plus the buffer after it) are not held by another booking."""
        slots = []
        day = first_day
        while day <= last_day:
            for window_start, window_end in self.day_windows(day):
                start = window_start
                while start + duration <= window_end:
                    end = start + duration
                    if (start > now and not self._in_time_off(start, end)
                            and not taken_units.intersection(reservation_units(start, end, self.buffer))):
                        slots.append(start)
                    start += RESERVATION_UNIT
            day += timedelta(days=1)
        return slots

    def check_bookable(self, start: datetime, duration: timedelta, now: datetime) -> None:
        """Refuse a start outside working hours, in time off, in the past or off the 15-minute grid.
        Whether another booking holds it is decided by the database, not here."""
        if start <= now:
            raise SlotNotAvailable("that time is in the past", field="start")
        if start.minute % 15 or start.second or start.microsecond:
            raise SlotNotAvailable("bookings start on the quarter hour", field="start")
        end = start + duration
        local_day = start.astimezone(self.zone).date()
        inside = any(ws <= start and end <= we for day in (local_day - timedelta(days=1), local_day)
                     for ws, we in self.day_windows(day))
        if not inside:
            raise SlotNotAvailable("the seller does not work at that time", field="start")
        if self._in_time_off(start, end):
            raise SlotNotAvailable("the seller is off at that time", field="start")
