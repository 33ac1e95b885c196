"""Threads between a buyer and a seller: an inquiry about a service before booking, or the thread
of one order. Only its two people write in it; support and admin read it, shown as staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlparse

from domain.conversations.errors import ConversationNotFound, InvalidMessage, StaffCannotWrite
from domain.conversations.masking import mask_contacts
from domain.shared.access import Actor
from domain.shared.events import DomainEvent, RecordsEvents

# The notifications worker turns events on this topic that carry recipient_ids into inbox items.
MARKETPLACE_EVENTS_TOPIC = "marketplace.events"
MESSAGE_POSTED = "conversation.message_posted"

MAX_TEXT = 2_000
MAX_IMAGES = 4
MAX_URL = 500
MAX_REASON = 300
PREVIEW = 140


class Kind(StrEnum):
    INQUIRY = "inquiry"
    ORDER = "order"


class Participant(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    STAFF = "staff"


def clean_text(text: object, *, field_name: str = "text", maximum: int = MAX_TEXT) -> str:
    cleaned = text.strip() if isinstance(text, str) else ""
    if not cleaned:
        raise InvalidMessage(f"{field_name} must not be empty", field=field_name)
    if len(cleaned) > maximum:
        raise InvalidMessage(f"{field_name} must have at most {maximum} characters", field=field_name)
    return cleaned


def clean_image_urls(urls: object) -> tuple[str, ...]:
    if not isinstance(urls, (list, tuple)):
        raise InvalidMessage("image_urls must be a list of URLs", field="image_urls")
    if len(urls) > MAX_IMAGES:
        raise InvalidMessage(f"at most {MAX_IMAGES} images per message", field="image_urls")
    cleaned = []
    for url in urls:
        parsed = urlparse(url.strip()) if isinstance(url, str) else None
        if (parsed is None or len(url) > MAX_URL or parsed.scheme not in ("http", "https") or not parsed.netloc
                or any(c.isspace() for c in url.strip())):
            raise InvalidMessage(f"each image must be an absolute http(s) URL of at most {MAX_URL} characters",
                                 field="image_urls")
        cleaned.append(url.strip())
    return tuple(cleaned)


@dataclass(frozen=True)
class Hidden:
    reason: str
    by: str
    at: datetime


@dataclass
class Message:
    id: str
    conversation_id: str
    author_id: str
    text: str  # as stored: already masked when contacts were not to be shown
    image_urls: tuple[str, ...]
    at: datetime
    masked: bool = False
    hidden: Hidden | None = None

    def hide(self, *, reason: str, staff_id: str, now: datetime) -> None:
        if self.hidden is None:
            self.hidden = Hidden(reason=clean_text(reason, field_name="reason", maximum=MAX_REASON),
                                 by=staff_id, at=now)


@dataclass
class Conversation(RecordsEvents):
    id: str  # an order's thread has the order's id: one per order, by the primary key
    kind: Kind
    buyer_id: str
    seller_id: str
    service_id: str
    created_at: datetime
    order_id: str | None = None
    last_message_at: datetime | None = None
    last_preview: str = ""
    unread: dict[Participant, int] = field(default_factory=lambda: {Participant.BUYER: 0, Participant.SELLER: 0})

    @classmethod
    def inquiry(cls, *, conversation_id: str, buyer_id: str, seller_id: str, service_id: str,
                now: datetime) -> Conversation:
        return cls(id=conversation_id, kind=Kind.INQUIRY, buyer_id=buyer_id, seller_id=seller_id,
                   service_id=service_id, created_at=now)

    @classmethod
    def for_order(cls, *, order_id: str, buyer_id: str, seller_id: str, service_id: str,
                  now: datetime) -> Conversation:
        return cls(id=order_id, kind=Kind.ORDER, buyer_id=buyer_id, seller_id=seller_id, service_id=service_id,
                   created_at=now, order_id=order_id)

    def participant(self, actor: Actor) -> Participant:
        """The actor's place in the thread. Anyone else must not learn that it exists."""
        if actor.user_id == self.buyer_id:
            return Participant.BUYER
        if actor.user_id == self.seller_id:
            return Participant.SELLER
        if actor.is_staff:
            return Participant.STAFF
        raise ConversationNotFound()

    def unread_for(self, participant: Participant) -> int:
        return self.unread.get(participant, 0)

    def post(self, actor: Actor, *, message_id: str, text: str, image_urls: object, now: datetime,
             contacts_visible: bool) -> Message:
        """A new message by one of the two people; the other is notified. Until contacts may be
        shown (inquiries always, orders until accepted) e-mails and phones are masked."""
        author = self.participant(actor)
        if author is Participant.STAFF:
            raise StaffCannotWrite()
        cleaned = clean_text(text)
        images = clean_image_urls(image_urls)
        masked = False
        if not contacts_visible:
            cleaned, masked = mask_contacts(cleaned)
        message = Message(id=message_id, conversation_id=self.id, author_id=actor.user_id, text=cleaned,
                          image_urls=images, at=now, masked=masked)
        recipient = Participant.SELLER if author is Participant.BUYER else Participant.BUYER
        self.unread[recipient] = self.unread_for(recipient) + 1
        self.last_message_at = now
        self.last_preview = cleaned[:PREVIEW]
        recipient_id = self.seller_id if recipient is Participant.SELLER else self.buyer_id
        payload = {"recipient_ids": [recipient_id], "title": "Nuevo mensaje",
                   "body": cleaned[:PREVIEW],
                   "conversation_id": self.id, "message_id": message_id}
        if self.order_id is not None:
            payload["order_id"] = self.order_id
        self.record(DomainEvent(name=MESSAGE_POSTED, topic=MARKETPLACE_EVENTS_TOPIC, key=self.id, occurred_at=now,
                                payload=payload))
        return message

    def read_by(self, actor: Actor) -> Participant:
        """The actor has seen the thread: nothing is unread for them. Staff reading changes nothing."""
        participant = self.participant(actor)
        if participant is not Participant.STAFF:
            self.unread[participant] = 0
        return participant


@dataclass(frozen=True)
class MessageReport:
    id: str
    message_id: str
    conversation_id: str
    reporter_id: str
    reason: str
    at: datetime
