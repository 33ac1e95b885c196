"""The catalog's ``SellerAvailability`` port, answered by the orders context's use case: the
catalog never reads the orders' collections."""

from __future__ import annotations

from datetime import date

from application.orders.use_cases import GetSellersFreeTime


class OrdersSellerAvailability:
    def __init__(self, free_time: GetSellersFreeTime) -> None:
        self._free_time = free_time

    def longest_free(self, day: date, part_of_day: str | None) -> dict[str, int]:
        return self._free_time.execute(day, part_of_day)
