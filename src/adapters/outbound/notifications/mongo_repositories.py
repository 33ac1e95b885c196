from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import BulkWriteError

from adapters.outbound.notifications.mongo_documents import NotificationDocument
from application.shared.pagination import Page, PageRequest
from domain.notifications.notification import Notification
from domain.shared.clock import utc

DUPLICATE_KEY = 11000


def _to_raw(notification: Notification) -> dict[str, Any]:
    return NotificationDocument(id=notification.id, recipient_id=notification.recipient_id,
                                event_id=notification.event_id, event_name=notification.event_name,
                                title=notification.title, body=notification.body, data=notification.data,
                                created_at=notification.created_at,
                                read_at=notification.read_at).to_mongo().to_dict()


def _from_raw(raw: dict[str, Any]) -> Notification:
    return Notification(id=raw["_id"], recipient_id=raw["recipient_id"], event_id=raw["event_id"],
                        event_name=raw["event_name"], title=raw["title"], body=raw.get("body") or "",
                        created_at=utc(raw["created_at"]), data=raw.get("data") or {},
                        read_at=utc(raw["read_at"]) if raw.get("read_at") else None)


class MongoNotificationInbox:
    def _collection(self):
        return NotificationDocument._get_collection()

    def add_many(self, notifications: list[Notification]) -> int:
        if not notifications:
            return 0
        try:
            result = self._collection().insert_many([_to_raw(n) for n in notifications], ordered=False)
            return len(result.inserted_ids)
        except BulkWriteError as error:
            # Duplicates are the redelivery case and are expected; anything else is a real failure.
            if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
                raise
            return error.details.get("nInserted", 0)

    def page_for(self, recipient_id: str, page: PageRequest, *, unread_only: bool = False) -> Page[Notification]:
        query: dict[str, Any] = {"recipient_id": recipient_id}
        if unread_only:
            query["read_at"] = None
        raws = (self._collection().find(query).sort([("created_at", -1), ("_id", -1)])
                .skip(page.offset).limit(page.page_size))
        return Page(items=[_from_raw(r) for r in raws], total=self._collection().count_documents(query),
                    request=page)

    def unread_count(self, recipient_id: str) -> int:
        return self._collection().count_documents({"recipient_id": recipient_id, "read_at": None})

    def mark_read(self, recipient_id: str, notification_id: str, now: datetime) -> Notification | None:
        collection = self._collection()
        raw = collection.find_one_and_update({"_id": notification_id, "recipient_id": recipient_id, "read_at": None},
                                             {"$set": {"read_at": now}}, return_document=ReturnDocument.AFTER)
        if raw is None:
            # Already read, or not this person's: the caller tells them apart by None.
            raw = collection.find_one({"_id": notification_id, "recipient_id": recipient_id})
        return _from_raw(raw) if raw else None

    def mark_all_read(self, recipient_id: str, now: datetime) -> int:
        result = self._collection().update_many({"recipient_id": recipient_id, "read_at": None},
                                                {"$set": {"read_at": now}})
        return result.modified_count

    def delete_all_for(self, recipient_id: str) -> int:
        return self._collection().delete_many({"recipient_id": recipient_id}).deleted_count
