"""A seller's free time on one local day, summarised so search can ask "who can come then" with
one lookup instead of computing slots for every candidate. The summary is exact: a job of
``d`` minutes can start in a part of the day iff ``longest[part] >= d``, by the same rules as
``SellerSchedule.free_slots`` (working hours, time off, bookings with their buffer, not past)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.orders.order import RESERVATION_UNIT
from domain.orders.schedule import SellerSchedule


class PartOfDay(StrEnum):
    """By the local hour a job starts: before 12:00, 12:00 to 17:59, from 18:00."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @classmethod
    def of_hour(cls, hour: int) -> PartOfDay:
        if hour < 12:
            return cls.MORNING
        return cls.AFTERNOON if hour < 18 else cls.EVENING


@dataclass(frozen=True)
class DayFreeTime:
    seller_id: str
    day: date  # the seller's local date
    time_zone: str
    # Per part of the day: the longest job (minutes) that can start then, and the free minutes.
    longest: dict[PartOfDay, int]
    free_minutes: dict[PartOfDay, int]

    @property
    def longest_any(self) -> int:
        return max(self.longest.values(), default=0)

    def longest_in(self, part: PartOfDay | None) -> int:
        return self.longest_any if part is None else self.longest.get(part, 0)


def _longest_from(start: datetime, window_end: datetime, schedule: SellerSchedule,
                  taken_after: list[datetime]) -> timedelta:
    """The longest job that can start at ``start`` (zero when none can)."""
    limit = window_end - start
    for off in schedule.time_off:
        if off.start <= start < off.end:
            return timedelta(0)
        if off.start > start:
            limit = min(limit, off.start - start)
    # A job holds its units and the buffer after it: a taken unit u leaves room for u - start - buffer.
    for unit in taken_after:
        if unit >= start:
            limit = min(limit, unit - start - schedule.buffer)
            break
    return max(limit, timedelta(0))


def summarize_day(schedule: SellerSchedule, day: date, *, now: datetime, taken_units: set[datetime]) -> DayFreeTime:
    taken = sorted(taken_units)
    longest = {part: 0 for part in PartOfDay}
    free = {part: 0 for part in PartOfDay}
    local_zone = schedule.zone
    for window_start, window_end in schedule.day_windows(day):
        start = window_start
        while start < window_end:
            part = PartOfDay.of_hour(start.astimezone(local_zone).hour)
            if start > now:
                minutes = int(_longest_from(start, window_end, schedule, taken).total_seconds() // 60)
                longest[part] = max(longest[part], minutes)
                unit_end = min(start + RESERVATION_UNIT, window_end)
                if (start not in taken_units and
                        not any(t.start < unit_end and start < t.end for t in schedule.time_off)):
                    free[part] += int((unit_end - start).total_seconds() // 60)
            start += RESERVATION_UNIT
    return DayFreeTime(seller_id=schedule.seller_id, day=day, time_zone=schedule.time_zone,
                       longest=longest, free_minutes=free)
