from __future__ import annotations

from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from adapters.inbound.http.schemas import MoneyOutSchema, MoneySchema, PatchSchema
from application.orders.use_cases import EXTRA_ACTIONS
from domain.orders.order import MAX_ADDRESS, MAX_NOTES, SYSTEM_ONLY, TIMELINE_KINDS, Action, OrderStatus
from domain.orders.schedule import MAX_BUFFER_MINUTES, WEEKDAYS

ID = validate.Length(min=1, max=64)


class BookSchema(Schema):
    service_id = fields.String(required=True, validate=ID)
    start = fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with offset; quarter hours"})
    address = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ADDRESS))
    notes = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES))
    duration_minutes = fields.Integer(strict=True, validate=validate.Range(min=15, max=720),
                                      metadata={"description": "hourly services only; defaults to the service's"})


class QuoteRequestSchema(Schema):
    start = fields.AwareDateTime(required=True)
    address = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ADDRESS))
    notes = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES))
    message = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTES),
                            metadata={"description": "what the job is, for the seller to price it"})


class PaySchema(Schema):
    source_id = fields.String(required=True, validate=validate.Length(min=1, max=255),
                              metadata={"description": "the card token from Square's Web Payments SDK"})


class OfferQuoteSchema(Schema):
    price = fields.Nested(MoneySchema, required=True)
    message = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES))


class ReasonSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class RefundSchema(Schema):
    amount = fields.Nested(MoneySchema, metadata={"description": "defaults to everything still refundable"})
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class ServiceOutSchema(Schema):
    service_id = fields.String()
    seller_id = fields.String()
    title = fields.String()
    price_model = fields.Function(lambda s: s.price_model.value)
    price = fields.Nested(MoneyOutSchema, allow_none=True)
    duration_minutes = fields.Integer()


class BreakdownSchema(Schema):
    subtotal = fields.Nested(MoneyOutSchema)
    fee = fields.Nested(MoneyOutSchema, metadata={"description": "the platform's commission"})
    seller_receives = fields.Nested(MoneyOutSchema)
    total = fields.Nested(MoneyOutSchema, metadata={"description": "what the buyer pays, all included (the "
                                                                   "commission comes out of the seller's share)"})


class QuoteOutSchema(Schema):
    price = fields.Nested(MoneyOutSchema)
    message = fields.String()
    offered_at = fields.DateTime()
    revision = fields.Integer()


class PaymentOutSchema(Schema):
    status = fields.String()
    amount = fields.Nested(MoneyOutSchema)
    card_brand = fields.String(allow_none=True)
    card_last4 = fields.String(allow_none=True)


class RefundOutSchema(Schema):
    refund_id = fields.String()
    amount = fields.Nested(MoneyOutSchema)
    app_fee = fields.Nested(MoneyOutSchema, metadata={"description": "commission given back with it"})
    status = fields.String()
    reason = fields.String()
    created_at = fields.DateTime()


class InvoiceOutSchema(Schema):
    invoice_id = fields.String()
    status = fields.String()
    public_url = fields.String(allow_none=True)
    issued_at = fields.DateTime()


class TimelineEntrySchema(Schema):
    at = fields.DateTime()
    actor_id = fields.String()
    party = fields.Function(lambda t: t.party.value)
    from_status = fields.Function(lambda t: t.from_status.value if t.from_status else None, data_key="from")
    to_status = fields.Function(lambda t: t.to_status.value, data_key="to")
    action = fields.String(validate=validate.OneOf(TIMELINE_KINDS),
                           metadata={"description": "what happened; pages word each kind themselves"})
    note = fields.String(metadata={"description": "a person's reason (decline, cancel...) or a remark for support"})
    amount = fields.Nested(MoneyOutSchema, allow_none=True,
                           metadata={"description": "the money this step held, charged, refunded or quoted"})


ORDER_ACTIONS = [action.value for action in Action if action not in SYSTEM_ONLY] + list(EXTRA_ACTIONS)


class ContactSchema(Schema):
    name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)


def _slot(order) -> dict:
    local = ZoneInfo(order.time_zone)
    return {"start": order.slot_start.isoformat(), "end": order.slot_end.isoformat(), "time_zone": order.time_zone,
            "local_start": order.slot_start.astimezone(local).isoformat(),
            "local_end": order.slot_end.astimezone(local).isoformat()}


class OrderSummarySchema(Schema):
    id = fields.String()
    status = fields.Function(lambda o: o.status.value)
    buyer_id = fields.String()
    seller_id = fields.String()
    service = fields.Nested(ServiceOutSchema)
    slot = fields.Function(_slot)
    breakdown = fields.Nested(BreakdownSchema, allow_none=True)
    deadline = fields.Function(lambda o: {"kind": o.deadline.kind.value, "at": o.deadline.at.isoformat()}
                               if o.deadline else None)
    created_at = fields.DateTime()
    version = fields.Integer()


class OrderSchema(OrderSummarySchema):
    address = fields.String()
    notes = fields.String()
    quote_request = fields.String()
    quote = fields.Nested(QuoteOutSchema, allow_none=True)
    payment = fields.Nested(PaymentOutSchema, allow_none=True)
    captured = fields.Nested(MoneyOutSchema, allow_none=True)
    refunded = fields.Function(lambda o: o.refunded.to_dict() if o.captured else None)
    refunds = fields.List(fields.Nested(RefundOutSchema))
    invoice = fields.Nested(InvoiceOutSchema, allow_none=True)
    timeline = fields.List(fields.Nested(TimelineEntrySchema))


