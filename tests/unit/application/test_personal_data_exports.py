"""Each context's export use case on its fakes: the person's whole history, both sides of it, and
nothing another person wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.outbound.conversations.in_memory import InMemoryConversationRepository
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.orders.in_memory import InMemoryOrderRepository, InMemoryPeople, InMemoryScheduleRepository
from application.conversations.use_cases import ExportMessagesData
from application.orders.ports import Contact
from application.orders.use_cases import ExportOrdersData
from domain.conversations.conversation import Conversation, Participant
from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.access import Actor, Role
from domain.shared.money import Money

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _order(order_id: str, buyer_id: str, seller_id: str, days_ago: int) -> Order:
    return Order(id=order_id, buyer_id=buyer_id,
                 service=ServiceSnapshot("s", seller_id, "Grifos", PriceModel.FIXED, Money(4500, "EUR"), 60),
                 slot_start=NOW, slot_end=NOW + timedelta(hours=1), time_zone="Europe/Madrid", buffer_minutes=0,
                 address="Calle Mayor 1", notes="", status=OrderStatus.COMPLETED,
                 created_at=NOW - timedelta(days=days_ago))


def test_orders_export_reads_every_page_of_both_sides_and_names_only_sellers():
    orders, people = InMemoryOrderRepository(), InMemoryPeople()
    for i in range(130):  # more than one page of the largest size
        orders.orders[f"bought-{i}"] = _order(f"bought-{i}", "ana", "carlos" if i % 2 else "elena", i)
    orders.orders["sold"] = _order("sold", "bea", "ana", 1)
    orders.orders["others"] = _order("others", "bea", "carlos", 1)
    people.add(Contact("carlos", "Carlos", "carlos@example.com", "+34600000000"))
    looked_up = []
    contact = people.contact
    people.contact = lambda user_id: looked_up.append(user_id) or contact(user_id)  # type: ignore[method-assign]

    data = ExportOrdersData(orders, InMemoryScheduleRepository(), people).execute("ana")

    by_id = {r.order.id: r for r in data.orders}
    assert len(by_id) == 131 and "others" not in by_id
    assert by_id["sold"].party is Party.SELLER and by_id["sold"].seller_name is None
    assert by_id["bought-1"].party is Party.BUYER and by_id["bought-1"].seller_name == "Carlos"
    assert by_id["bought-0"].seller_name is None  # a seller without an account any more
    assert sorted(looked_up) == ["carlos", "elena"]  # once per seller, not per order
    assert data.schedule is None


def test_messages_export_keeps_only_what_the_person_wrote():
    conversations = InMemoryConversationRepository(InMemoryOutbox())
    ana, carlos = Actor("ana", frozenset({Role.BUYER})), Actor("carlos", frozenset({Role.SELLER}))
    thread = conversations.add(Conversation.inquiry(conversation_id="c1", buyer_id="ana", seller_id="carlos",
                                                    service_id="s", now=NOW))
    for i in range(110):
        author = ana if i % 2 else carlos
        message = thread.post(author, message_id=f"m{i}", text=f"text {i}", image_urls=[],
                              now=NOW + timedelta(minutes=i), contacts_visible=True)
        conversations.post(thread, message, Participant.SELLER if author is ana else Participant.BUYER)
    other = conversations.add(Conversation.inquiry(conversation_id="c2", buyer_id="bea", seller_id="carlos",
                                                   service_id="s", now=NOW))
    assert other.id == "c2"

    [record] = ExportMessagesData(conversations).execute("ana")
    assert record.conversation.id == "c1" and record.participant is Participant.BUYER
    assert [m.id for m in record.messages] == [f"m{i}" for i in range(1, 110, 2)]
    assert {m.author_id for m in record.messages} == {"ana"}
