"""The reviews' MongoDB adapters and their unit of work on the local server: publication and the
catalog's rating aggregates commit together or not at all, races have one winner, and search
sorts by what was published."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS, SellerProfileDocument, ServiceDocument
from adapters.outbound.catalog.mongo_repositories import MongoSellerProfileRepository, MongoServiceRepository
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.mongo.unit_of_work import MongoUnitOfWork, ambient_session
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import MongoOrderRepository
from adapters.outbound.reviews.catalog_ratings import CatalogRatings
from adapters.outbound.reviews.in_memory import InMemoryOrders
from adapters.outbound.reviews.mongo_documents import REVIEWS_DOCUMENTS, OrderReviewsDocument, ReviewReportDocument
from adapters.outbound.reviews.mongo_repositories import MongoReviewReports, MongoReviewRepository
from adapters.outbound.reviews.orders_facts import OrdersFacts
from application.catalog.search import ServiceSearch
from application.reviews.ports import OrderFacts, ReviewPolicy
from application.reviews.use_cases import HideReview, PublishDueReviews, WriteReview
from application.shared.pagination import PageRequest
from domain.catalog.profile import Presentation, SellerProfile
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel as OrderPriceModel
from domain.reviews.errors import AlreadyReviewed, ConcurrentReviewChange
from domain.reviews.review import OrderReviews, ReviewReport, Side
from domain.shared.access import Actor, Role
from domain.shared.errors import ConcurrentChange, Conflict
from domain.shared.money import Money
from tests.fakes import FakeClock

pytestmark = pytest.mark.integration

DONE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.SELLER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


@pytest.fixture(scope="module")
def mongo(mongo_url: str):
    connection = MongoConnection(mongo_url, "reviews_integration")
    connection.ensure([*REVIEWS_DOCUMENTS, *CATALOG_DOCUMENTS, *ORDERS_DOCUMENTS, OutboxDocument])
    try:
        yield connection
    finally:
        disconnect()


@pytest.fixture(autouse=True)
def clean(mongo):
    for document in (OrderReviewsDocument, ReviewReportDocument, ServiceDocument, SellerProfileDocument):
        document._get_collection().delete_many({})
    services, profiles = MongoServiceRepository(), MongoSellerProfileRepository()
    profiles.add(SellerProfile.create(seller_id="seller-1", presentation=Presentation(display_name="Carlos"),
                                      member_since=DONE, now=DONE))
    for service_id in ("svc-1", "svc-2"):
        services.add(Service(id=service_id, seller_id="seller-1", title="Grifos", description="Arreglo grifos",
                             category="plumbing", price_model=PriceModel.FIXED, price=Money(4500, "EUR"),
                             duration_minutes=60, service_areas=["Madrid"], tags=[],
                             status=ServiceStatus.ACTIVE, created_at=DONE, updated_at=DONE,
                             seller_accepting_jobs=True))


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(DONE + timedelta(hours=1))
        self.orders = InMemoryOrders()
        self.reviews = MongoReviewRepository()
        self.reports = MongoReviewReports()
        self.services = MongoServiceRepository()
        self.profiles = MongoSellerProfileRepository()
        self.ratings = CatalogRatings(self.services, self.profiles)
        self.uow = MongoUnitOfWork()
        for n, service_id in ((1, "svc-1"), (2, "svc-1"), (3, "svc-2")):
            self.orders.add(OrderFacts(f"order-{n}", "buyer-1", "seller-1", service_id, completed_at=DONE))

    def write(self, actor: Actor, order_id: str = "order-1", stars: int = 5, ratings=None):
        return WriteReview(self.orders, self.reviews, ratings or self.ratings, self.uow,
                           ReviewPolicy(timedelta(days=7)), self.clock).execute(actor, order_id, stars=stars,
                                                                                 text="Bien")

    def seller_rating(self) -> tuple[float, int]:
        profile = self.profiles.get("seller-1")
        return profile.rating_average, profile.rating_count


@pytest.fixture
def world(mongo) -> World:
    return World()


def test_publishing_folds_the_rating_into_seller_and_service_and_search_sorts_by_it(world):
    world.write(BUYER, "order-1", stars=5)
    assert world.seller_rating() == (0.0, 0)  # blind: nothing counted yet
    world.write(SELLER, "order-1", stars=3)
    world.write(BUYER, "order-3", stars=2)
    world.write(SELLER, "order-3", stars=4)

    assert world.seller_rating() == (3.5, 2)
    assert (world.services.get("svc-1").rating_average, world.services.get("svc-1").rating_count) == (5.0, 1)
    # Each service's copy of the seller's card read the profile inside the unit, its own write included.
    cards = {s.id: s.seller for s in world.services.find_page(ServiceSearch.build(), PageRequest())}
    assert {(c.display_name, c.rating_average, c.rating_count) for c in cards.values()} == {("Carlos", 3.5, 2)}
    by_rating = world.services.find_page(ServiceSearch.build(sort="rating"), PageRequest())
    assert [s.id for s in by_rating] == ["svc-1", "svc-2"]
    assert [s.id for s in world.services.find_page(ServiceSearch.build(min_rating=3), PageRequest())] == ["svc-1"]

    seller_page = world.reviews.published_about_seller("seller-1", PageRequest(page_size=1))
    assert seller_page.total == 2 and len(seller_page.items) == 1
    assert world.reviews.published_about_service("svc-2", PageRequest()).items[0].by_buyer.stars == 2
    assert world.reviews.published_about_buyer("buyer-1", PageRequest()).total == 2

    HideReview(world.reviews, world.reports, world.ratings, world.uow, world.clock).execute(
        AGENT, "order-1", Side.BUYER, "insultos")
    assert world.seller_rating() == (2.0, 1)
    assert (world.services.get("svc-2").seller.rating_average, world.services.get("svc-2").seller.rating_count) == (2.0, 1)
    assert world.services.get("svc-1").rating_count == 0 and world.services.get("svc-1").rating_average == 0.0
    assert world.reviews.published_about_seller("seller-1", PageRequest()).total == 1


class FailingRatings:
    """Updates the seller's aggregate, then fails before the service's: nothing may remain."""

    def __init__(self, profiles: MongoSellerProfileRepository) -> None:
        self.profiles = profiles

    def add(self, *, seller_id: str, service_id: str, stars: int) -> None:
        self.profiles.add_rating(seller_id, stars)
        raise RuntimeError("the catalog went away")

    def remove(self, *, seller_id: str, service_id: str, stars: int) -> None:
        raise AssertionError("not used")


def test_publication_and_the_aggregates_commit_together_or_not_at_all(world):
    world.write(BUYER, "order-1", stars=5)
    with pytest.raises(RuntimeError):
        world.write(SELLER, "order-1", stars=4, ratings=FailingRatings(world.profiles))
    stored = world.reviews.get("order-1")
    assert stored.by_seller is None and not stored.is_published
    assert world.seller_rating() == (0.0, 0)
    assert ambient_session() is None  # the unit closed even though it failed

    world.write(SELLER, "order-1", stars=4)
    assert world.seller_rating() == (5.0, 1)


def test_nested_units_join_the_outer_transaction(world):
    reviews = OrderReviews.open(order_id="order-2", buyer_id="buyer-1", seller_id="seller-1", service_id="svc-1",
                                completed_at=DONE, window=timedelta(days=7))
    reviews.write(Side.BUYER, author_id="buyer-1", stars=5, text="Bien", now=DONE)
    with pytest.raises(RuntimeError):
        with world.uow:
            with world.uow:
                world.reviews.add(reviews)
            assert ambient_session() is not None
            raise RuntimeError("the outer unit fails after the inner one ended")
    assert world.reviews.get("order-2") is None


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            outcomes[i] = call()
        except Exception as error:  # the outcome is what the test looks at
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_the_same_side_submitting_twice_at_once_has_one_winner(world):
    outcomes = _race(lambda: world.write(BUYER, "order-1", stars=5), lambda: world.write(BUYER, "order-1", stars=1))
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (AlreadyReviewed, ConcurrentChange)), outcomes
    assert isinstance(errors[0], Conflict)
    stored = world.reviews.get("order-1")
    assert stored.by_buyer is not None and stored.by_seller is None


def test_both_sides_writing_at_once_publish_once_with_one_rating(world):
    outcomes = _race(lambda: world.write(BUYER, "order-1", stars=4), lambda: world.write(SELLER, "order-1", stars=2))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert world.reviews.get("order-1").is_published
    assert world.seller_rating() == (4.0, 1)


def test_the_timer_publishes_due_reviews_once_even_with_two_runners(world):
    world.write(BUYER, "order-1", stars=4)
    world.write(BUYER, "order-3", stars=2)
    world.write(SELLER, "order-2", stars=5)
    publish = PublishDueReviews(world.reviews, world.ratings, world.uow, world.clock)
    assert publish.execute() == 0
    world.clock.advance(days=7)
    assert world.reviews.due_for_publication(world.clock.now(), 10) == ["order-1", "order-2", "order-3"]
    outcomes = _race(publish.execute, publish.execute)
    assert sum(outcomes) == 3, outcomes
    assert world.seller_rating() == (3.0, 2)
    assert world.reviews.due_for_publication(world.clock.now(), 10) == []


def test_saving_a_stale_copy_is_a_concurrent_change(world):
    world.write(BUYER, "order-1")
    stale = world.reviews.get("order-1")
    fresh = world.reviews.get("order-1")
    fresh.hide(Side.BUYER, reason="spam", staff_id="agent", now=DONE)
    world.reviews.save(fresh)
    with pytest.raises(ConcurrentReviewChange):
        world.reviews.save(stale)
    assert world.reviews.get("order-1").by_buyer.hidden.reason == "spam"


def test_reports_are_one_per_person_and_review_and_leave_the_queue_when_closed(world):
    reports = world.reports
    for n, reporter in enumerate(("eve", "eve", "luis")):
        reports.add(ReviewReport(id=f"r-{n}", order_id="order-1", side=Side.BUYER, reporter_id=reporter,
                                 reason="spam", at=DONE + timedelta(minutes=n)))
    reports.add(ReviewReport(id="r-9", order_id="order-2", side=Side.BUYER, reporter_id="eve", reason="spam",
                             at=DONE))
    page = reports.list_open(PageRequest())
    assert page.total == 3 and [r.id for r in page.items] == ["r-2", "r-9", "r-0"]  # ties: newest id first
    reports.close("order-1", Side.BUYER)
    assert [r.id for r in reports.list_open(PageRequest()).items] == ["r-9"]


def test_orders_facts_reads_the_orders_through_their_repository(mongo):
    orders = MongoOrderRepository()
    now = DONE
    snapshot = ServiceSnapshot("svc-1", "seller-1", "Grifos", OrderPriceModel.FIXED, Money(4500, "EUR"), 60)
    for order_id, status in (("facts-done", OrderStatus.COMPLETED), ("facts-live", OrderStatus.IN_PROGRESS)):
        orders._orders().delete_many({"_id": order_id})
        orders.add(Order(id=order_id, buyer_id="buyer-1", service=snapshot, slot_start=now - timedelta(hours=3),
                         slot_end=now - timedelta(hours=2), time_zone="Europe/Madrid", buffer_minutes=0,
                         address="Calle Mayor 1", notes="", status=status, created_at=now - timedelta(days=1),
                         timeline=[TimelineEntry(at=now, actor_id="seller-1", party=Party.SELLER,
                                                 from_status=OrderStatus.IN_PROGRESS, to_status=status,
                                                 action="complete")]))
    facts = OrdersFacts(orders)
    assert facts.facts("facts-done") == OrderFacts("facts-done", "buyer-1", "seller-1", "svc-1", completed_at=now)
    assert facts.facts("facts-live").completed_at is None
    assert facts.facts("missing") is None
