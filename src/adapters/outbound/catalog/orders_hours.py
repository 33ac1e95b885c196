"""The catalog's ``SellerHours`` port, answered by the orders context's use cases: a profile shows
the schedule bookings use, and the catalog never reads the orders' collections."""

from __future__ import annotations

from datetime import time

from application.catalog.ports import BookableHours
from application.orders.use_cases import AdoptWeeklyHours, GetBookableHours
from domain.catalog.profile import Weekday, WorkingHours

_DAYS = list(Weekday)  # mon..sun, as the schedule's weekdays 0..6


class OrdersSellerHours:
    def __init__(self, get: GetBookableHours, adopt: AdoptWeeklyHours) -> None:
        self._get = get
        self._adopt = adopt

    def of(self, seller_id: str) -> BookableHours | None:
        schedule = self._get.execute(seller_id)
        if schedule is None:
            return None
        hours = [WorkingHours(_DAYS[day], r.start.strftime("%H:%M"), r.end.strftime("%H:%M"))
                 for day in sorted(schedule.weekly_hours) for r in schedule.weekly_hours[day]]
        return BookableHours(schedule.time_zone, hours)

    def adopt(self, seller_id: str, hours: list[WorkingHours], time_zone: str) -> bool:
        weekly: dict[int, list[tuple[time, time]]] = {}
        for h in hours:
            opens, closes = time.fromisoformat(h.opens), time.fromisoformat(h.closes)
            weekly.setdefault(_DAYS.index(h.day), []).append((opens, closes))
        return self._adopt.execute(seller_id, time_zone, weekly)
