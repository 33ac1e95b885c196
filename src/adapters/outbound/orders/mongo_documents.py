"""The orders context's collections. The repositories read and write them with pymongo through
``_get_collection()`` and explicit mappers; these classes declare the shape and the indexes."""

from __future__ import annotations

from mongoengine import DateTimeField, DictField, Document, IntField, ListField, StringField


class OrderDocument(Document):
    id = StringField(primary_key=True)
    buyer_id = StringField(required=True)
    seller_id = StringField(required=True)
    service = DictField(required=True)
    slot_start = DateTimeField(required=True)
    slot_end = DateTimeField(required=True)
    time_zone = StringField(required=True)
    buffer_minutes = IntField(default=0)
    address = StringField()
    notes = StringField()
    status = StringField(required=True)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField()
    breakdown = DictField()
    quote_request = StringField()
    quote = DictField()
    payment = DictField()
    payment_id = StringField()  # copied out of ``payment`` for the webhooks' lookup
    captured = DictField()
    refunds = ListField(DictField())
    invoice = DictField()
    invoice_id = StringField()
    # Embedded so the order's page is one read, whatever its history.
    timeline = ListField(DictField())
    next_deadline_at = DateTimeField()
    deadline_kind = StringField()
    lease_until = DateTimeField()
    lease_owner = StringField()
    version = IntField(default=0)

    meta = {
        "collection": "orders",
        "indexes": [
            # "Follow my service" and the job board: one side's orders, by status, newest first.
            ("buyer_id", "-created_at"),
            ("buyer_id", "status", "-created_at"),
            ("seller_id", "-created_at"),
            ("seller_id", "status", "-created_at"),
            # The scheduler's query: deadlines that have passed, earliest first.
            {"fields": ["next_deadline_at"], "sparse": True},
            {"fields": ["payment_id"], "sparse": True},
            {"fields": ["invoice_id"], "sparse": True},
        ],
        "auto_create_index": False,
    }


class SlotReservationDocument(Document):
    """One document per 15-minute unit a booking holds. The unique index is what makes double
    booking impossible: two transactions inserting the same unit cannot both commit."""

    seller_id = StringField(required=True)
    unit_start = DateTimeField(required=True)
    order_id = StringField(required=True)

    meta = {
        "collection": "slot_reservations",
        "indexes": [
            {"fields": ["seller_id", "unit_start"], "unique": True},
            "order_id",
        ],
        "auto_create_index": False,
    }


class SellerScheduleDocument(Document):
    id = StringField(primary_key=True)  # the seller's user id
    time_zone = StringField(required=True)
    buffer_minutes = IntField(default=0)
    weekly_hours = DictField()
    time_off = ListField(DictField())
    version = IntField(default=0)

    meta = {"collection": "seller_schedules", "indexes": [], "auto_create_index": False}


class IdempotencyRecordDocument(Document):
    id = StringField(primary_key=True)  # a hash of (user, route, Idempotency-Key)
    fingerprint = StringField(required=True)
    state = StringField(required=True)
    response_status = IntField()
    response_body = StringField()
    response_location = StringField(null=True)
    locked_until = DateTimeField()
    created_at = DateTimeField(required=True)

    meta = {
        "collection": "idempotency_records",
        # A retry comes within minutes; a day is plenty, then the server removes the record.
        "indexes": [{"fields": ["created_at"], "expireAfterSeconds": 24 * 3600}],
        "auto_create_index": False,
    }


class SellerFreeTimeDocument(Document):
    """One per seller and local day: what search reads to answer "who can come that day"."""

    id = StringField(primary_key=True)  # "<seller_id>:<YYYY-MM-DD>"
    seller_id = StringField(required=True)
    date = StringField(required=True)  # the seller's local date, ISO
    time_zone = StringField(required=True)
    longest_any = IntField(required=True)
    longest = DictField()  # part of day -> minutes
    free_minutes = DictField()  # part of day -> minutes

    # Search asks for one date and every seller free then: the date alone narrows to one day's
    # documents (one per seller), and the minutes are checked on those.
    meta = {"collection": "seller_free_time", "indexes": [{"fields": ["date", "-longest_any"]}],
            "auto_create_index": False}


ORDERS_DOCUMENTS = [OrderDocument, SlotReservationDocument, SellerScheduleDocument, IdempotencyRecordDocument,
                    SellerFreeTimeDocument]
