"""The conversations' view of orders, through the orders context's own port and use case (never its
collections): who the two people are, and whether contact details may be shown. "Contacts
visible" is the fact the orders' GET already uses to show each side the other's contact."""

from __future__ import annotations

from application.conversations.ports import ContactDetails, OrderParties
from application.orders.ports import OrderRepository
from application.orders.use_cases import GetOrder
from domain.orders.order import AFTER_CAPTURE
from domain.shared.access import Actor
from domain.shared.errors import NotFound


class OrdersBridge:
    def __init__(self, orders: OrderRepository, get_order: GetOrder) -> None:
        self._orders = orders
        self._get_order = get_order

    def parties(self, order_id: str) -> OrderParties | None:
        order = self._orders.get(order_id)
        if order is None:
            return None
        return OrderParties(order_id=order.id, buyer_id=order.buyer_id, seller_id=order.seller_id,
                            service_id=order.service.service_id, contacts_visible=order.status in AFTER_CAPTURE)

    def counterpart_contact(self, actor: Actor, order_id: str) -> ContactDetails | None:
        try:
            contact = self._get_order.execute(actor, order_id).counterpart
        except NotFound:
            return None
        return ContactDetails(name=contact.name, email=contact.email, phone=contact.phone) if contact else None
