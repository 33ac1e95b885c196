"""MongoDB adapters of the conversations ports. A message, the thread's counters and the
notification event are written in one transaction, retried by the driver when two messages race."""

from __future__ import annotations

from typing import Any

import mongoengine
from pymongo.errors import DuplicateKeyError

from adapters.outbound.conversations.mongo_documents import (
    ConversationDocument,
    MessageDocument,
    MessageReportDocument,
)
from adapters.outbound.mongo.outbox import append_events
from application.shared.pagination import Page, PageRequest
from domain.conversations.conversation import Conversation, Hidden, Kind, Message, MessageReport, Participant
from domain.shared.clock import utc

NEWEST_ACTIVITY = [("last_activity_at", -1), ("_id", -1)]
NEWEST_MESSAGES = [("at", -1), ("_id", -1)]


def _conversation_to_raw(c: Conversation) -> dict[str, Any]:
    return {"_id": c.id, "kind": c.kind.value, "buyer_id": c.buyer_id, "seller_id": c.seller_id,
            "service_id": c.service_id, "order_id": c.order_id, "created_at": c.created_at,
            "last_message_at": c.last_message_at, "last_activity_at": c.last_message_at or c.created_at,
            "last_preview": c.last_preview,
            "buyer_unread": c.unread_for(Participant.BUYER), "seller_unread": c.unread_for(Participant.SELLER)}


def _conversation_from_raw(raw: dict[str, Any]) -> Conversation:
    last = raw.get("last_message_at")
    return Conversation(id=raw["_id"], kind=Kind(raw["kind"]), buyer_id=raw["buyer_id"], seller_id=raw["seller_id"],
                        service_id=raw["service_id"], created_at=utc(raw["created_at"]), order_id=raw.get("order_id"),
                        last_message_at=utc(last) if last else None,
                        last_preview=raw.get("last_preview") or "",
                        unread={Participant.BUYER: raw.get("buyer_unread", 0),
                                Participant.SELLER: raw.get("seller_unread", 0)})


def _message_to_raw(m: Message) -> dict[str, Any]:
    return {"_id": m.id, "conversation_id": m.conversation_id, "author_id": m.author_id, "text": m.text,
            "image_urls": list(m.image_urls), "at": m.at, "masked": m.masked,
            "hidden": {"reason": m.hidden.reason, "by": m.hidden.by, "at": m.hidden.at} if m.hidden else None}


def _message_from_raw(raw: dict[str, Any]) -> Message:
    hidden = raw.get("hidden")
    return Message(id=raw["_id"], conversation_id=raw["conversation_id"], author_id=raw["author_id"],
                   text=raw["text"], image_urls=tuple(raw.get("image_urls", [])), at=utc(raw["at"]),
                   masked=raw.get("masked", False),
                   hidden=Hidden(reason=hidden["reason"], by=hidden["by"], at=utc(hidden["at"])) if hidden else None)


def _mine(user_id: str) -> dict[str, Any]:
    return {"$or": [{"buyer_id": user_id}, {"seller_id": user_id}]}


