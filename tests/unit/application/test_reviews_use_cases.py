"""The reviews use cases on fakes: blind publication with the ratings, the window and its timer,
one review per side, the reply, reports, and the ratings after a hide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.mongo.in_memory_unit_of_work import InMemoryUnitOfWork
from adapters.outbound.reviews.in_memory import (
    InMemoryAuthorNames,
    InMemoryOrders,
    InMemoryRatings,
    InMemoryReviewReports,
    InMemoryReviewRepository,
)
from application.reviews.ports import OrderFacts, ReviewPolicy
from application.reviews.use_cases import (
    GetOrderReviews,
    HideReview,
    ListBuyerReviews,
    ListReviewReports,
    ListSellerReviews,
    ListServiceReviews,
    PublishDueReviews,
    ReplyToReview,
    ReportReview,
    WriteReview,
)
from application.shared.pagination import PageRequest
from domain.reviews.errors import (
    AlreadyReplied,
    AlreadyReviewed,
    ConcurrentReviewChange,
    OrderNotReviewable,
    ReviewsNotFound,
    ReviewWindowClosed,
)
from domain.reviews.review import Side
from domain.shared.access import Actor, Role
from domain.shared.errors import NotAllowed
from tests.fakes import FakeClock

DONE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.SELLER}))
OTHER_SELLER = Actor("seller-2", frozenset({Role.SELLER}))
STRANGER = Actor("eve", frozenset({Role.BUYER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(DONE + timedelta(hours=1))
        self.orders = InMemoryOrders()
        self.reviews = InMemoryReviewRepository()
        self.reports = InMemoryReviewReports()
        self.ratings = InMemoryRatings()
        self.uow = InMemoryUnitOfWork()
        self.policy = ReviewPolicy(window=timedelta(days=7))
        self.orders.add(OrderFacts("order-1", "buyer-1", "seller-1", "svc-1", completed_at=DONE))
        self.orders.add(OrderFacts("order-open", "buyer-1", "seller-1", "svc-1", completed_at=None))

    def write(self, actor: Actor, stars: int = 5, text: str = "Good", order_id: str = "order-1"):
        return WriteReview(self.orders, self.reviews, self.ratings, self.uow, self.policy, self.clock).execute(
            actor, order_id, stars=stars, text=text)

    def get(self, actor: Actor, order_id: str = "order-1"):
        return GetOrderReviews(self.orders, self.reviews, self.policy, self.clock).execute(actor, order_id)

    def publish(self) -> int:
        return PublishDueReviews(self.reviews, self.ratings, self.uow, self.clock).execute()

    def hide(self, side: Side, actor: Actor = AGENT, reason: str = "insults"):
        return HideReview(self.reviews, self.reports, self.ratings, self.uow, self.clock).execute(
            actor, "order-1", side, reason)


@pytest.fixture
def world() -> World:
    return World()


def test_the_first_review_is_blind_and_the_second_publishes_both_with_the_rating_in_one_unit(world):
    first = world.write(BUYER, stars=4, text="Tidy and quick")
    assert first.mine.stars == 4 and first.theirs is None and not first.published
    assert world.get(SELLER).theirs is None  # the seller cannot peek before writing theirs
    assert world.ratings.changes == []

    second = world.write(SELLER, stars=5, text="Lovely client")
    assert second.published and second.theirs.stars == 4
    assert world.ratings.changes == [("add", "seller-1", "svc-1", 4)]  # the seller's review rates nobody
    assert world.uow.committed == 2 and world.uow.failed == 0
    assert world.get(BUYER).theirs.text == "Lovely client"


def test_only_the_orders_own_buyer_and_seller_review_it_once_each(world):
    with pytest.raises(ReviewsNotFound):
        world.write(STRANGER)
    with pytest.raises(ReviewsNotFound):
        world.write(BUYER, order_id="no-such-order")
    with pytest.raises(NotAllowed):
        world.write(AGENT)  # staff read, they do not review
    with pytest.raises(OrderNotReviewable):
        world.write(BUYER, order_id="order-open")
    world.write(BUYER)
    with pytest.raises(AlreadyReviewed):
        world.write(BUYER, stars=1)
    assert world.reviews.reviews["order-1"].by_buyer.stars == 5


def test_a_lost_race_is_retried_on_fresh_data(world):
    world.write(SELLER)
    real_save = world.reviews.save
    calls = []

    def racing_save(reviews):
        calls.append(reviews.version)
        if len(calls) == 1:  # someone saved in between our read and our write
            stored = world.reviews.reviews["order-1"]
            stored.version += 1
        real_save(reviews)

    world.reviews.save = racing_save
    view = world.write(BUYER, stars=3)
    assert view.published and len(calls) == 2
    assert world.uow.failed == 1


def test_the_window_closes_writing_and_the_timer_publishes_what_was_written_with_its_rating(world):
    world.write(BUYER, stars=2, text="Late")
    world.clock.current = DONE + timedelta(days=7)
    with pytest.raises(ReviewWindowClosed):
        world.write(SELLER)
    assert world.publish() == 1
    assert world.publish() == 0  # once
    assert world.ratings.changes == [("add", "seller-1", "svc-1", 2)]
    assert world.get(SELLER).theirs.stars == 2 and world.get(SELLER).can_review is False


def test_the_timer_publishes_a_lone_sellers_review_without_touching_ratings(world):
    world.write(SELLER, stars=1, text="Never home")
    world.clock.advance(days=8)
    assert world.publish() == 1
    assert world.ratings.changes == []
    page = ListBuyerReviews(world.reviews).execute(OTHER_SELLER, "buyer-1", PageRequest())
    assert [r.stars for r in page.items] == [1]
    with pytest.raises(NotAllowed):
        ListBuyerReviews(world.reviews).execute(STRANGER, "buyer-1", PageRequest())


def test_reading_the_reviews_of_an_order_is_for_its_people_and_staff(world):
    assert world.get(BUYER).can_review and world.get(BUYER).window_closes_at == DONE + timedelta(days=7)
    world.write(BUYER)
    with pytest.raises(ReviewsNotFound):
        world.get(STRANGER)
    staff_view = world.get(AGENT)
    assert staff_view.mine.side is Side.BUYER and staff_view.theirs is None and not staff_view.can_review
    assert world.get(BUYER, "order-open").can_review is False


def test_the_seller_replies_once_and_the_reply_is_public(world):
    world.write(BUYER, stars=3, text="OK")
    world.write(SELLER)
    reply = ReplyToReview(world.orders, world.reviews, world.clock)
    with pytest.raises(ReviewsNotFound):
        reply.execute(STRANGER, "order-1", "hi")
    reply.execute(SELLER, "order-1", "Thanks, next time faster")
    with pytest.raises(AlreadyReplied):
        reply.execute(SELLER, "order-1", "again")
    names = InMemoryAuthorNames({"buyer-1": "Ana G."})
    [public] = ListSellerReviews(world.reviews, names).execute("seller-1", PageRequest()).items
    assert public.reply_text == "Thanks, next time faster" and public.author_name == "Ana G."
    assert ListServiceReviews(world.reviews, names).execute("svc-1", PageRequest()).items[0].author_name == "Ana G."


def test_hiding_a_published_review_takes_it_out_of_the_ratings_and_the_lists_and_closes_reports(world):
    world.write(BUYER, stars=1, text="Rude words")
    world.write(SELLER)
    report = ReportReview(world.reviews, world.reports, world.clock)
    report.execute(STRANGER, "order-1", Side.BUYER, "offensive")
    report.execute(STRANGER, "order-1", Side.BUYER, "offensive")  # twice is one report
    reports = ListReviewReports(world.reports)
    assert reports.execute(AGENT, PageRequest()).total == 1
    with pytest.raises(NotAllowed):
        reports.execute(SELLER, PageRequest())
    with pytest.raises(NotAllowed):
        world.hide(Side.BUYER, actor=SELLER)

    world.hide(Side.BUYER)
    assert world.ratings.changes[-1] == ("remove", "seller-1", "svc-1", 1)
    assert world.ratings.of_seller("seller-1") == (0, 0)
    assert ListSellerReviews(world.reviews, InMemoryAuthorNames()).execute("seller-1", PageRequest()).total == 0
    assert reports.execute(AGENT, PageRequest()).total == 0
    world.hide(Side.BUYER)  # hiding again changes nothing
    assert world.ratings.of_seller("seller-1") == (0, 0)
    with pytest.raises(ReviewsNotFound):
        report.execute(STRANGER, "order-1", Side.BUYER, "again")  # hidden: not theirs to see


def test_a_review_hidden_before_publication_is_never_counted(world):
    world.write(BUYER, stars=1, text="Spam spam")
    world.hide(Side.BUYER)
    world.write(SELLER)
    assert world.ratings.changes == []


def test_nobody_reports_what_they_cannot_see(world):
    world.write(BUYER)
    report = ReportReview(world.reviews, world.reports, world.clock)
    with pytest.raises(ReviewsNotFound):
        report.execute(SELLER, "order-1", Side.BUYER, "unfair")  # still blind
    with pytest.raises(ReviewsNotFound):
        report.execute(STRANGER, "order-1", Side.SELLER, "unfair")  # not written


def test_repeated_lost_races_end_in_a_conflict(world):
    world.write(SELLER)

    def always_raced(reviews):
        raise ConcurrentReviewChange()

    world.reviews.save = always_raced
    with pytest.raises(ConcurrentReviewChange):
        world.write(BUYER)
