"""On the local MongoDB-compatible server: the seller's completed-jobs counter (catalog) changes in
the transaction that stores the order's completion (orders), through the CompletedJobs port and one
unit of work. Once per completion; nothing when the completion is repeated, loses a race or fails."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest

from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.mongo_repositories import MongoSellerProfileRepository, MongoServiceRepository
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.mongo.unit_of_work import MongoUnitOfWork, ambient_session
from adapters.outbound.orders.catalog_completed_jobs import CatalogCompletedJobs
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from application.orders import use_cases as uc
from domain.catalog.profile import Presentation, SellerProfile
from domain.orders.errors import ActionNotAllowed, ConcurrentOrderChange
from domain.orders.order import OrderStatus as S
from tests.integration.test_orders_mongo import MongoWorld
from tests.unit.application.orders_world import BUYER, POLICY, SELLER, SLOT, BothReadFirst

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def connection(mongo_url):
    connection = MongoConnection(mongo_url, f"completed_jobs_it_{uuid.uuid4().hex[:8]}")
    connection.ensure([*ORDERS_DOCUMENTS, *CATALOG_DOCUMENTS, OutboxDocument])
    yield connection
    connection.db.client.drop_database(connection.db.name)
    disconnect()


class FailingAfterCounting:
    """Counts the job in the catalog, then fails: the unit must take back both writes."""

    def __init__(self, profiles: MongoSellerProfileRepository) -> None:
        self.profiles = profiles

    def add(self, seller_id: str) -> None:
        self.profiles.add_completed_job(seller_id)
        raise RuntimeError("the catalog went away")


class World(MongoWorld):
    """The orders' Mongo world, with the seller's profile whose completed-jobs counter is counted."""

    def __init__(self) -> None:
        super().__init__()
        self.profiles = MongoSellerProfileRepository()
        self.completed_jobs = CatalogCompletedJobs(self.profiles, MongoServiceRepository())
        self.uow = MongoUnitOfWork()
        self.profiles.add(SellerProfile.create(seller_id="seller", presentation=Presentation(display_name="Carlos"),
                                               member_since=self.clock.now(), now=self.clock.now()))

    def started(self, start: datetime = SLOT):
        order = self.book(start)
        uc.PayOrder(self.orders, self.gateway, POLICY, self.clock).execute(
            BUYER, order.id, source_id="cnon:card-nonce-ok", idempotency_key=f"pay-{order.id}")
        uc.AcceptOrder(self.orders, self.gateway, POLICY, self.clock).execute(SELLER, order.id)
        self.clock.current = order.slot_start  # a job is started on its day
        return uc.StartOrder(self.orders, POLICY, self.clock).execute(SELLER, order.id)

    def complete(self, actor, order_id: str, *, completed_jobs=None, orders=None):
        return uc.CompleteOrder(orders or self.orders, self.clock, completed_jobs or self.completed_jobs,
                                self.uow).execute(actor, order_id)

    def completed_jobs_count(self) -> int:
        return self.profiles.get("seller").completed_jobs


def completion_events(order_id: str) -> int:
    return OutboxDocument._get_collection().count_documents({"key": order_id, "name": "order.completed"})


@pytest.fixture
def world(connection) -> World:
    for name in connection.db.list_collection_names():
        connection.db[name].delete_many({})
    return World()


def test_a_completion_counts_once_and_a_repeated_one_is_refused_without_counting(world):
    order = world.started()
    assert world.complete(BUYER, order.id).status is S.COMPLETED
    assert world.completed_jobs_count() == 1 and completion_events(order.id) == 1
    with pytest.raises(ActionNotAllowed):
        world.complete(SELLER, order.id)
    assert world.completed_jobs_count() == 1 and completion_events(order.id) == 1


def test_the_sellers_services_count_the_job_too_and_rank_by_it(world):
    """Relevance's tie-break: each service keeps the seller's completed jobs and its rank in step."""
    from domain.catalog.service import PriceModel, Service, ServiceDetails, relevance_rank
    from domain.shared.money import Money

    services = MongoServiceRepository()
    details = ServiceDetails(title="Fontanero", description="Fugas", category="plumbing",
                             price_model=PriceModel.FIXED, price=Money(4000, "EUR"), duration_minutes=60,
                             service_areas=["Madrid"])
    services.add(Service.create(service_id="svc-carlos", seller_id="seller", details=details,
                                seller_accepting_jobs=True, now=world.clock.now()))
    world.complete(BUYER, world.started().id)
    stored = services._collection().find_one({"_id": "svc-carlos"})
    assert stored["seller_completed_jobs"] == 1 == services.get("svc-carlos").seller_completed_jobs
    assert stored["rank"] == relevance_rank(0.0, 0, 1) == services.get("svc-carlos").rank
    services.add_rating("svc-carlos", 5)
    assert services._collection().find_one({"_id": "svc-carlos"})["rank"] == relevance_rank(5.0, 1, 1)


def test_when_counting_fails_the_completion_is_not_stored_either(world):
    order = world.started()
    with pytest.raises(RuntimeError):
        world.complete(BUYER, order.id, completed_jobs=FailingAfterCounting(world.profiles))
    assert ambient_session() is None
    assert world.orders.get(order.id).status is S.IN_PROGRESS
    assert world.completed_jobs_count() == 0 and completion_events(order.id) == 0

    world.complete(BUYER, order.id)  # and a retry then lands whole
    assert world.completed_jobs_count() == 1 and completion_events(order.id) == 1


def test_of_two_simultaneous_completions_one_lands_and_counts(world):
    order = world.started()
    racing = BothReadFirst(world.orders, 2)
    outcomes: list[object] = []

    def complete(actor):
        try:
            outcomes.append(world.complete(actor, order.id, orders=racing).status)
        except ConcurrentOrderChange as error:
            outcomes.append(error)

    threads = [threading.Thread(target=complete, args=(actor,)) for actor in (BUYER, SELLER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(type(o).__name__ for o in outcomes) == ["ConcurrentOrderChange", "OrderStatus"]
    assert world.completed_jobs_count() == 1 and completion_events(order.id) == 1


def test_the_scheduler_counts_the_jobs_it_completes_once(world):
    first, second = world.started(), world.started(SLOT + timedelta(hours=3))
    world.clock.current = second.slot_end + timedelta(hours=72, seconds=1)
    timers = uc.RunDueTimers(world.orders, world.gateway, POLICY, world.clock, world.completed_jobs, world.uow)
    assert timers.execute("s1") == 2
    assert timers.execute("s2") == 0
    assert {world.orders.get(o.id).status for o in (first, second)} == {S.COMPLETED}
    assert world.completed_jobs_count() == 2
