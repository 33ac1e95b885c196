"""What the conversations use cases need: their own store, and what they learn from the orders
and catalog contexts, only through these ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from domain.conversations.conversation import Conversation, Message, MessageReport, Participant
from domain.shared.access import Actor


@dataclass(frozen=True)
class OrderParties:
    order_id: str
    buyer_id: str
    seller_id: str
    service_id: str
    # The orders context shows each side the other's contact details from acceptance on; masking
    # follows the same fact.
    contacts_visible: bool


@dataclass(frozen=True)
class ContactDetails:
    name: str
    email: str
    phone: str | None


class Orders(Protocol):
    def parties(self, order_id: str) -> OrderParties | None:
        """None for an unknown order."""
        ...

    def counterpart_contact(self, actor: Actor, order_id: str) -> ContactDetails | None:
        """The other side's contact details as the orders context shows them to ``actor`` (only
        once the job is accepted), else None."""
        ...


@dataclass(frozen=True)
class ServiceParties:
    service_id: str
    seller_id: str
    title: str


class Services(Protocol):
    def service(self, service_id: str) -> ServiceParties | None:
        """None for an unknown or deleted service."""
        ...


class ConversationRepository(Protocol):
    def get(self, conversation_id: str) -> Conversation | None: ...

    def find_inquiry(self, buyer_id: str, service_id: str) -> Conversation | None: ...

    def add(self, conversation: Conversation) -> Conversation:
        """Store a new thread; when one with its id (an order's) or the same buyer and service (an
        inquiry) exists already, store nothing and return that one."""
        ...

    def post(self, conversation: Conversation, message: Message, recipient: Participant) -> None:
        """Store the message, one more unread for ``recipient``, the thread's last activity and its
        events (the notification), in one transaction."""
        ...

    def mark_read(self, conversation_id: str, participant: Participant) -> None: ...

    def list_for(self, user_id: str, page: PageRequest) -> Page[Conversation]:
        """The user's threads, latest activity first."""
        ...

    def unread_total(self, user_id: str) -> int: ...

    def messages(self, conversation_id: str, page: PageRequest) -> Page[Message]:
        """Newest first."""
        ...

    def get_message(self, message_id: str) -> Message | None: ...

    def save_message(self, message: Message) -> None:
        """Store a moderation change (hidden). A hidden message that was the thread's latest also
        leaves the thread's preview."""
        ...

    def erase_author(self, author_id: str, replacement: str) -> int:
        """Replace the text of every message the person wrote and drop its images; blank the
        previews of their conversations (a preview repeats a message). How many messages changed."""
        ...


class MessageReports(Protocol):
    def add(self, report: MessageReport) -> None:
        """Idempotent per (message, reporter)."""
        ...

    def list_open(self, page: PageRequest) -> Page[MessageReport]:
        """Reports of messages staff have not hidden, newest first."""
        ...

    def close(self, message_id: str) -> None: ...
