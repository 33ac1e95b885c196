"""The conversations use cases on fakes: inquiries, order threads, masking until acceptance, unread
counts, staff reading, reports and hiding."""

from __future__ import annotations

import pytest

from adapters.outbound.conversations.in_memory import (
    InMemoryConversationRepository,
    InMemoryMessageReports,
    InMemoryOrderParties,
    InMemoryServices,
)
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from application.conversations.ports import ContactDetails, OrderParties, ServiceParties
from application.conversations.use_cases import (
    CountUnread,
    GetConversation,
    GetOrderConversation,
    HideMessage,
    ListMessageReports,
    ListMessages,
    ListMyConversations,
    MarkConversationRead,
    PostMessage,
    PostOrderMessage,
    ReportMessage,
    StartInquiry,
)
from application.shared.pagination import PageRequest
from domain.conversations.conversation import Participant
from domain.conversations.masking import MASK
from domain.conversations.errors import CannotMessageYourself, ConversationNotFound, MessageNotFound
from domain.shared.access import Actor, Role
from domain.shared.errors import NotAllowed, NotFound
from tests.fakes import FakeClock

BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.BUYER, Role.SELLER}))
STRANGER = Actor("eve", frozenset({Role.BUYER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.outbox = InMemoryOutbox()
        self.conversations = InMemoryConversationRepository(self.outbox)
        self.reports = InMemoryMessageReports()
        self.orders = InMemoryOrderParties()
        self.services = InMemoryServices()
        self.services.add(ServiceParties("svc-1", "seller-1", "Grifos"))
        self.orders.add(OrderParties("order-1", "buyer-1", "seller-1", "svc-1", contacts_visible=False))
        self.orders.contacts["seller-1"] = ContactDetails("Carlos", "carlos@example.com", "+34600123456")

    def ask(self, text: str = "¿Podéis el lunes?", actor: Actor = BUYER, service_id: str = "svc-1"):
        self.clock.advance(seconds=1)  # messages of one thread apart in time, so newest-first is defined
        return StartInquiry(self.conversations, self.services, self.orders, self.clock).execute(
            actor, service_id, text, [])

    def post(self, actor: Actor, conversation_id: str, text: str):
        self.clock.advance(seconds=1)
        return PostMessage(self.conversations, self.orders, self.clock).execute(actor, conversation_id, text, [])

    def post_order(self, actor: Actor, text: str, order_id: str = "order-1"):
        self.clock.advance(seconds=1)
        return PostOrderMessage(self.conversations, self.orders, self.clock).execute(actor, order_id, text, [])

    def messages(self, actor: Actor, conversation_id: str):
        return ListMessages(self.conversations).execute(actor, conversation_id, PageRequest()).items

    def unread(self, actor: Actor) -> int:
        return CountUnread(self.conversations).execute(actor)


@pytest.fixture
def world() -> World:
    return World()


def test_an_inquiry_masks_contacts_notifies_the_seller_and_counts_unread(world):
    view = world.ask("Mi correo es ana@example.com")
    conversation_id = view.conversation.id
    assert view.viewer is Participant.BUYER and view.conversation.kind.value == "inquiry"
    [message] = world.messages(SELLER, conversation_id)
    assert message.text == f"Mi correo es {MASK}" and message.message.masked and message.author is Participant.BUYER
    assert world.unread(SELLER) == 1 and world.unread(BUYER) == 0
    [event] = world.outbox.messages()
    assert event.payload["recipient_ids"] == ["seller-1"] and event.payload["conversation_id"] == conversation_id

    again = world.ask("¿Y el martes?")
    assert again.conversation.id == conversation_id  # the same thread
    assert world.unread(SELLER) == 2
    world.post(SELLER, conversation_id, "El martes sí, llama al 600 123 456")
    assert world.messages(BUYER, conversation_id)[0].text == f"El martes sí, llama al {MASK}"  # inquiries: always
    assert world.unread(BUYER) == 1

    MarkConversationRead(world.conversations).execute(SELLER, conversation_id)
    assert world.unread(SELLER) == 0
    [mine] = ListMyConversations(world.conversations).execute(SELLER, PageRequest()).items
    assert mine.unread == 0 and mine.viewer is Participant.SELLER


def test_an_inquiry_needs_an_existing_service_of_someone_else(world):
    with pytest.raises(NotFound) as raised:
        world.ask(service_id="nope")
    assert raised.value.field == "service_id"
    with pytest.raises(CannotMessageYourself):
        world.ask(actor=SELLER)


def test_the_order_thread_masks_until_accepted_then_shows_contacts(world):
    assert GetOrderConversation(world.conversations, world.orders, world.clock).execute(
        BUYER, "order-1").counterpart_contact is None
    world.post_order(SELLER, "Mi móvil: 600 123 456")
    world.orders.add(OrderParties("order-1", "buyer-1", "seller-1", "svc-1", contacts_visible=True))
    world.post_order(SELLER, "Mi móvil: 600 123 456")
    newest, older = world.messages(BUYER, "order-1")
    assert older.text == f"Mi móvil: {MASK}" and newest.text == "Mi móvil: 600 123 456"  # masked stays masked
    view = GetConversation(world.conversations, world.orders).execute(BUYER, "order-1")
    assert view.counterpart_contact.email == "carlos@example.com" and view.unread == 2
    assert world.outbox.messages()[-1].payload["order_id"] == "order-1"


def test_other_people_get_404_and_staff_read_as_staff_without_writing(world):
    conversation_id = world.ask().conversation.id
    for call in (lambda: GetConversation(world.conversations, world.orders).execute(STRANGER, conversation_id),
                 lambda: world.messages(STRANGER, conversation_id),
                 lambda: world.post(STRANGER, conversation_id, "hola"),
                 lambda: MarkConversationRead(world.conversations).execute(STRANGER, conversation_id),
                 lambda: GetConversation(world.conversations, world.orders).execute(BUYER, "missing")):
        with pytest.raises(ConversationNotFound):
            call()
    with pytest.raises(NotFound):
        world.post_order(STRANGER, "hola")
    with pytest.raises(NotFound):
        world.post_order(BUYER, "hola", order_id="missing")

    staff_view = GetConversation(world.conversations, world.orders).execute(AGENT, conversation_id)
    assert staff_view.viewer is Participant.STAFF and staff_view.unread == 0
    assert len(world.messages(AGENT, conversation_id)) == 1
    with pytest.raises(NotAllowed):
        world.post(AGENT, conversation_id, "hola")
    MarkConversationRead(world.conversations).execute(AGENT, conversation_id)
    assert world.unread(SELLER) == 1  # staff reading does not read it for them


def test_report_and_hide_a_message(world):
    conversation_id = world.ask().conversation.id
    [message] = world.messages(SELLER, conversation_id)
    report = ReportMessage(world.conversations, world.reports, world.clock)
    with pytest.raises(MessageNotFound):
        report.execute(STRANGER, message.message.id, "spam")
    with pytest.raises(MessageNotFound):
        report.execute(SELLER, "missing", "spam")
    report.execute(SELLER, message.message.id, "estafa")
    report.execute(SELLER, message.message.id, "estafa")  # once per person
    reports = ListMessageReports(world.reports)
    assert reports.execute(AGENT, PageRequest()).total == 1
    with pytest.raises(NotAllowed):
        reports.execute(SELLER, PageRequest())

    hide = HideMessage(world.conversations, world.reports, world.clock)
    with pytest.raises(NotAllowed):
        hide.execute(SELLER, message.message.id, "estafa")
    staff_view = hide.execute(AGENT, message.message.id, "estafa")
    assert staff_view.hidden and staff_view.text == "¿Podéis el lunes?" and staff_view.hidden_reason == "estafa"
    assert reports.execute(AGENT, PageRequest()).total == 0
    for actor in (BUYER, SELLER):
        [seen] = world.messages(actor, conversation_id)
        assert seen.hidden and seen.text is None and seen.hidden_reason is None
    with pytest.raises(MessageNotFound):
        report.execute(SELLER, message.message.id, "again")
