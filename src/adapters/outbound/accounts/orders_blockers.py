"""The accounts context's ErasureBlockers on the orders context: open orders and pending payments
live there (payments are an order's; the payments context holds Square connections only)."""

from __future__ import annotations

from application.orders.use_cases import FindErasureBlockers
from domain.shared.erasure import ErasureBlocker


class OrdersErasureBlockers:
    def __init__(self, find: FindErasureBlockers) -> None:
        self._find = find

    def find(self, user_id: str) -> list[ErasureBlocker]:
        return self._find.execute(user_id)
