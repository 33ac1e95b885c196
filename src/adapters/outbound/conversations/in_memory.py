"""In-memory adapters of the conversations ports: thread-safe, with state a test can read. A post
writes the message, the counter and the events under one lock, as MongoDB does in a transaction."""

from __future__ import annotations

import copy
import threading
from typing import Protocol

from application.conversations.ports import ContactDetails, OrderParties, ServiceParties
from application.shared.pagination import Page, PageRequest
from domain.conversations.conversation import Conversation, Kind, Message, MessageReport, Participant
from domain.shared.access import Actor
from domain.shared.events import DomainEvent


class EventSink(Protocol):
    def append(self, events: list[DomainEvent]) -> None: ...


class InMemoryConversationRepository:
    def __init__(self, outbox: EventSink) -> None:
        self.conversations: dict[str, Conversation] = {}
        self.messages_by_id: dict[str, Message] = {}
        self._outbox = outbox
        self._lock = threading.Lock()

    def get(self, conversation_id: str) -> Conversation | None:
        with self._lock:
            found = self.conversations.get(conversation_id)
            return copy.deepcopy(found) if found else None

    def _inquiry(self, buyer_id: str, service_id: str) -> Conversation | None:
        return next((c for c in self.conversations.values() if c.kind is Kind.INQUIRY and c.buyer_id == buyer_id
                     and c.service_id == service_id), None)

    def find_inquiry(self, buyer_id: str, service_id: str) -> Conversation | None:
        with self._lock:
            found = self._inquiry(buyer_id, service_id)
            return copy.deepcopy(found) if found else None

    def add(self, conversation: Conversation) -> Conversation:
        with self._lock:
            existing = (self.conversations.get(conversation.id) if conversation.kind is Kind.ORDER
                        else self._inquiry(conversation.buyer_id, conversation.service_id))
            if existing is not None:
                return copy.deepcopy(existing)
            self.conversations[conversation.id] = copy.deepcopy(conversation)
            return conversation

    def post(self, conversation: Conversation, message: Message, recipient: Participant) -> None:
        with self._lock:
            stored = self.conversations[conversation.id]
            stored.unread[recipient] = stored.unread_for(recipient) + 1
            stored.last_message_at, stored.last_preview = message.at, conversation.last_preview
            self.messages_by_id[message.id] = copy.deepcopy(message)
            self._outbox.append(conversation.pull_events())

    def mark_read(self, conversation_id: str, participant: Participant) -> None:
        with self._lock:
            self.conversations[conversation_id].unread[participant] = 0

    def list_for(self, user_id: str, page: PageRequest) -> Page[Conversation]:
        with self._lock:
            mine = [c for c in self.conversations.values() if user_id in (c.buyer_id, c.seller_id)]
            mine.sort(key=lambda c: (c.last_message_at or c.created_at, c.id), reverse=True)
            return Page(copy.deepcopy(mine[page.offset:page.offset + page.page_size]), len(mine), page)

    def unread_total(self, user_id: str) -> int:
        with self._lock:
            return sum(c.unread_for(Participant.BUYER if c.buyer_id == user_id else Participant.SELLER)
                       for c in self.conversations.values() if user_id in (c.buyer_id, c.seller_id))

    def messages(self, conversation_id: str, page: PageRequest) -> Page[Message]:
        with self._lock:
            found = [m for m in self.messages_by_id.values() if m.conversation_id == conversation_id]
            found.sort(key=lambda m: (m.at, m.id), reverse=True)
            return Page(copy.deepcopy(found[page.offset:page.offset + page.page_size]), len(found), page)

    def get_message(self, message_id: str) -> Message | None:
        with self._lock:
            found = self.messages_by_id.get(message_id)
            return copy.deepcopy(found) if found else None

    def save_message(self, message: Message) -> None:
        with self._lock:
            self.messages_by_id[message.id].hidden = message.hidden
            conversation = self.conversations[message.conversation_id]
            if message.hidden is not None and conversation.last_message_at == message.at:
                conversation.last_preview = ""

    def erase_author(self, author_id: str, replacement: str) -> int:
        with self._lock:
            changed = 0
            for message in self.messages_by_id.values():
                if message.author_id == author_id and (message.text != replacement or message.image_urls):
                    message.text, message.image_urls = replacement, ()
                    changed += 1
            for conversation in self.conversations.values():
                if author_id in (conversation.buyer_id, conversation.seller_id):
                    conversation.last_preview = ""
            return changed


class InMemoryMessageReports:
    def __init__(self) -> None:
        self.reports: dict[tuple[str, str], MessageReport] = {}
        self.open: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def add(self, report: MessageReport) -> None:
        with self._lock:
            key = (report.message_id, report.reporter_id)
            if key not in self.reports:
                self.reports[key] = report
                self.open.add(key)

    def list_open(self, page: PageRequest) -> Page[MessageReport]:
        with self._lock:
            found = sorted((self.reports[key] for key in self.open), key=lambda r: (r.at, r.id), reverse=True)
        return Page(found[page.offset:page.offset + page.page_size], len(found), page)

    def close(self, message_id: str) -> None:
        with self._lock:
            self.open = {key for key in self.open if key[0] != message_id}


class InMemoryOrderParties:
    """The conversations' Orders port with parties and contacts a test sets directly."""

    def __init__(self) -> None:
        self.orders: dict[str, OrderParties] = {}
        self.contacts: dict[str, ContactDetails] = {}  # user id -> their details

    def add(self, parties: OrderParties) -> None:
        self.orders[parties.order_id] = parties

    def parties(self, order_id: str) -> OrderParties | None:
        return self.orders.get(order_id)

    def counterpart_contact(self, actor: Actor, order_id: str) -> ContactDetails | None:
        order = self.orders.get(order_id)
        if order is None or not order.contacts_visible or actor.user_id not in (order.buyer_id, order.seller_id):
            return None
        return self.contacts.get(order.seller_id if actor.user_id == order.buyer_id else order.buyer_id)


class InMemoryServices:
    def __init__(self) -> None:
        self.services: dict[str, ServiceParties] = {}

    def add(self, service: ServiceParties) -> None:
        self.services[service.service_id] = service

    def service(self, service_id: str) -> ServiceParties | None:
        return self.services.get(service_id)
