from __future__ import annotations

from mongoengine import DateTimeField, DictField, Document, StringField


class NotificationDocument(Document):
    id = StringField(primary_key=True)
    recipient_id = StringField(required=True)
    event_id = StringField(required=True)
    event_name = StringField(required=True)
    title = StringField(required=True)
    body = StringField()
    data = DictField()
    created_at = DateTimeField(required=True)
    read_at = DateTimeField()

    meta = {
        "collection": "notifications",
        "indexes": [
            # One item per (event, recipient), however often Kafka redelivers the event.
            {"fields": ["event_id", "recipient_id"], "unique": True},
            # The inbox, newest first.
            {"fields": ["recipient_id", "-created_at"]},
            # The unread count and the unread-only inbox.
            {"fields": ["recipient_id", "read_at", "-created_at"]},
        ],
        "auto_create_index": False,
    }


NOTIFICATIONS_DOCUMENTS = [NotificationDocument]
