"""The reviews' view of an order, read through the orders context's own port (never its
collections): who bought from whom, which service, and when it was completed."""

from __future__ import annotations

from application.orders.ports import OrderRepository
from application.reviews.ports import OrderFacts
from domain.orders.order import OrderStatus


class OrdersFacts:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    def facts(self, order_id: str) -> OrderFacts | None:
        order = self._orders.get(order_id)
        if order is None:
            return None
        completed_at = None
        if order.status is OrderStatus.COMPLETED:
            completed_at = next((entry.at for entry in reversed(order.timeline)
                                 if entry.to_status is OrderStatus.COMPLETED), order.created_at)
        return OrderFacts(order_id=order.id, buyer_id=order.buyer_id, seller_id=order.seller_id,
                          service_id=order.service.service_id, completed_at=completed_at)
