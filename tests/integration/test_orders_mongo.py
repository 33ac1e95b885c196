"""The orders' MongoDB adapters on the local MongoDB-compatible server: transactions with the
outbox, reservations that make double booking impossible, version checks, scheduler leases."""

from __future__ import annotations

import copy
import threading
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import MongoUserRepository
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.mongo.unit_of_work import MongoUnitOfWork
from adapters.outbound.orders.in_memory import InMemoryCompletedJobs, InMemoryServiceCatalog
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS, SlotReservationDocument
from adapters.outbound.orders.mongo_repositories import (
    MongoIdempotencyStore,
    MongoOrderRepository,
    MongoScheduleRepository,
)
from adapters.outbound.orders.people import AccountsPeople
from adapters.outbound.payments.in_memory import InMemoryPaymentGateway
from application.orders import use_cases as uc
from application.orders.ports import StoredResponse
from application.shared.pagination import PageRequest
from domain.accounts.email import Email
from domain.accounts.user import User
from domain.orders.errors import ConcurrentOrderChange, SlotTaken
from domain.orders.order import (
    InvoiceRecord,
    OrderStatus,
    Party,
    PaymentRecord,
    Quote,
    RefundRecord,
    ServiceSnapshot,
    TimelineEntry,
)
from domain.orders.pricing import PriceModel
from domain.orders.schedule import SellerSchedule, TimeOff, WorkingRange
from domain.shared.access import Role
from domain.shared.errors import Conflict, InvalidInput
from domain.shared.money import Money
from tests.fakes import FakeClock
from tests.unit.application.orders_world import BUYER, POLICY, SELLER, SLOT

pytestmark = pytest.mark.integration
S = OrderStatus


@pytest.fixture(scope="module")
def connection(mongo_url):
    connection = MongoConnection(mongo_url, f"orders_it_{uuid.uuid4().hex[:8]}")
    connection.ensure([*ORDERS_DOCUMENTS, OutboxDocument, *ACCOUNTS_DOCUMENTS])
    yield connection
    connection.db.client.drop_database(connection.db.name)
    disconnect()