class MongoConversationRepository:
    def _conversations(self):
        return ConversationDocument._get_collection()

    def _messages(self):
        return MessageDocument._get_collection()

    def get(self, conversation_id: str) -> Conversation | None:
        if not isinstance(conversation_id, str):
            return None
        raw = self._conversations().find_one({"_id": conversation_id})
        return _conversation_from_raw(raw) if raw else None

    def find_inquiry(self, buyer_id: str, service_id: str) -> Conversation | None:
        raw = self._conversations().find_one({"buyer_id": buyer_id, "service_id": service_id, "order_id": None})
        return _conversation_from_raw(raw) if raw else None

    def add(self, conversation: Conversation) -> Conversation:
        try:
            self._conversations().insert_one(_conversation_to_raw(conversation))
            return conversation
        except DuplicateKeyError:
            # Created meanwhile by the other request (or the other side): use that one.
            existing = (self.get(conversation.id) if conversation.kind is Kind.ORDER
                        else self.find_inquiry(conversation.buyer_id, conversation.service_id))
            assert existing is not None
            return existing

    def post(self, conversation: Conversation, message: Message, recipient: Participant) -> None:
        events = list(conversation.pending_events)

        def write(session) -> None:
            self._messages().insert_one(_message_to_raw(message), session=session)
            self._conversations().update_one(
                {"_id": conversation.id},
                {"$inc": {f"{recipient.value}_unread": 1},
                 "$set": {"last_message_at": message.at, "last_activity_at": message.at,
                          "last_preview": conversation.last_preview}},
                session=session)
            append_events(events, session)

        with mongoengine.get_connection().start_session() as session:
            session.with_transaction(write)
        conversation.pull_events()

    def mark_read(self, conversation_id: str, participant: Participant) -> None:
        self._conversations().update_one({"_id": conversation_id}, {"$set": {f"{participant.value}_unread": 0}})

    def list_for(self, user_id: str, page: PageRequest) -> Page[Conversation]:
        collection = self._conversations()
        raws = collection.find(_mine(user_id)).sort(NEWEST_ACTIVITY).skip(page.offset).limit(page.page_size)
        return Page([_conversation_from_raw(r) for r in raws], collection.count_documents(_mine(user_id)), page)

    def unread_total(self, user_id: str) -> int:
        rows = list(self._conversations().aggregate([
            {"$match": _mine(user_id)},
            {"$group": {"_id": None, "total": {"$sum": {"$cond": [{"$eq": ["$buyer_id", user_id]},
                                                                  "$buyer_unread", "$seller_unread"]}}}},
        ]))
        return rows[0]["total"] if rows else 0

    def messages(self, conversation_id: str, page: PageRequest) -> Page[Message]:
        collection = self._messages()
        query = {"conversation_id": conversation_id}
        raws = collection.find(query).sort(NEWEST_MESSAGES).skip(page.offset).limit(page.page_size)
        return Page([_message_from_raw(r) for r in raws], collection.count_documents(query), page)

    def get_message(self, message_id: str) -> Message | None:
        if not isinstance(message_id, str):
            return None
        raw = self._messages().find_one({"_id": message_id})
        return _message_from_raw(raw) if raw else None

    def save_message(self, message: Message) -> None:
        hidden = _message_to_raw(message)["hidden"]
        self._messages().update_one({"_id": message.id}, {"$set": {"hidden": hidden}})
        if hidden:
            self._conversations().update_one({"_id": message.conversation_id, "last_message_at": message.at},
                                             {"$set": {"last_preview": ""}})

    def erase_author(self, author_id: str, replacement: str) -> int:
        # Through the person's conversations (each side leads an index): messages are indexed by
        # conversation, not by author.
        mine = {"$or": [{"buyer_id": author_id}, {"seller_id": author_id}]}
        ids = [raw["_id"] for raw in self._conversations().find(mine, {"_id": 1})]
        if not ids:
            return 0
        result = self._messages().update_many(
            {"conversation_id": {"$in": ids}, "author_id": author_id,
             "$or": [{"text": {"$ne": replacement}}, {"image_urls.0": {"$exists": True}}]},
            {"$set": {"text": replacement, "image_urls": []}})
        self._conversations().update_many({"_id": {"$in": ids}}, {"$set": {"last_preview": ""}})
        return result.modified_count


def _report_from_raw(raw: dict[str, Any]) -> MessageReport:
    return MessageReport(id=raw["_id"], message_id=raw["message_id"], conversation_id=raw["conversation_id"],
                         reporter_id=raw["reporter_id"], reason=raw["reason"], at=utc(raw["at"]))


class MongoMessageReports:
    def _collection(self):
        return MessageReportDocument._get_collection()

    def add(self, report: MessageReport) -> None:
        try:
            self._collection().update_one(
                {"message_id": report.message_id, "reporter_id": report.reporter_id},
                {"$setOnInsert": {"_id": report.id, "conversation_id": report.conversation_id,
                                  "reason": report.reason, "at": report.at, "open": True}},
                upsert=True)
        except DuplicateKeyError:
            pass  # the same person's report, sent twice at once: one is kept, as intended

    def list_open(self, page: PageRequest) -> Page[MessageReport]:
        collection = self._collection()
        query = {"open": True}
        raws = collection.find(query).sort([("at", -1), ("_id", -1)]).skip(page.offset).limit(page.page_size)
        return Page([_report_from_raw(r) for r in raws], collection.count_documents(query), page)

    def close(self, message_id: str) -> None:
        self._collection().update_many({"message_id": message_id}, {"$set": {"open": False}})
