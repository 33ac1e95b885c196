from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.errors import InvalidInput
from domain.support.errors import InvalidTicketTransition, TicketTakenByAnotherAgent
from domain.support.events import MARKETPLACE_EVENTS_TOPIC, SUPPORT_REQUEST_SUBMITTED, SUPPORT_REQUESTS_TOPIC
from domain.support.requests import Category, SupportRequest
from domain.support.tickets import Author, Priority, Ticket, TicketStatus

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def submit(**overrides) -> SupportRequest:
    fields = dict(request_id="a1b2c3d4e5f6", user_id="user-1", category=Category.PAYMENTS,
                  subject="  Charged   twice ", description="I was charged twice for order 42.",
                  order_id="order-42", page_url="/orders/42", now=NOW)
    fields.update(overrides)
    return SupportRequest.submit(**fields)


def open_ticket(category: Category = Category.ORDER) -> Ticket:
    ticket = Ticket.open(request_id="a1b2c3d4e5f6", user_id="user-1", category=category, subject="Stuck order",
                         description="It never started.", order_id=None, page_url=None, submitted_at=NOW,
                         now=NOW + timedelta(seconds=2))
    ticket.pull_events()
    return ticket


def test_a_submitted_request_records_its_event_for_the_support_module_keyed_by_user():
    request = submit()

    [event] = request.pending_events
    assert (event.name, event.topic, event.key) == (SUPPORT_REQUEST_SUBMITTED, SUPPORT_REQUESTS_TOPIC, "user-1")
    assert event.payload["request_id"] == request.id
    assert event.payload["subject"] == "Charged twice"
    assert event.payload["category"] == "payments"
    assert request.reference == "SR-A1B2C3D4"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 141}, "subject"),
    ({"description": ""}, "description"),
    ({"page_url": "javascript:alert(1)"}, "page_url"),
    ({"page_url": "orders/42"}, "page_url"),
    ({"order_id": "42; drop"}, "order_id"),
])
def test_a_request_names_the_field_at_fault(overrides, field):
    with pytest.raises(InvalidInput) as error:
        submit(**overrides)
    assert error.value.field == field


def test_optional_fields_may_be_blank():
    request = submit(order_id=" ", page_url=None)
    assert request.order_id is None and request.page_url is None


@pytest.mark.parametrize(("category", "priority"), [
    (Category.PAYMENTS, Priority.HIGH), (Category.ORDER, Priority.HIGH),
    (Category.ACCOUNT_ACCESS, Priority.NORMAL), (Category.SITE_BUG, Priority.NORMAL), (Category.OTHER, Priority.LOW),
])
def test_payment_and_order_problems_come_first(category, priority):
    assert open_ticket(category).priority is priority
    assert Priority.HIGH.rank < Priority.NORMAL.rank < Priority.LOW.rank


def test_opening_a_ticket_notifies_the_requester_with_the_reference():
    ticket = Ticket.open(request_id="a1b2c3d4e5f6", user_id="user-1", category=Category.OTHER, subject="Hi",
                         description="d", order_id=None, page_url=None, submitted_at=NOW, now=NOW)

    [event] = ticket.pull_events()
    assert event.topic == MARKETPLACE_EVENTS_TOPIC
    assert event.payload["recipient_ids"] == ["user-1"]
    assert "SR-A1B2C3D4" in event.payload["title"] and event.payload["ticket_id"] == ticket.id


def test_an_agent_takes_replies_and_resolves_and_the_requester_hears_each_step():
    ticket = open_ticket()

    ticket.take("agent-1", NOW)
    ticket.reply_as_agent("agent-1", "Refund on its way", "r1", NOW)
    ticket.resolve("agent-1", NOW)

    assert ticket.status is TicketStatus.RESOLVED and ticket.assignee_id == "agent-1"
    events = ticket.pull_events()
    assert [e.payload["recipient_ids"] for e in events] == [["user-1"]] * 3
    assert events[1].payload["body"] == "Refund on its way"
    assert events[2].payload["status"] == "resolved"


def test_another_agent_cannot_act_on_a_taken_ticket_but_an_admin_can():
    ticket = open_ticket()
    ticket.take("agent-1", NOW)

    with pytest.raises(TicketTakenByAnotherAgent):
        ticket.reply_as_agent("agent-2", "me too", "r1", NOW)
    with pytest.raises(TicketTakenByAnotherAgent):
        ticket.take("agent-2", NOW)
    ticket.take("admin-1", NOW, is_admin=True)
    assert ticket.assignee_id == "admin-1" and ticket.status is TicketStatus.IN_PROGRESS


def test_a_resolved_ticket_takes_no_agent_reply_and_cannot_be_resolved_again():
    ticket = open_ticket()
    ticket.resolve("agent-1", NOW)

    with pytest.raises(InvalidTicketTransition):
        ticket.reply_as_agent("agent-1", "hello", "r1", NOW)
    with pytest.raises(InvalidTicketTransition):
        ticket.resolve("agent-1", NOW)
    with pytest.raises(InvalidTicketTransition):
        ticket.take("agent-1", NOW)


def test_the_requester_answering_a_resolved_ticket_reopens_it_to_its_agent_who_is_notified():
    ticket = open_ticket()
    ticket.take("agent-1", NOW)
    ticket.resolve("agent-1", NOW)
    ticket.pull_events()

    ticket.reply_as_requester("It happened again", "r2", NOW + timedelta(hours=1))

    assert ticket.status is TicketStatus.IN_PROGRESS and ticket.resolved_at is None
    assert ticket.replies[-1].author is Author.REQUESTER
    [event] = ticket.pull_events()
    assert event.payload["recipient_ids"] == ["agent-1"]


def test_a_requester_reply_to_an_unassigned_ticket_notifies_nobody():
    ticket = open_ticket()
    ticket.reply_as_requester("more details", "r1", NOW)
    assert ticket.pull_events() == [] and ticket.status is TicketStatus.OPEN


def test_an_empty_reply_is_refused_with_its_field():
    with pytest.raises(InvalidInput) as error:
        open_ticket().reply_as_requester("   ", "r1", NOW)
    assert error.value.field == "body"
