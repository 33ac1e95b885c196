"""Orders and payments in one file: the orders the person bought or sold (with their payments,
refunds and invoices), the seller's calendar, and the seller's Square connection.

The two sides of an order get different copies. The buyer's has their address, notes and card,
and the seller by public name; the seller's has the job and the money, but not the buyer's name,
address, notes or card, which are the buyer's."""

from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.orders.use_cases import ExportOrdersData, OrderRecord
from application.payments.use_cases import ExportSquareConnectionData
from domain.orders.order import Order, Party
from domain.orders.schedule import SellerSchedule


def _common(order: Order) -> dict[str, Any]:
    service = order.service
    return {
        "id": order.id, "status": plain(order.status), "created_at": plain(order.created_at),
        "service": {"id": service.service_id, "title": service.title, "price_model": plain(service.price_model),
                    "price": plain(service.price), "duration_minutes": service.duration_minutes},
        "slot_start": plain(order.slot_start), "slot_end": plain(order.slot_end), "time_zone": order.time_zone,
        "breakdown": plain(order.breakdown), "captured": plain(order.captured),
        "refunds": [{"refund_id": r.refund_id, "amount": plain(r.amount), "status": r.status, "reason": r.reason,
                     "created_at": plain(r.created_at)} for r in order.refunds],
        "invoice": plain(order.invoice),
        # Who did what by side only: the other person's id is not theirs to learn from a copy.
        "timeline": [{"at": plain(e.at), "by": plain(e.party), "from_status": plain(e.from_status),
                      "to_status": plain(e.to_status), "action": e.action, "note": e.note} for e in order.timeline],
    }


def _as_buyer(record: OrderRecord) -> dict[str, Any]:
    order = record.order
    payment = order.payment
    return {
        **_common(order), "role": "buyer",
        "seller": {"id": order.seller_id, "name": record.seller_name},
        "address": order.address, "notes": order.notes, "quote_request": order.quote_request or None,
        "quote": ({"price": plain(order.quote.price), "offered_at": plain(order.quote.offered_at),
                   "revision": order.quote.revision} if order.quote else None),
        "payment": ({"payment_id": payment.payment_id, "status": payment.status, "amount": plain(payment.amount),
                     "card_brand": payment.card_brand, "card_last4": payment.card_last4} if payment else None),
    }


def _as_seller(record: OrderRecord) -> dict[str, Any]:
    order = record.order
    payment = order.payment
    return {
        **_common(order), "role": "seller",
        "quote": ({"price": plain(order.quote.price), "message": order.quote.message,
                   "offered_at": plain(order.quote.offered_at), "revision": order.quote.revision}
                  if order.quote else None),
        "payment": ({"payment_id": payment.payment_id, "status": payment.status, "amount": plain(payment.amount),
                     "platform_fee": plain(payment.app_fee)} if payment else None),
    }


def _schedule(schedule: SellerSchedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {"time_zone": schedule.time_zone, "buffer_minutes": schedule.buffer_minutes,
            "weekly_hours": {str(day): [{"start": plain(r.start), "end": plain(r.end)} for r in ranges]
                             for day, ranges in sorted(schedule.weekly_hours.items())},
            "time_off": [{"start": plain(t.start), "end": plain(t.end), "note": t.note} for t in schedule.time_off]}


class OrdersAndPaymentsDataSource:
    name = "orders_and_payments"
    contexts = ("orders", "payments")

    def __init__(self, orders: ExportOrdersData, square: ExportSquareConnectionData) -> None:
        self._orders = orders
        self._square = square

    def export(self, user_id: str) -> Any:
        data = self._orders.execute(user_id)
        connection = self._square.execute(user_id)
        return {
            "orders": [_as_buyer(r) if r.party is Party.BUYER else _as_seller(r) for r in data.orders],
            "availability": _schedule(data.schedule),
            # Tokens stay out even encrypted: they are Square's credentials, not the person's data.
            "square_connection": None if connection is None else {
                "merchant_id": connection.merchant_id, "status": plain(connection.status),
                "status_reason": connection.status_reason, "location_id": connection.location_id,
                "location_name": connection.location_name, "currency": connection.currency,
                "connected_at": plain(connection.connected_at), "updated_at": plain(connection.updated_at)},
        }
