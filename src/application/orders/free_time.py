"""Keeps each seller's per-day free-time summary up to date. Every change that can move a
seller's free time goes through an order repository's ``add``/``save`` (a slot reserved or
released) or a schedule repository's ``save`` (hours, buffer, time off), so the two repositories
are wrapped here rather than every use case remembering to refresh: a new use case that books or
releases a slot cannot forget it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from application.orders.ports import (
    FreeTimeSummaries,
    OrderPolicy,
    OrderRepository,
    ScheduleRepository,
)
from application.shared.pagination import Page, PageRequest
from application.shared.ports import Clock
from domain.orders.free_time import summarize_day
from domain.orders.order import Order, OrderStatus
from domain.orders.schedule import SellerSchedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FreeTimeKeeper:
    schedules: ScheduleRepository
    orders: OrderRepository
    summaries: FreeTimeSummaries
    clock: Clock
    policy: OrderPolicy

    def refresh(self, seller_id: str, first_day: date | None = None, last_day: date | None = None) -> int:
        """Recompute the seller's summaries for the local days given, clipped to the kept window
        (today to ``free_time_days`` ahead, in the seller's zone); how many days were written."""
        schedule = self.schedules.get(seller_id)
        if schedule is None:
            return 0
        now = self.clock.now()
        today = now.astimezone(schedule.zone).date()
        first = max(first_day or today, today)
        last = min(last_day or today + timedelta(days=self.policy.free_time_days),
                   today + timedelta(days=self.policy.free_time_days))
        if last < first:
            return 0
        taken = self.orders.taken_units(seller_id, *_utc_span(schedule, first, last))
        days = []
        day = first
        while day <= last:
            days.append(summarize_day(schedule, day, now=now, taken_units=taken))
            day += timedelta(days=1)
        self.summaries.put(days)
        return len(days)

    def refresh_slot(self, order: Order) -> None:
        """After a slot was reserved or released: the local days it touches, and the day before,
        whose late jobs' buffers may reach into it."""
        schedule = self.schedules.get(order.seller_id)
        if schedule is None:
            return
        local = schedule.zone
        first = order.slot_start.astimezone(local).date()
        last = (order.slot_end + timedelta(minutes=order.buffer_minutes)).astimezone(local).date()
        self.refresh(order.seller_id, first - timedelta(days=1), last)

    def refresh_quietly(self, action: Callable[..., object], *args: object) -> None:
        # The booking or schedule change is already stored; a failed refresh must not undo the
        # answer. The daily ``refresh-free-time`` run repairs the summary.
        try:
            action(*args)
        except Exception:
            log.exception("could not refresh a seller's free-time summary")


def _utc_span(schedule: SellerSchedule, first: date, last: date) -> tuple[datetime, datetime]:
    """The local days' span in UTC, widened a day each side for zones far from UTC."""
    start = datetime.combine(first - timedelta(days=1), time(), tzinfo=schedule.zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=2), time(), tzinfo=schedule.zone).astimezone(UTC)
    return start, end


class FreeTimeTrackingOrders:
    """An ``OrderRepository`` that refreshes the seller's summary after a slot changes."""

    def __init__(self, inner: OrderRepository, keeper: FreeTimeKeeper) -> None:
        self._inner = inner
        self._keeper = keeper

    def add(self, order: Order) -> None:
        changes_slot = order.slot_change is not None
        self._inner.add(order)
        if changes_slot:
            self._keeper.refresh_quietly(self._keeper.refresh_slot, order)

    def save(self, order: Order) -> None:
        changes_slot = order.slot_change is not None
        self._inner.save(order)
        if changes_slot:
            self._keeper.refresh_quietly(self._keeper.refresh_slot, order)

    def get(self, order_id: str) -> Order | None:
        return self._inner.get(order_id)

    def find_by_payment_id(self, payment_id: str) -> Order | None:
        return self._inner.find_by_payment_id(payment_id)

    def find_by_invoice_id(self, invoice_id: str) -> Order | None:
        return self._inner.find_by_invoice_id(invoice_id)

    def list_for(self, *, buyer_id: str | None = None, seller_id: str | None = None,
                 statuses: list[OrderStatus] | None = None, page: PageRequest,
                 with_timeline: bool = False) -> Page[Order]:
        return self._inner.list_for(buyer_id=buyer_id, seller_id=seller_id, statuses=statuses, page=page,
                                    with_timeline=with_timeline)

    def taken_units(self, seller_id: str, start: datetime, end: datetime) -> set[datetime]:
        return self._inner.taken_units(seller_id, start, end)

    def claim_due(self, *, now: datetime, lease: timedelta, owner: str) -> str | None:
        return self._inner.claim_due(now=now, lease=lease, owner=owner)


class FreeTimeTrackingSchedules:
    """A ``ScheduleRepository`` that recomputes the seller's whole window after a change."""

    def __init__(self, inner: ScheduleRepository, keeper: FreeTimeKeeper) -> None:
        self._inner = inner
        self._keeper = keeper

    def get(self, seller_id: str) -> SellerSchedule | None:
        return self._inner.get(seller_id)

    def save(self, schedule: SellerSchedule) -> None:
        self._inner.save(schedule)
        self._keeper.refresh_quietly(self._keeper.refresh, schedule.seller_id)

    def seller_ids(self) -> list[str]:
        return self._inner.seller_ids()
