"""The conversations' MongoDB adapters on the local server: a message, the thread's counter and
the notification in one transaction; one inquiry per buyer and service and one thread per order
even when created at once; the bridges to orders and catalog."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.mongo_repositories import MongoServiceRepository
from adapters.outbound.conversations.catalog_services import CatalogServices
from adapters.outbound.conversations.mongo_documents import (
    CONVERSATIONS_DOCUMENTS,
    ConversationDocument,
    MessageDocument,
    MessageReportDocument,
)
from adapters.outbound.conversations.mongo_repositories import MongoConversationRepository, MongoMessageReports
from adapters.outbound.conversations.orders_bridge import OrdersBridge
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.orders.in_memory import InMemoryPeople
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import MongoOrderRepository
from application.catalog.use_cases import GetService
from application.conversations.ports import ContactDetails, OrderParties, ServiceParties
from application.orders.ports import Contact, OrderPolicy
from application.orders.use_cases import GetOrder
from application.shared.pagination import PageRequest
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.conversations.conversation import Conversation, MessageReport, Participant
from domain.orders.order import Order, OrderStatus, OrderTimers, ServiceSnapshot
from domain.orders.pricing import CancellationPolicy, FeePolicy
from domain.orders.pricing import PriceModel as OrderPriceModel
from domain.shared.access import Actor, Role
from domain.shared.ids import new_id
from domain.shared.money import Money
from tests.fakes import FakeClock
from tests.unit.application.orders_world import POLICY

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.SELLER}))


@pytest.fixture(scope="module")
def mongo(mongo_url: str):
    connection = MongoConnection(mongo_url, "conversations_integration")
    connection.ensure([*CONVERSATIONS_DOCUMENTS, *CATALOG_DOCUMENTS, *ORDERS_DOCUMENTS, OutboxDocument])
    try:
        yield connection
    finally:
        disconnect()


@pytest.fixture(autouse=True)
def clean(mongo):
    for document in (ConversationDocument, MessageDocument, MessageReportDocument, OutboxDocument):
        document._get_collection().delete_many({})


def inquiry(buyer_id: str = "buyer-1", service_id: str = "svc-1") -> Conversation:
    return Conversation.inquiry(conversation_id=new_id(), buyer_id=buyer_id, seller_id="seller-1",
                                service_id=service_id, now=NOW)


def post(repo: MongoConversationRepository, conversation: Conversation, actor: Actor, text: str, minutes: int):
    message = conversation.post(actor, message_id=new_id(), text=text, image_urls=[],
                                now=NOW + timedelta(minutes=minutes), contacts_visible=False)
    recipient = Participant.SELLER if actor is BUYER else Participant.BUYER
    repo.post(conversation, message, recipient)
    return message


def test_a_message_its_counter_and_its_notification_are_stored_together(mongo):
    repo = MongoConversationRepository()
    conversation = repo.add(inquiry())
    first = post(repo, conversation, BUYER, "ana@example.com", 1)
    post(repo, conversation, SELLER, "Hola", 2)
    post(repo, conversation, BUYER, "¿Lunes?", 3)

    stored = repo.get(conversation.id)
    assert stored.unread == {Participant.BUYER: 1, Participant.SELLER: 2}
    assert stored.last_message_at == NOW + timedelta(minutes=3) and stored.last_preview == "¿Lunes?"
    outbox = list(OutboxDocument._get_collection().find().sort("occurred_at", 1))
    assert [o["payload"]["recipient_ids"] for o in outbox] == [["seller-1"], ["buyer-1"], ["seller-1"]]
    assert outbox[0]["payload"]["body"] == "[contact hidden]"
    page = repo.messages(conversation.id, PageRequest(page_size=2))
    assert page.total == 3 and [m.text for m in page.items] == ["¿Lunes?", "Hola"]
    assert repo.get_message(first.id).masked

    assert repo.unread_total("seller-1") == 2 and repo.unread_total("buyer-1") == 1
    repo.mark_read(conversation.id, Participant.SELLER)
    assert repo.unread_total("seller-1") == 0 and repo.unread_total("nobody") == 0

    first.hide(reason="spam", staff_id="agent", now=NOW)
    repo.save_message(first)
    assert repo.get_message(first.id).hidden.reason == "spam"
    assert repo.get(conversation.id).last_preview == "¿Lunes?"  # an older message: the preview stays
    last = repo.messages(conversation.id, PageRequest(page_size=1)).items[0]
    last.hide(reason="spam", staff_id="agent", now=NOW)
    repo.save_message(last)
    assert repo.get(conversation.id).last_preview == ""


def test_my_conversations_latest_activity_first_on_either_side(mongo):
    repo = MongoConversationRepository()
    older = repo.add(inquiry(service_id="svc-1"))
    newer = repo.add(inquiry(service_id="svc-2"))
    other = repo.add(Conversation.inquiry(conversation_id=new_id(), buyer_id="seller-1", seller_id="someone",
                                          service_id="svc-9", now=NOW))
    post(repo, newer, BUYER, "hola", 1)
    post(repo, older, BUYER, "hola", 2)
    assert [c.id for c in repo.list_for("buyer-1", PageRequest()).items] == [older.id, newer.id]
    mine = repo.list_for("seller-1", PageRequest())
    assert mine.total == 3 and [c.id for c in mine.items] == [older.id, newer.id, other.id]


def test_one_inquiry_per_buyer_and_service_and_one_thread_per_order_even_at_once(mongo):
    repo = MongoConversationRepository()
    results: list[Conversation] = []
    barrier = threading.Barrier(4)

    def create(conversation: Conversation) -> None:
        barrier.wait()
        results.append(repo.add(conversation))

    def order_thread() -> Conversation:
        return Conversation.for_order(order_id="order-1", buyer_id="buyer-1", seller_id="seller-1",
                                      service_id="svc-1", now=NOW)

    threads = [threading.Thread(target=create, args=(c,))
               for c in (inquiry(), inquiry(), order_thread(), order_thread())]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4
    assert ConversationDocument._get_collection().count_documents({}) == 2
    assert len({c.id for c in results if c.order_id is None}) == 1
    assert {c.id for c in results if c.order_id} == {"order-1"}
    assert repo.find_inquiry("buyer-1", "svc-1").id == next(c.id for c in results if c.order_id is None)


def test_concurrent_messages_all_land_with_exact_counters(mongo):
    repo = MongoConversationRepository()
    conversation = repo.add(inquiry())
    barrier = threading.Barrier(6)

    def write(n: int) -> None:
        mine = repo.get(conversation.id)
        barrier.wait()
        post(repo, mine, BUYER, f"mensaje {n}", n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert repo.get(conversation.id).unread[Participant.SELLER] == 6
    assert repo.messages(conversation.id, PageRequest()).total == 6
    assert OutboxDocument._get_collection().count_documents({}) == 6


def test_reports_one_per_person_and_message_closed_together(mongo):
    reports = MongoMessageReports()
    for n, (message_id, reporter) in enumerate((("m-1", "eve"), ("m-1", "eve"), ("m-1", "luis"), ("m-2", "eve"))):
        reports.add(MessageReport(id=f"r-{n}", message_id=message_id, conversation_id="c-1", reporter_id=reporter,
                                  reason="spam", at=NOW + timedelta(minutes=n)))
    assert [r.id for r in reports.list_open(PageRequest()).items] == ["r-3", "r-2", "r-0"]
    reports.close("m-1")
    assert [r.id for r in reports.list_open(PageRequest()).items] == ["r-3"]


def test_the_bridges_read_orders_and_catalog_through_their_use_cases(mongo):
    orders = MongoOrderRepository()
    snapshot = ServiceSnapshot("svc-1", "seller-1", "Grifos", OrderPriceModel.FIXED, Money(4500, "EUR"), 60)
    for order_id, status in (("bridge-authorized", OrderStatus.AUTHORIZED), ("bridge-accepted", OrderStatus.ACCEPTED)):
        orders._orders().delete_many({"_id": order_id})
        orders.add(Order(id=order_id, buyer_id="buyer-1", service=snapshot, slot_start=NOW, slot_end=NOW,
                         time_zone="Europe/Madrid", buffer_minutes=0, address="Calle Mayor 1", notes="",
                         status=status, created_at=NOW))
    people = InMemoryPeople()
    people.add(Contact("seller-1", "Carlos", "carlos@example.com", "+34600123456"))
    bridge = OrdersBridge(orders, GetOrder(orders, people, POLICY, FakeClock(NOW)))
    assert bridge.parties("bridge-authorized") == OrderParties("bridge-authorized", "buyer-1", "seller-1", "svc-1",
                                                               contacts_visible=False)
    assert bridge.parties("bridge-accepted").contacts_visible
    assert bridge.parties("missing") is None
    assert bridge.counterpart_contact(BUYER, "bridge-authorized") is None
    assert bridge.counterpart_contact(BUYER, "bridge-accepted") == ContactDetails("Carlos", "carlos@example.com",
                                                                                  "+34600123456")
    assert bridge.counterpart_contact(Actor("eve", frozenset({Role.BUYER})), "bridge-accepted") is None

    services = MongoServiceRepository()
    services._collection().delete_many({"_id": {"$in": ["conv-svc", "conv-gone"]}})
    for service_id, status in (("conv-svc", ServiceStatus.ACTIVE), ("conv-gone", ServiceStatus.DELETED)):
        services.add(Service(id=service_id, seller_id="seller-1", title="Grifos", description="Arreglo grifos",
                             category="plumbing", price_model=PriceModel.FIXED, price=Money(4500, "EUR"),
                             duration_minutes=60, service_areas=["Madrid"], tags=[], status=status,
                             created_at=NOW, updated_at=NOW, seller_accepting_jobs=True))
    catalog = CatalogServices(GetService(services))
    assert catalog.service("conv-svc") == ServiceParties("conv-svc", "seller-1", "Grifos")
    assert catalog.service("conv-gone") is None and catalog.service("missing") is None
