"""The support context's RequesterOrders on the orders context, through its own use case."""

from __future__ import annotations

from application.orders.use_cases import IsPartyToOrder


class OrdersRequesterOrders:
    def __init__(self, is_party: IsPartyToOrder) -> None:
        self._is_party = is_party

    def is_party(self, order_id: str, user_id: str) -> bool:
        return self._is_party.execute(order_id, user_id)