class MongoWorld:
    """The use cases on the real repositories; catalog and gateway stay fakes."""

    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
        self.orders = MongoOrderRepository()
        self.schedules = MongoScheduleRepository()
        self.catalog = InMemoryServiceCatalog()
        self.gateway = InMemoryPaymentGateway()
        self.catalog.add(ServiceSnapshot("fixed", "seller", "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60))
        self.schedules.save(SellerSchedule(seller_id="seller", time_zone="Europe/Madrid", buffer_minutes=30,
                                           weekly_hours={d: [WorkingRange(time(8), time(20))] for d in range(7)}))

    def book(self, start: datetime = SLOT):
        return uc.BookService(self.catalog, self.schedules, self.orders, self.gateway, POLICY, self.clock).execute(
            BUYER, uc.BookCommand(service_id="fixed", start=start, address="Calle Mayor 1"))

    def timers(self) -> uc.RunDueTimers:
        return uc.RunDueTimers(self.orders, self.gateway, POLICY, self.clock, InMemoryCompletedJobs(),
                               MongoUnitOfWork())


@pytest.fixture
def world(connection) -> MongoWorld:
    for name in connection.db.list_collection_names():
        connection.db[name].delete_many({})
    return MongoWorld()


def outbox_names(connection) -> list[str]:
    """Sorted by name: the fake clock gives many events the same instant."""
    return sorted(e["name"] for e in connection.db["outbox"].find())


def test_an_order_round_trips_with_everything_it_carries(world, connection):
    order = world.book()
    stored = world.orders.get(order.id)
    stored.quote = Quote(Money(5000, "EUR"), "ok", SLOT, 2)
    stored.payment = PaymentRecord("pay-1", "COMPLETED", Money(5000, "EUR"), Money(500, "EUR"), "VISA", "1111")
    stored.captured = Money(5000, "EUR")
    stored.refunds.append(RefundRecord("ref-1", Money(100, "EUR"), Money(10, "EUR"), "PENDING", "late", SLOT))
    stored.invoice = InvoiceRecord("inv-1", "UNPAID", "https://pay/inv-1", SLOT)
    stored.timeline.append(TimelineEntry(SLOT, "seller", Party.SELLER, stored.status, stored.status, "refund", "late",
                                         Money(100, "EUR")))
    world.orders.save(stored)
    again = world.orders.get(order.id)
    assert again == stored and again.timeline[-1].amount == Money(100, "EUR")
    assert world.orders.find_by_payment_id("pay-1").id == order.id
    assert world.orders.find_by_invoice_id("inv-1").id == order.id
    assert outbox_names(connection) == ["order.booked"]
    [event] = connection.db["outbox"].find()
    assert event["key"] == order.id and event["topic"] == "marketplace.events"
    assert event["payload"]["recipient_ids"] == ["seller"]


def test_a_booking_whose_slot_is_taken_writes_nothing(world, connection):
    world.book()
    with pytest.raises(SlotTaken):
        world.book(SLOT + timedelta(minutes=45))
    assert connection.db["orders"].count_documents({}) == 1
    assert outbox_names(connection) == ["order.booked"]
    assert SlotReservationDocument._get_collection().count_documents({}) == 6


def test_many_buyers_at_the_same_moment_exactly_one_wins(world, connection):
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        try:
            world.book()
            outcomes.append("won")
        except SlotTaken:
            outcomes.append("taken")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["taken"] * 7 + ["won"]
    assert connection.db["orders"].count_documents({}) == 1
    assert SlotReservationDocument._get_collection().count_documents({}) == 6
    assert outbox_names(connection) == ["order.booked"]


def test_a_stale_save_is_refused_and_leaves_no_event(world, connection):
    order = world.book()
    first, second = world.orders.get(order.id), world.orders.get(order.id)
    first.expire(actor_id="system", now=world.clock.now())
    second.void(uc.Action.CANCEL, actor_id="buyer", party=second.party_of(BUYER), now=world.clock.now())
    world.orders.save(first)
    with pytest.raises(ConcurrentOrderChange):
        world.orders.save(second)
    assert outbox_names(connection) == ["order.booked", "order.expired"]
    assert world.orders.get(order.id).status is S.EXPIRED


def test_two_concurrent_transitions_on_one_order_exactly_one_wins(world):
    order = world.book()
    copies = [world.orders.get(order.id) for _ in range(2)]
    copies[0].expire(actor_id="system", now=world.clock.now())
    copies[1].void(uc.Action.CANCEL, actor_id="buyer", party=copies[1].party_of(BUYER), now=world.clock.now())
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(copy_):
        barrier.wait()
        try:
            world.orders.save(copy_)
            outcomes.append("saved")
        except ConcurrentOrderChange:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(c,)) for c in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert world.orders.get(order.id).version == 1


def test_ending_a_booking_releases_its_units(world):
    order = world.book()
    loaded = world.orders.get(order.id)
    loaded.void(uc.Action.CANCEL, actor_id="buyer", party=loaded.party_of(BUYER), now=world.clock.now())
    world.orders.save(loaded)
    assert world.orders.taken_units("seller", SLOT - timedelta(days=1), SLOT + timedelta(days=1)) == set()
    assert world.book().status is S.PENDING_PAYMENT


def test_lists_by_side_and_status_newest_first_with_pages(world):
    ids = []
    for i in range(5):
        ids.append(world.book(SLOT + timedelta(hours=2 * i)).id)
        world.clock.advance(seconds=1)
    page = world.orders.list_for(buyer_id="buyer", page=PageRequest(1, 2))
    assert page.total == 5 and [o.id for o in page.items] == ids[::-1][:2] and page.items[0].timeline == []
    assert [o.id for o in world.orders.list_for(seller_id="seller", page=PageRequest(3, 2)).items] == [ids[0]]
    assert world.orders.list_for(seller_id="seller", statuses=[S.ACCEPTED], page=PageRequest()).total == 0
    whole = world.orders.list_for(buyer_id="buyer", page=PageRequest(1, 2), with_timeline=True).items[0]
    assert whole.timeline == world.orders.get(whole.id).timeline != []
    taken = world.orders.taken_units("seller", SLOT, SLOT + timedelta(hours=2))
    assert min(taken) == SLOT and len(taken) == 6


def test_a_due_order_is_leased_to_one_scheduler_at_a_time(world):
    order = world.book()
    now = world.clock.now() + timedelta(minutes=16)
    assert world.orders.claim_due(now=now, lease=timedelta(seconds=60), owner="a") == order.id
    assert world.orders.claim_due(now=now, lease=timedelta(seconds=60), owner="b") is None
    assert world.orders.claim_due(now=now + timedelta(seconds=61), lease=timedelta(seconds=60), owner="b") == order.id


def test_two_schedulers_act_on_every_due_order_exactly_once(world, connection):
    ids = [world.book(SLOT + timedelta(minutes=90 * i)).id for i in range(6)]
    world.clock.advance(minutes=16)
    acted: list[int] = []
    barrier = threading.Barrier(2)

    def run(owner: str) -> None:
        barrier.wait()
        acted.append(world.timers().execute(owner))

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(acted) == 6
    assert all(world.orders.get(i).status is S.EXPIRED for i in ids)
    assert outbox_names(connection).count("order.expired") == 6
    assert SlotReservationDocument._get_collection().count_documents({}) == 0
    assert world.timers().execute("a") == 0


def test_schedules_round_trip_and_refuse_a_stale_save(world):
    schedule = world.schedules.get("seller")
    schedule.add_time_off(TimeOff("t1", SLOT, SLOT + timedelta(hours=3), "dentist"))
    stale = copy.deepcopy(schedule)
    world.schedules.save(schedule)
    again = world.schedules.get("seller")
    assert again.time_off == schedule.time_off and again.weekly_hours[0] == [WorkingRange(time(8), time(20))]
    with pytest.raises(Conflict):
        world.schedules.save(stale)


def test_the_idempotency_store_replays_refuses_and_forgets(world):
    store = MongoIdempotencyStore(lock=timedelta(seconds=30))
    now = world.clock.now()
    assert store.begin(scope="s1", fingerprint="f", now=now) is None
    with pytest.raises(Conflict):
        store.begin(scope="s1", fingerprint="f", now=now)
    with pytest.raises(InvalidInput):
        store.begin(scope="s1", fingerprint="other", now=now)
    store.finish(scope="s1", response=StoredResponse(201, '{"ok": true}'), now=now)
    assert store.begin(scope="s1", fingerprint="f", now=now) == StoredResponse(201, '{"ok": true}')
    assert store.begin(scope="s2", fingerprint="f", now=now) is None
    store.abandon(scope="s2")
    assert store.begin(scope="s2", fingerprint="f", now=now) is None
    # A request that crashed without finishing: its reservation lapses.
    assert store.begin(scope="s2", fingerprint="f", now=now + timedelta(seconds=31)) is None


def test_people_come_from_the_accounts_users(world):
    users = MongoUserRepository()
    user = User.register(user_id="u1", email=Email("ana@example.com"), display_name="Ana", password_hash="x",
                         role=Role.BUYER, now=world.clock.now())
    users.add(user)
    contact = AccountsPeople(users).contact("u1")
    assert (contact.name, contact.email) == ("Ana", "ana@example.com")
    assert AccountsPeople(users).contact("nobody") is None


def test_the_full_payment_flow_on_mongo(world, connection):
    order = world.book()
    pay = uc.PayOrder(world.orders, world.gateway, POLICY, world.clock)
    pay.execute(BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key="k")
    accepted = uc.AcceptOrder(world.orders, world.gateway, POLICY, world.clock).execute(SELLER, order.id)
    refund = uc.RefundOrder(world.orders, world.gateway, world.clock)
    refund.execute(SELLER, order.id, amount=Money(1000, "EUR"), reason="", idempotency_key="r1")
    stored = world.orders.get(accepted.id)
    assert stored.status is S.ACCEPTED and stored.refunded == Money(1000, "EUR")
    assert outbox_names(connection) == ["order.accepted", "order.booked", "order.paid", "order.refunded"]
