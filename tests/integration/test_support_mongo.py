"""The MongoDB adapters of support, notifications and the outbox against the local server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.mongo.connection import MongoConnection
from adapters.outbound.mongo.outbox import OutboxDocument, outbox_entry
from adapters.outbound.mongo.outbox_store import MongoOutboxStore, OutboxBacklogReadiness
from adapters.outbound.notifications.mongo_documents import NOTIFICATIONS_DOCUMENTS, NotificationDocument
from adapters.outbound.notifications.mongo_repositories import MongoNotificationInbox
from adapters.outbound.support.mongo_documents import SUPPORT_DOCUMENTS, SupportRequestDocument, TicketDocument
from adapters.outbound.support.mongo_repositories import MongoSupportRequestRepository, MongoTicketRepository
from application.shared.pagination import PageRequest
from application.support.ports import TicketFilters
from domain.notifications.notification import Notification
from domain.shared.errors import Conflict
from domain.shared.events import DomainEvent
from domain.support.requests import Category, SupportRequest
from domain.support.tickets import Priority, Ticket, TicketStatus
from tests.fakes import FakeClock

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def mongo(mongo_url):
    connection = MongoConnection(mongo_url, "support_mongo_tests")
    connection.ensure([*SUPPORT_DOCUMENTS, *NOTIFICATIONS_DOCUMENTS, OutboxDocument])
    return connection


@pytest.fixture(autouse=True)
def clean(mongo):
    for document in (SupportRequestDocument, TicketDocument, NotificationDocument, OutboxDocument):
        document._get_collection().delete_many({})


def a_request(user_id="ana", minutes=0, category=Category.PAYMENTS) -> SupportRequest:
    from domain.shared.ids import new_id

    return SupportRequest.submit(request_id=new_id(), user_id=user_id, category=category, subject="Charged twice",
                                 description="details", order_id="o-1", page_url="/orders/o-1",
                                 now=NOW + timedelta(minutes=minutes))


def a_ticket(request: SupportRequest, minutes=0) -> Ticket:
    return Ticket.open(request_id=request.id, user_id=request.user_id, category=request.category,
                       subject=request.subject, description=request.description, order_id=request.order_id,
                       page_url=request.page_url, submitted_at=request.submitted_at,
                       now=NOW + timedelta(minutes=minutes))


def outbox_names() -> list[str]:
    return [d["name"] for d in OutboxDocument._get_collection().find().sort("occurred_at", 1)]


def test_a_request_and_its_event_are_written_together_and_read_back(mongo):
    repository = MongoSupportRequestRepository()
    request = a_request()
    repository.add(request)

    assert repository.get(request.id) == request
    assert request.pending_events == ()
    [entry] = OutboxDocument._get_collection().find()
    assert (entry["_id"], entry["topic"], entry["key"], entry["status"]) == (
        entry["_id"], "support.requests", "ana", "pending")
    assert entry["payload"]["request_id"] == request.id


def test_when_the_write_fails_neither_the_request_nor_its_event_is_stored(mongo):
    repository = MongoSupportRequestRepository()
    request = a_request()
    repository.add(request)
    clash = a_request()
    clash.id = request.id  # same primary key: the insert fails inside the transaction
    clash.record(DomainEvent(name="x", topic="t", key="k", occurred_at=NOW, payload={}))

    with pytest.raises(Exception):
        repository.add(clash)
    assert OutboxDocument._get_collection().count_documents({}) == 1


def test_my_requests_newest_first_paginated(mongo):
    repository = MongoSupportRequestRepository()
    ids = []
    for minute in range(3):
        request = a_request(minutes=minute)
        repository.add(request)
        ids.append(request.id)
    repository.add(a_request(user_id="luis"))

    page = repository.list_for_user("ana", PageRequest(page=1, page_size=2))
    assert [r.id for r in page.items] == [ids[2], ids[1]] and page.total == 3


def test_a_ticket_opens_once_per_request_with_one_notification_event(mongo):
    tickets = MongoTicketRepository()
    request = a_request()

    assert tickets.add(a_ticket(request)) is True
    assert tickets.add(a_ticket(request)) is False
    assert TicketDocument._get_collection().count_documents({}) == 1
    assert outbox_names() == ["support.ticket_opened"]


def test_saving_a_ticket_writes_its_events_and_refuses_a_stale_copy(mongo):
    tickets = MongoTicketRepository()
    request = a_request()
    tickets.add(a_ticket(request))

    ticket = tickets.get(request.id)
    stale = tickets.get(request.id)
    ticket.take("agent", NOW)
    ticket.reply_as_agent("agent", "Refunded", "r1", NOW)
    tickets.save(ticket)

    stored = tickets.get(request.id)
    assert stored.status is TicketStatus.IN_PROGRESS and stored.replies == ticket.replies
    assert stored.version == 1
    assert outbox_names() == ["support.ticket_opened", "support.ticket_status_changed", "support.ticket_replied"]
    stale.resolve("agent", NOW)
    with pytest.raises(Conflict):
        tickets.save(stale)
    assert len(outbox_names()) == 3, "the failed save wrote no event"


def test_the_queue_sorts_by_priority_then_age_and_filters(mongo):
    tickets = MongoTicketRepository()
    other, bug, payment = (a_request(category=c) for c in (Category.OTHER, Category.SITE_BUG, Category.PAYMENTS))
    for minute, request in enumerate((other, bug, payment)):
        tickets.add(a_ticket(request, minutes=minute))
    taken = tickets.get(bug.id)
    taken.take("agent", NOW)
    tickets.save(taken)

    everything = tickets.search(TicketFilters(), PageRequest())
    assert [t.id for t in everything.items] == [payment.id, bug.id, other.id]
    assert [t.id for t in tickets.search(TicketFilters(priority=Priority.LOW), PageRequest()).items] == [other.id]
    assert [t.id for t in tickets.search(TicketFilters(assignee_id="agent"), PageRequest()).items] == [bug.id]
    assert tickets.search(TicketFilters(unassigned=True), PageRequest()).total == 2
    assert [t.id for t in tickets.search(TicketFilters(status=TicketStatus.IN_PROGRESS,
                                                       category=Category.SITE_BUG), PageRequest()).items] == [bug.id]
    assert set(tickets.get_many([payment.id, "missing"])) == {payment.id}


def test_the_outbox_store_claims_with_a_lease_marks_sent_and_schedules_retries(mongo):
    MongoSupportRequestRepository().add(a_request())
    MongoSupportRequestRepository().add(a_request(minutes=1))
    store = MongoOutboxStore()
    now = NOW + timedelta(minutes=5)

    first = store.claim_due(now, 1, timedelta(seconds=30))
    second = store.claim_due(now, 10, timedelta(seconds=30))
    assert len(first) == len(second) == 1 and first[0].event_id != second[0].event_id
    assert store.claim_due(now, 10, timedelta(seconds=30)) == []

    store.mark_sent([first[0].event_id], now)
    store.schedule_retry(second[0].event_id, 1, now + timedelta(seconds=2), "broker down")
    assert store.backlog(now) == (1, 240.0)
    assert store.claim_due(now + timedelta(seconds=1), 10, timedelta(seconds=30)) == []
    [again] = store.claim_due(now + timedelta(seconds=3), 10, timedelta(seconds=30))
    assert again.attempts == 1 and again.payload == second[0].payload

    store.mark_sent([again.event_id], now)
    assert store.backlog(now) == (0, None)


def test_the_outbox_store_brings_forward_delayed_events_but_not_leased_ones(mongo):
    MongoSupportRequestRepository().add(a_request())
    MongoSupportRequestRepository().add(a_request(minutes=1))
    store = MongoOutboxStore()
    now = NOW + timedelta(minutes=5)
    [delayed] = store.claim_due(now, 1, timedelta(seconds=30))
    store.schedule_retry(delayed.event_id, 4, now + timedelta(seconds=50), "broker down")
    [leased] = store.claim_due(now, 1, timedelta(seconds=30))

    assert store.bring_forward(now + timedelta(seconds=1)) == 1

    assert [m.event_id for m in store.claim_due(now + timedelta(seconds=2), 10, timedelta(seconds=30))] \
        == [delayed.event_id]
    assert leased.event_id != delayed.event_id


def _events_due_at(count: int, now: datetime) -> list[str]:
    """Outbox entries whose due times and ages are shuffled against their insertion order."""
    entries = []
    for n in range(count):
        event = DomainEvent(name="thing.happened", topic="marketplace.events", key=f"k{n}", payload={"n": n},
                            occurred_at=now - timedelta(seconds=(n * 7) % count))
        entry = outbox_entry(event)
        # Never exactly "now": secantus 0.7's index range drops a $lte bound's equal keys (MongoDB does not).
        entry["next_attempt_at"] = now - timedelta(minutes=(n * 3) % 5, seconds=1)
        entries.append(entry)
    OutboxDocument._get_collection().insert_many(entries)
    ordered = sorted(entries, key=lambda e: (e["next_attempt_at"], e["occurred_at"]))
    return [e["_id"] for e in ordered]


def test_the_outbox_store_claims_due_events_oldest_first_in_one_batch(mongo):
    now = NOW + timedelta(hours=1)
    expected = _events_due_at(30, now)

    claimed = MongoOutboxStore().claim_due(now, 12, timedelta(seconds=30))
    rest = MongoOutboxStore().claim_due(now, 100, timedelta(seconds=30))

    assert [m.event_id for m in claimed] == expected[:12]
    assert [m.event_id for m in rest] == expected[12:]


def test_relays_claiming_at_once_never_share_an_event(mongo):
    now = NOW + timedelta(hours=1)
    expected = _events_due_at(60, now)
    claims: list[list[str]] = [[] for _ in range(4)]

    def relay(mine: list[str]) -> None:
        store = MongoOutboxStore()
        while batch := store.claim_due(now, 5, timedelta(seconds=30)):
            mine.extend(m.event_id for m in batch)

    threads = [threading.Thread(target=relay, args=(mine,)) for mine in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    everything = [event_id for mine in claims for event_id in mine]
    assert sorted(everything) == sorted(expected) and len(set(everything)) == len(everything)


def test_the_backlog_readiness_reports_and_fails_only_past_its_limit(mongo):
    clock = FakeClock(NOW)
    readiness = OutboxBacklogReadiness(MongoOutboxStore(), clock, max_age_seconds=60)
    assert readiness.check() == (True, "0 pending events")
    MongoSupportRequestRepository().add(a_request())
    clock.advance(seconds=30)
    assert readiness.check() == (True, "1 pending event(s), oldest 30s old")
    clock.advance(seconds=60)
    up, detail = readiness.check()
    assert not up and "limit 60s" in detail


def test_the_inbox_skips_redelivered_items_and_reads_marks_per_recipient(mongo):
    inbox = MongoNotificationInbox()

    def item(event_id, recipient, minute):
        return Notification.from_event(notification_id=f"{event_id}-{recipient}-{minute}", recipient_id=recipient,
                                       event_id=event_id, event_name="orders.order_paid",
                                       occurred_at=NOW + timedelta(minutes=minute),
                                       payload={"title": f"t{minute}", "order_id": "o-1"})

    assert inbox.add_many([item("e1", "ana", 0), item("e1", "luis", 0)]) == 2
    assert inbox.add_many([item("e1", "ana", 5), item("e2", "ana", 1)]) == 1, "e1 for ana is already there"

    page = inbox.page_for("ana", PageRequest())
    assert [n.event_id for n in page.items] == ["e2", "e1"] and page.items[1].data == {"order_id": "o-1"}
    assert inbox.unread_count("ana") == 2
    assert inbox.mark_read("luis", page.items[0].id, NOW) is None
    assert inbox.mark_read("ana", page.items[0].id, NOW).read_at == NOW
    assert inbox.mark_read("ana", page.items[0].id, NOW + timedelta(hours=1)).read_at == NOW
    assert [n.event_id for n in inbox.page_for("ana", PageRequest(), unread_only=True).items] == ["e1"]
    assert inbox.mark_all_read("ana", NOW) == 1
    assert inbox.unread_count("ana") == 0 and inbox.unread_count("luis") == 1


def test_racing_saves_of_one_ticket_let_one_win_and_the_others_get_a_conflict(mongo):
    import threading

    tickets = MongoTicketRepository()
    request = a_request()
    tickets.add(a_ticket(request))
    copies = [tickets.get(request.id) for _ in range(6)]
    barrier = threading.Barrier(len(copies))
    outcomes: list[str] = []

    def save(n: int, ticket: Ticket) -> None:
        ticket.take(f"agent-{n}", NOW)
        barrier.wait()
        try:
            tickets.save(ticket)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n, t)) for n, t in enumerate(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert outbox_names().count("support.ticket_status_changed") == 1
