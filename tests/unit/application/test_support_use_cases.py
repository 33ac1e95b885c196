from datetime import timedelta

import pytest

from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.support.in_memory import (
    InMemoryRequesterOrders,
    InMemorySupportRequestRepository,
    InMemoryTicketRepository,
)
from application.shared.pagination import PageRequest
from application.support.ports import TicketFilters
from application.support.use_cases import (
    GetMySupportRequest,
    ListMySupportRequests,
    ListTicketQueue,
    OpenTicket,
    OpenTicketCommand,
    ReplyToMySupportRequest,
    ReplyToTicket,
    ResolveTicket,
    SubmitSupportRequest,
    SubmitSupportRequestCommand,
    TakeTicket,
)
from domain.shared.access import Actor, Role
from domain.shared.errors import Conflict, NotAllowed
from domain.support.errors import NotYourOrder, SupportRequestNotFound, TicketNotOpenedYet
from domain.support.events import MARKETPLACE_EVENTS_TOPIC, SUPPORT_REQUESTS_TOPIC
from domain.support.requests import Category
from domain.support.tickets import Priority, TicketStatus
from tests.fakes import FakeClock

ANA = Actor("ana", frozenset({Role.BUYER}))
LUIS = Actor("luis", frozenset({Role.BUYER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


@pytest.fixture
def world():
    clock, outbox = FakeClock(), InMemoryOutbox()
    requests, tickets = InMemorySupportRequestRepository(outbox), InMemoryTicketRepository(outbox)
    return clock, outbox, requests, tickets


def submit(world, actor=ANA, category=Category.PAYMENTS, subject="Charged twice", order_id=None, orders=None):
    clock, _, requests, _ = world
    return SubmitSupportRequest(requests, orders or InMemoryRequesterOrders(), clock).execute(
        actor, SubmitSupportRequestCommand(category=category, subject=subject, description="details",
                                           order_id=order_id))


def test_a_request_names_only_an_order_the_requester_is_party_to(world):
    orders = InMemoryRequesterOrders()
    orders.add("o-1", ANA.user_id, "carlos")
    assert submit(world, ANA, Category.ORDER, order_id="o-1", orders=orders).order_id == "o-1"
    for order_id in ("o-1", "o-2"):  # another's order, and none at all: one answer
        with pytest.raises(NotYourOrder) as refused:
            submit(world, LUIS, Category.ORDER, order_id=order_id, orders=orders)
        assert refused.value.field == "order_id"


def open_from_outbox(world) -> None:
    """What the relay and the support worker do, without Kafka."""
    clock, outbox, _, tickets = world
    for message in outbox.messages(topic=SUPPORT_REQUESTS_TOPIC):
        p = message.payload
        OpenTicket(tickets, clock).execute(OpenTicketCommand(
            request_id=p["request_id"], user_id=p["user_id"], category=Category(p["category"]),
            subject=p["subject"], description=p["description"], submitted_at=message.occurred_at))


def test_submitting_writes_the_request_and_its_event_together(world):
    request = submit(world)
    _, outbox, requests, _ = world
    assert requests.get(request.id) is not None
    [message] = outbox.messages(topic=SUPPORT_REQUESTS_TOPIC)
    assert message.key == "ana" and message.payload["request_id"] == request.id


def test_opening_a_ticket_twice_for_one_request_opens_one_and_notifies_once(world):
    clock, outbox, _, tickets = world
    request = submit(world)
    open_from_outbox(world)
    open_from_outbox(world)

    assert list(tickets.tickets) == [request.id]
    assert len(outbox.messages(topic=MARKETPLACE_EVENTS_TOPIC)) == 1


def test_my_request_shows_received_until_its_ticket_opens_and_others_get_404(world):
    _, _, requests, tickets = world
    request = submit(world)
    view = GetMySupportRequest(requests, tickets).execute(ANA, request.id)
    assert view.ticket is None

    open_from_outbox(world)
    assert GetMySupportRequest(requests, tickets).execute(ANA, request.id).ticket.status is TicketStatus.OPEN
    with pytest.raises(SupportRequestNotFound):
        GetMySupportRequest(requests, tickets).execute(LUIS, request.id)
    with pytest.raises(SupportRequestNotFound):
        GetMySupportRequest(requests, tickets).execute(AGENT, request.id)


def test_replying_before_the_ticket_opens_is_a_conflict_and_after_it_is_stored(world):
    clock, _, requests, tickets = world
    request = submit(world)
    with pytest.raises(TicketNotOpenedYet):
        ReplyToMySupportRequest(requests, tickets, clock).execute(ANA, request.id, "more")
    open_from_outbox(world)
    view = ReplyToMySupportRequest(requests, tickets, clock).execute(ANA, request.id, "more")
    assert [r.body for r in view.ticket.replies] == ["more"]
    with pytest.raises(SupportRequestNotFound):
        ReplyToMySupportRequest(requests, tickets, clock).execute(LUIS, request.id, "me too")


def test_my_requests_are_mine_only_newest_first(world):
    clock, _, requests, tickets = world
    first = submit(world)
    clock.advance(minutes=1)
    second = submit(world, subject="Another")
    submit(world, actor=LUIS)
    open_from_outbox(world)

    page = ListMySupportRequests(requests, tickets).execute(ANA, PageRequest())
    assert [v.request.id for v in page.items] == [second.id, first.id] and page.total == 2
    assert all(v.ticket is not None for v in page.items)


def test_the_queue_serves_payments_and_orders_first_and_filters(world):
    clock, _, _, tickets = world
    other = submit(world, category=Category.OTHER)
    clock.advance(minutes=1)
    bug = submit(world, category=Category.SITE_BUG)
    clock.advance(minutes=1)
    payment = submit(world, category=Category.PAYMENTS)
    open_from_outbox(world)

    queue = ListTicketQueue(tickets).execute(AGENT, TicketFilters(), PageRequest())
    assert [t.id for t in queue.items] == [payment.id, bug.id, other.id]
    high = ListTicketQueue(tickets).execute(AGENT, TicketFilters(priority=Priority.HIGH), PageRequest())
    assert [t.id for t in high.items] == [payment.id]

    TakeTicket(tickets, clock).execute(AGENT, bug.id)
    mine = ListTicketQueue(tickets).execute(AGENT, TicketFilters(assignee_id="agent"), PageRequest())
    unassigned = ListTicketQueue(tickets).execute(AGENT, TicketFilters(unassigned=True), PageRequest())
    assert [t.id for t in mine.items] == [bug.id]
    assert [t.id for t in unassigned.items] == [payment.id, other.id]


def test_only_agents_work_the_queue(world):
    clock, _, _, tickets = world
    request = submit(world)
    open_from_outbox(world)
    with pytest.raises(NotAllowed):
        ListTicketQueue(tickets).execute(ANA, TicketFilters(), PageRequest())
    with pytest.raises(NotAllowed):
        TakeTicket(tickets, clock).execute(ANA, request.id)


def test_agent_reply_and_resolution_reach_the_requester_through_the_outbox(world):
    clock, outbox, requests, tickets = world
    request = submit(world)
    open_from_outbox(world)

    TakeTicket(tickets, clock).execute(AGENT, request.id)
    ReplyToTicket(tickets, clock).execute(AGENT, request.id, "Refunded")
    ResolveTicket(tickets, clock).execute(AGENT, request.id)

    notices = outbox.messages(topic=MARKETPLACE_EVENTS_TOPIC)
    assert [m.name for m in notices] == ["support.ticket_opened", "support.ticket_status_changed",
                                         "support.ticket_replied", "support.ticket_status_changed"]
    assert all(m.payload["recipient_ids"] == ["ana"] for m in notices)
    view = GetMySupportRequest(requests, tickets).execute(ANA, request.id)
    assert view.ticket.status is TicketStatus.RESOLVED and view.ticket.replies[0].body == "Refunded"


def test_a_stale_ticket_is_not_saved_over_a_newer_one(world):
    clock, _, _, tickets = world
    request = submit(world)
    open_from_outbox(world)
    stale = tickets.get(request.id)
    TakeTicket(tickets, clock).execute(AGENT, request.id)

    stale.resolve("agent", clock.now() + timedelta(seconds=1))
    with pytest.raises(Conflict):
        tickets.save(stale)
