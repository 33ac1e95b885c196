"""The payments context's MoneyInFlight on the orders context: payments belong to orders, and only
the orders context knows which are still open."""

from __future__ import annotations

from application.orders.use_cases import FindSellersMoneyInFlight


class OrdersMoneyInFlight:
    def __init__(self, find: FindSellersMoneyInFlight) -> None:
        self._find = find

    def order_ids(self, seller_id: str) -> list[str]:
        return self._find.execute(seller_id)
