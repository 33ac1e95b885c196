"""The free-time summaries on the local MongoDB-compatible server, kept by the tracking
repositories around the real order and schedule repositories (bookings in transactions)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.orders.in_memory import InMemoryServiceCatalog
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import (
    MongoFreeTimeSummaries,
    MongoOrderRepository,
    MongoScheduleRepository,
)
from adapters.outbound.payments.in_memory import InMemoryPaymentGateway
from application.orders import use_cases as uc
from application.orders.free_time import FreeTimeKeeper, FreeTimeTrackingOrders, FreeTimeTrackingSchedules
from domain.orders.free_time import DayFreeTime, PartOfDay
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.orders.schedule import SellerSchedule, WorkingRange
from domain.shared.money import Money
from tests.fakes import FakeClock
from tests.unit.application.orders_world import BUYER, POLICY, SELLER, SLOT

pytestmark = pytest.mark.integration
P = PartOfDay
SLOT_DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def connection(mongo_url):
    connection = MongoConnection(mongo_url, f"free_time_it_{uuid.uuid4().hex[:8]}")
    connection.ensure([*ORDERS_DOCUMENTS, OutboxDocument])
    yield connection
    connection.db.client.drop_database(connection.db.name)
    disconnect()


@pytest.fixture
def summaries(connection) -> MongoFreeTimeSummaries:
    for name in connection.db.list_collection_names():
        connection.db[name].delete_many({})
    return MongoFreeTimeSummaries()


def day(seller_id: str, on: date, morning: int, afternoon: int, evening: int) -> DayFreeTime:
    return DayFreeTime(seller_id, on, "Europe/Madrid", {P.MORNING: morning, P.AFTERNOON: afternoon, P.EVENING: evening},
                       {P.MORNING: morning, P.AFTERNOON: afternoon, P.EVENING: evening})


def test_summaries_answer_by_date_and_part_of_the_day(summaries):
    summaries.put([day("ana", SLOT_DAY, 120, 0, 60), day("bea", SLOT_DAY, 0, 0, 0),
                   day("ana", SLOT_DAY + timedelta(1), 0, 480, 0), day("cris", SLOT_DAY, 0, 240, 0)])
    assert summaries.longest_free(SLOT_DAY, None) == {"ana": 120, "cris": 240}
    assert summaries.longest_free(SLOT_DAY, P.EVENING) == {"ana": 60}
    assert summaries.longest_free(SLOT_DAY + timedelta(1), P.AFTERNOON) == {"ana": 480}
    summaries.put([day("ana", SLOT_DAY, 0, 0, 0)])  # replaced, not added
    assert summaries.longest_free(SLOT_DAY, None) == {"cris": 240}
    assert summaries._collection().count_documents({}) == 4


def test_booking_and_schedule_changes_refresh_the_stored_summary(summaries):
    clock = FakeClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    keeper = FreeTimeKeeper(MongoScheduleRepository(), MongoOrderRepository(), summaries, clock, POLICY)
    orders = FreeTimeTrackingOrders(MongoOrderRepository(), keeper)
    schedules = FreeTimeTrackingSchedules(MongoScheduleRepository(), keeper)
    schedules.save(SellerSchedule(seller_id="seller", time_zone="Europe/Madrid", buffer_minutes=30,
                                  weekly_hours={d: [WorkingRange(time(8), time(20))] for d in range(7)}))
    assert schedules.seller_ids() == ["seller"]
    assert summaries.longest_free(SLOT_DAY, P.MORNING) == {"seller": 720}
    assert summaries._collection().count_documents({}) == POLICY.free_time_days + 1

    catalog = InMemoryServiceCatalog()
    catalog.add(ServiceSnapshot("fixed", "seller", "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60))
    gateway = InMemoryPaymentGateway()
    order = uc.BookService(catalog, schedules, orders, gateway, POLICY, clock).execute(
        BUYER, uc.BookCommand(service_id="fixed", start=SLOT, address="Calle Mayor 1"))
    assert summaries.longest_free(SLOT_DAY, P.MORNING) == {"seller": 510}

    uc.PayOrder(orders, gateway, POLICY, clock).execute(BUYER, order.id, source_id="cnon:card-nonce-ok",
                                                          idempotency_key="pay-1")
    uc.DeclineOrder(orders, gateway, clock).execute(SELLER, order.id)
    assert summaries.longest_free(SLOT_DAY, P.MORNING) == {"seller": 720}

    uc.AddTimeOff(schedules).execute(SELLER, start=datetime(2026, 12, 1, tzinfo=UTC),
                                     end=datetime(2026, 12, 2, tzinfo=UTC), note="")
    assert summaries.longest_free(SLOT_DAY, None) == {}
    assert uc.RefreshAllFreeTime(schedules, keeper).execute() == 1


def test_the_unhinted_read_of_a_day_runs_on_the_date_index(summaries):
    summaries.put([day(f"s{n}", SLOT_DAY + timedelta(n % 3), 60 * (n % 2), 0, 0) for n in range(30)])
    plan = summaries._collection().find({"date": SLOT_DAY.isoformat(), "longest_any": {"$gt": 0}}).explain()
    assert plan["queryPlanner"]["winningPlan"]["inputStage"]["indexName"] == "date_1_longest_any_-1"
    assert plan["executionStats"]["totalDocsExamined"] == 5
    assert summaries.longest_free(SLOT_DAY, None) == {f"s{n}": 60 for n in range(30) if n % 3 == 0 and n % 2}
