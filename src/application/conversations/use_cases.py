"""Conversations between buyers and sellers: inquiries before booking, one thread per order,
unread counts, masking of contact details until the order is accepted, reports and hiding."""

from __future__ import annotations

from dataclasses import dataclass

from application.conversations.ports import (
    ContactDetails,
    ConversationRepository,
    MessageReports,
    Orders,
    Services,
)
from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock
from domain.conversations.conversation import (
    MAX_REASON,
    Conversation,
    Kind,
    Message,
    MessageReport,
    Participant,
    clean_text,
)
from domain.conversations.errors import CannotMessageYourself, ConversationNotFound, MessageNotFound
from domain.shared.access import Actor, Role
from domain.shared.errors import NotFound
from domain.shared.erasure import ERASED_TEXT
from domain.shared.ids import new_id


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    viewer: Participant
    unread: int
    # In an order's thread, the other side's contact details once the orders context shows them.
    counterpart_contact: ContactDetails | None = None


@dataclass(frozen=True)
class MessageView:
    message: Message
    author: Participant
    mine: bool
    hidden: bool
    text: str | None  # None when hidden, except for staff
    image_urls: tuple[str, ...]
    hidden_reason: str | None


def _view(conversation: Conversation, viewer: Participant,
          contact: ContactDetails | None = None) -> ConversationView:
    unread = 0 if viewer is Participant.STAFF else conversation.unread_for(viewer)
    return ConversationView(conversation=conversation, viewer=viewer, unread=unread, counterpart_contact=contact)


def message_view(conversation: Conversation, message: Message, viewer: Actor, role: Participant) -> MessageView:
    author = Participant.BUYER if message.author_id == conversation.buyer_id else Participant.SELLER
    shown = message.hidden is None or role is Participant.STAFF
    return MessageView(message=message, author=author, mine=message.author_id == viewer.user_id,
                       hidden=message.hidden is not None, text=message.text if shown else None,
                       image_urls=message.image_urls if shown else (),
                       hidden_reason=message.hidden.reason if message.hidden and role is Participant.STAFF else None)


def _load(conversations: ConversationRepository, actor: Actor, conversation_id: str) -> tuple[Conversation,
                                                                                                 Participant]:
    conversation = conversations.get(conversation_id)
    if conversation is None:
        raise ConversationNotFound()
    return conversation, conversation.participant(actor)


def _post(conversations: ConversationRepository, orders: Orders, clock: Clock, actor: Actor,
          conversation: Conversation, text: str, image_urls: list[str]) -> MessageView:
    contacts_visible = False
    if conversation.kind is Kind.ORDER:
        assert conversation.order_id is not None
        parties = orders.parties(conversation.order_id)
        contacts_visible = parties is not None and parties.contacts_visible
    author = conversation.participant(actor)
    message = conversation.post(actor, message_id=new_id(), text=text, image_urls=image_urls, now=clock.now(),
                                contacts_visible=contacts_visible)
    recipient = Participant.SELLER if author is Participant.BUYER else Participant.BUYER
    conversations.post(conversation, message, recipient)
    return message_view(conversation, message, actor, author)


@dataclass(frozen=True)
class StartInquiry:
    """A buyer asks a seller about a service before booking. Asking again about the same service
    continues the same thread."""

    conversations: ConversationRepository
    services: Services
    orders: Orders
    clock: Clock

    def execute(self, actor: Actor, service_id: str, text: str, image_urls: list[str]) -> ConversationView:
        service = self.services.service(service_id)
        if service is None:
            raise NotFound("service not found", field="service_id")
        if service.seller_id == actor.user_id:
            raise CannotMessageYourself()
        conversation = self.conversations.find_inquiry(actor.user_id, service_id)
        if conversation is None:
            conversation = self.conversations.add(Conversation.inquiry(
                conversation_id=new_id(), buyer_id=actor.user_id, seller_id=service.seller_id,
                service_id=service_id, now=self.clock.now()))
        _post(self.conversations, self.orders, self.clock, actor, conversation, text, image_urls)
        return _view(conversation, Participant.BUYER)


@dataclass(frozen=True)
class ListMyConversations:
    conversations: ConversationRepository

    def execute(self, actor: Actor, page: PageRequest) -> Page[ConversationView]:
        found = self.conversations.list_for(actor.user_id, page)
        return Page([_view(c, c.participant(actor)) for c in found.items], found.total, page)


@dataclass(frozen=True)
class CountUnread:
    conversations: ConversationRepository

    def execute(self, actor: Actor) -> int:
        return self.conversations.unread_total(actor.user_id)


@dataclass(frozen=True)
class GetConversation:
    conversations: ConversationRepository
    orders: Orders

    def execute(self, actor: Actor, conversation_id: str) -> ConversationView:
        conversation, viewer = _load(self.conversations, actor, conversation_id)
        contact = None
        if conversation.order_id is not None and viewer is not Participant.STAFF:
            contact = self.orders.counterpart_contact(actor, conversation.order_id)
        return _view(conversation, viewer, contact)


@dataclass(frozen=True)
class ListMessages:
    conversations: ConversationRepository

    def execute(self, actor: Actor, conversation_id: str, page: PageRequest) -> Page[MessageView]:
        conversation, viewer = _load(self.conversations, actor, conversation_id)
        found = self.conversations.messages(conversation.id, page)
        return Page([message_view(conversation, m, actor, viewer) for m in found.items], found.total, page)


