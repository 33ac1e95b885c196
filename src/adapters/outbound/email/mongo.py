"""Sent-mail records in MongoDB, keyed by the ``email.requested`` event's id."""

from __future__ import annotations

from datetime import datetime

from mongoengine import DateTimeField, Document, StringField
from pymongo.errors import DuplicateKeyError


class SentEmailDocument(Document):
    id = StringField(primary_key=True)  # the event id
    template = StringField(required=True)
    sent_at = DateTimeField(required=True)

    meta = {
        "collection": "sent_emails",
        # Redeliveries come within days at most; a year of records is plenty to ignore them.
        "indexes": [{"fields": ["sent_at"], "expireAfterSeconds": 365 * 86_400}],
        "auto_create_index": False,
    }


EMAIL_DOCUMENTS = [SentEmailDocument]


class MongoSentEmails:
    def _collection(self):
        return SentEmailDocument._get_collection()

    def was_sent(self, event_id: str) -> bool:
        return self._collection().count_documents({"_id": event_id}, limit=1) > 0

    def mark_sent(self, event_id: str, template: str, at: datetime) -> None:
        try:
            self._collection().insert_one({"_id": event_id, "template": template, "sent_at": at})
        except DuplicateKeyError:
            pass  # a redelivery sent it again: the first record stands
