from __future__ import annotations

from mongoengine import BooleanField, DateTimeField, DictField, Document, IntField, ListField, StringField


class ConversationDocument(Document):
    id = StringField(primary_key=True)  # an order's thread has the order's id
    kind = StringField(required=True, choices=("inquiry", "order"))
    buyer_id = StringField(required=True)
    seller_id = StringField(required=True)
    service_id = StringField(required=True)
    order_id = StringField()  # null for inquiries
    created_at = DateTimeField(required=True)
    last_message_at = DateTimeField()
    last_activity_at = DateTimeField(required=True)  # the last message's time, or the creation's
    last_preview = StringField()
    buyer_unread = IntField(default=0)
    seller_unread = IntField(default=0)

    meta = {
        "collection": "conversations",
        "indexes": [
            # One inquiry per buyer and service (order_id is null for all of them); an order's
            # thread is unique by its _id already.
            {"fields": ["buyer_id", "service_id", "order_id"], "unique": True},
            # "My conversations", latest activity first: one index per side, merged by the server.
            {"fields": ["buyer_id", "-last_activity_at", "-_id"]},
            {"fields": ["seller_id", "-last_activity_at", "-_id"]},
        ],
        "auto_create_index": False,
    }


class MessageDocument(Document):
    id = StringField(primary_key=True)
    conversation_id = StringField(required=True)
    author_id = StringField(required=True)
    text = StringField(required=True)  # masked already when contacts were not to be shown
    image_urls = ListField(StringField())
    at = DateTimeField(required=True)
    masked = BooleanField(default=False)
    hidden = DictField()

    meta = {
        "collection": "messages",
        "indexes": [{"fields": ["conversation_id", "-at", "-_id"]}],  # a thread's page, newest first
        "auto_create_index": False,
    }


class MessageReportDocument(Document):
    id = StringField(primary_key=True)
    message_id = StringField(required=True)
    conversation_id = StringField(required=True)
    reporter_id = StringField(required=True)
    reason = StringField(required=True)
    at = DateTimeField(required=True)
    open = BooleanField(default=True)

    meta = {
        "collection": "message_reports",
        "indexes": [
            {"fields": ["message_id", "reporter_id"], "unique": True},
            {"fields": ["open", "-at", "-_id"]},
        ],
        "auto_create_index": False,
    }


CONVERSATIONS_DOCUMENTS = [ConversationDocument, MessageDocument, MessageReportDocument]
