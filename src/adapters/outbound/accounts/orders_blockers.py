"""The accounts context's ErasureBlockers on the orders context: open orders and pending payments
live there (payments are an order's; the payments context holds Square connections only)."""

from __future__ import annotations

from application.orders.use_cases import FindErasureBlockers


class OrdersErasureBlockers:
    def __init__(self, find: FindErasureBlockers) -> None:
        self._find = find

    def reasons(self, user_id: str) -> list[str]:
        return self._find.execute(user_id)