class CancellationPolicySchema(Schema):
    """The cancellation policy, for pages to put in words (they never compute a refund themselves)."""

    full_refund_before_minutes = fields.Function(lambda p: int(p.full_refund_before.total_seconds() // 60),
                                                 metadata={"description": "a buyer cancelling this long before "
                                                                          "the start gets everything back"})
    late_refund_percent = fields.Integer(metadata={"description": "what a buyer gets back after that"})


class CancellationTermsSchema(Schema):
    charged = fields.Nested(MoneyOutSchema, allow_none=True,
                            metadata={"description": "charged and not yet refunded; null before capture"})
    refund = fields.Nested(MoneyOutSchema, allow_none=True,
                           metadata={"description": "what cancelling now gives back; null before capture"})
    kept = fields.Nested(MoneyOutSchema, allow_none=True, metadata={"description": "charged minus refund"})
    held = fields.Nested(MoneyOutSchema, allow_none=True,
                         metadata={"description": "a card hold that cancelling releases (nothing was charged)"})
    full_refund_until = fields.DateTime(metadata={"description": "until when a buyer gets everything back"})


class OrderViewSchema(Schema):
    """An order as one of its sides (or support) sees it."""

    order = fields.Nested(OrderSchema)
    viewer = fields.Function(lambda v: v.viewer.value, metadata={"description": "buyer, seller or staff"})
    counterpart = fields.Nested(ContactSchema, allow_none=True,
                                metadata={"description": "the other side's contact, once the job is accepted"})
    actions = fields.List(fields.String(validate=validate.OneOf(ORDER_ACTIONS)), metadata={
        "description": "what the viewer may do now, as the server would accept it; a client shows these "
                       "instead of copying the order's rules"})
    cancellation = fields.Nested(CancellationTermsSchema, allow_none=True,
                                 metadata={"description": "what cancelling now would give back to the viewer, "
                                                          "by the policy; null when the viewer cannot cancel"})
    cancellation_policy = fields.Nested(CancellationPolicySchema, attribute="policy", allow_none=True)


class BookingTermsQuerySchema(Schema):
    start = fields.AwareDateTime(metadata={"description": "the slot asked about, to say until when a "
                                                          "cancellation is free"})
    duration_minutes = fields.Integer(strict=False, validate=validate.Range(min=15, max=720),
                                      metadata={"description": "hourly services only"})


class BookingTermsSchema(Schema):
    """What a booking costs (with the platform's fee) and the cancellation policy, before paying."""

    breakdown = fields.Nested(BreakdownSchema, allow_none=True,
                              metadata={"description": "null for a service priced by quote"})
    cancellation_policy = fields.Nested(CancellationPolicySchema, attribute="policy")
    full_refund_until = fields.DateTime(allow_none=True)


class OrderPageSchema(Schema):
    items = fields.List(fields.Nested(OrderSummarySchema))
    total = fields.Integer()
    page = fields.Function(lambda p: p.request.page)
    page_size = fields.Function(lambda p: p.request.page_size)
    total_pages = fields.Integer()


class OrderListQuerySchema(Schema):
    role = fields.String(load_default="buyer", validate=validate.OneOf(["buyer", "seller"]))
    status = fields.List(fields.Enum(OrderStatus, by_value=True), load_default=list)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SlotsQuerySchema(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)


class SlotSchema(Schema):
    start = fields.DateTime()
    end = fields.DateTime()
    time_zone = fields.String()
    local_start = fields.Function(lambda s: s.start.astimezone(ZoneInfo(s.time_zone)).isoformat())
    local_end = fields.Function(lambda s: s.end.astimezone(ZoneInfo(s.time_zone)).isoformat())


class WorkingRangeSchema(Schema):
    weekday = fields.String(required=True, validate=validate.OneOf(WEEKDAYS))
    start = fields.Time(required=True, metadata={"description": "HH:MM local time, quarter hours"})
    end = fields.Time(required=True)


class AvailabilityInSchema(Schema):
    time_zone = fields.String(required=True, validate=validate.Length(min=1, max=64),
                              metadata={"description": "IANA zone, e.g. Europe/Madrid"})
    buffer_minutes = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=MAX_BUFFER_MINUTES))
    weekly_hours = fields.List(fields.Nested(WorkingRangeSchema), required=True, validate=validate.Length(max=42))


class AvailabilityPatchSchema(PatchSchema, AvailabilityInSchema):
    """Every field optional and none nullable: only the fields sent change (time off has its own routes)."""


class TimeOffInSchema(Schema):
    start = fields.AwareDateTime(required=True)
    end = fields.AwareDateTime(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))


class TimeOffSchema(Schema):
    id = fields.String()
    start = fields.DateTime()
    end = fields.DateTime()
    note = fields.String()


def _weekly(schedule) -> list[dict]:
    return [{"weekday": WEEKDAYS[day], "start": r.start.strftime("%H:%M"), "end": r.end.strftime("%H:%M")}
            for day in sorted(schedule.weekly_hours) for r in schedule.weekly_hours[day]]


class AvailabilitySchema(Schema):
    time_zone = fields.String()
    buffer_minutes = fields.Integer()
    weekly_hours = fields.Function(_weekly)
    time_off = fields.List(fields.Nested(TimeOffSchema))
