from __future__ import annotations

from mongoengine import (
    DateTimeField,
    Document,
    DynamicField,
    IntField,
    ListField,
    StringField,
)


class SupportRequestDocument(Document):
    id = StringField(primary_key=True)
    user_id = StringField(required=True)
    category = StringField(required=True)
    subject = StringField(required=True)
    description = StringField(required=True)
    order_id = StringField()
    page_url = StringField()
    submitted_at = DateTimeField(required=True)

    meta = {
        "collection": "support_requests",
        # "My requests", newest first.
        "indexes": [{"fields": ["user_id", "-submitted_at"]}],
        "auto_create_index": False,
    }


class TicketDocument(Document):
    # The support request's id: a redelivered event cannot open a second ticket.
    id = StringField(primary_key=True)
    user_id = StringField(required=True)
    category = StringField(required=True)
    subject = StringField(required=True)
    description = StringField(required=True)
    order_id = StringField()
    page_url = StringField()
    priority = StringField(required=True)
    # Stored beside the priority so the queue sorts on an index: high (0) before low (2).
    priority_rank = IntField(required=True)
    status = StringField(required=True)
    assignee_id = StringField()
    submitted_at = DateTimeField(required=True)
    opened_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    resolved_at = DateTimeField()
    replies = ListField(DynamicField())
    version = IntField(default=0)

    meta = {
        "collection": "support_tickets",
        # The queue is always sorted by (priority_rank, opened_at); each filter leads an index.
        "indexes": [
            {"fields": ["priority_rank", "opened_at"]},
            {"fields": ["status", "priority_rank", "opened_at"]},
            {"fields": ["assignee_id", "status", "priority_rank", "opened_at"]},
            {"fields": ["category", "status", "priority_rank", "opened_at"]},
        ],
        "auto_create_index": False,
    }


SUPPORT_DOCUMENTS = [SupportRequestDocument, TicketDocument]