@dataclass(frozen=True)
class PostMessage:
    conversations: ConversationRepository
    orders: Orders
    clock: Clock

    def execute(self, actor: Actor, conversation_id: str, text: str, image_urls: list[str]) -> MessageView:
        conversation, _ = _load(self.conversations, actor, conversation_id)
        return _post(self.conversations, self.orders, self.clock, actor, conversation, text, image_urls)


@dataclass(frozen=True)
class MarkConversationRead:
    conversations: ConversationRepository

    def execute(self, actor: Actor, conversation_id: str) -> ConversationView:
        conversation, _ = _load(self.conversations, actor, conversation_id)
        viewer = conversation.read_by(actor)
        if viewer is not Participant.STAFF:
            self.conversations.mark_read(conversation.id, viewer)
        return _view(conversation, viewer)


def _order_thread(conversations: ConversationRepository, orders: Orders, clock: Clock, actor: Actor,
                  order_id: str) -> Conversation:
    """The order's thread, created on first use. Someone with no part in the order gets 404."""
    parties = orders.parties(order_id)
    if parties is None or (actor.user_id not in (parties.buyer_id, parties.seller_id) and not actor.is_staff):
        raise NotFound("order not found")
    existing = conversations.get(order_id)
    if existing is not None:
        return existing
    return conversations.add(Conversation.for_order(order_id=order_id, buyer_id=parties.buyer_id,
                                                    seller_id=parties.seller_id, service_id=parties.service_id,
                                                    now=clock.now()))


@dataclass(frozen=True)
class GetOrderConversation:
    conversations: ConversationRepository
    orders: Orders
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> ConversationView:
        conversation = _order_thread(self.conversations, self.orders, self.clock, actor, order_id)
        viewer = conversation.participant(actor)
        contact = None if viewer is Participant.STAFF else self.orders.counterpart_contact(actor, order_id)
        return _view(conversation, viewer, contact)


@dataclass(frozen=True)
class PostOrderMessage:
    conversations: ConversationRepository
    orders: Orders
    clock: Clock

    def execute(self, actor: Actor, order_id: str, text: str, image_urls: list[str]) -> MessageView:
        conversation = _order_thread(self.conversations, self.orders, self.clock, actor, order_id)
        return _post(self.conversations, self.orders, self.clock, actor, conversation, text, image_urls)


def _message_for(conversations: ConversationRepository, actor: Actor, message_id: str) -> tuple[Conversation,
                                                                                                 Message,
                                                                                                 Participant]:
    message = conversations.get_message(message_id)
    conversation = conversations.get(message.conversation_id) if message else None
    if message is None or conversation is None:
        raise MessageNotFound()
    try:
        return conversation, message, conversation.participant(actor)
    except ConversationNotFound:
        raise MessageNotFound() from None


@dataclass(frozen=True)
class ReportMessage:
    """One of the two people reports a message of the thread (a scam, insults); staff decide."""

    conversations: ConversationRepository
    reports: MessageReports
    clock: Clock

    def execute(self, actor: Actor, message_id: str, reason: str) -> MessageReport:
        conversation, message, viewer = _message_for(self.conversations, actor, message_id)
        if message.hidden is not None and viewer is not Participant.STAFF:
            raise MessageNotFound()
        report = MessageReport(id=new_id(), message_id=message.id, conversation_id=conversation.id,
                               reporter_id=actor.user_id,
                               reason=clean_text(reason, field_name="reason", maximum=MAX_REASON),
                               at=self.clock.now())
        self.reports.add(report)
        return report


@dataclass(frozen=True)
class ListMessageReports:
    reports: MessageReports

    def execute(self, actor: Actor, page: PageRequest) -> Page[MessageReport]:
        actor.ensure_role(Role.SUPPORT, Role.ADMIN)
        return self.reports.list_open(page)


@dataclass(frozen=True)
class HideMessage:
    conversations: ConversationRepository
    reports: MessageReports
    clock: Clock

    def execute(self, actor: Actor, message_id: str, reason: str) -> MessageView:
        actor.ensure_role(Role.SUPPORT, Role.ADMIN)
        conversation, message, viewer = _message_for(self.conversations, actor, message_id)
        message.hide(reason=reason, staff_id=actor.user_id, now=self.clock.now())
        self.conversations.save_message(message)
        self.reports.close(message.id)
        return message_view(conversation, message, actor, viewer)


@dataclass(frozen=True)
class EraseMessagesOfDeletedPerson:
    """The conversations' handler of ``account.deleted`` (issue #12): the threads stay (the other
    party's messages are theirs), the person's messages keep their place but lose text and images.
    Naturally idempotent."""

    conversations: ConversationRepository

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        return self.conversations.erase_author(person_id, ERASED_TEXT)


@dataclass(frozen=True)
class ThreadRecord:
    conversation: Conversation
    participant: Participant  # the person's side in it
    # Only the messages the person wrote: the other side's words are that person's data.
    messages: list[Message]


@dataclass(frozen=True)
class ExportMessagesData:
    """For the privacy context's export: every thread of the person, with what they wrote in it."""

    conversations: ConversationRepository

    def execute(self, user_id: str) -> list[ThreadRecord]:
        records = []
        for conversation in every_item(lambda page: self.conversations.list_for(user_id, page)):
            participant = Participant.BUYER if conversation.buyer_id == user_id else Participant.SELLER
            written = [m for m in every_item(lambda page, c=conversation.id: self.conversations.messages(c, page))
                       if m.author_id == user_id]
            records.append(ThreadRecord(conversation, participant, sorted(written, key=lambda m: (m.at, m.id))))
        return records
