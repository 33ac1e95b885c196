"""On the local MongoDB-compatible server: a published review's notice is in the outbox after the
same transaction that publishes the review and folds its rating, and in none when that fails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.reviews.mongo_repositories import MongoReviewRepository
from application.reviews.use_cases import PublishDueReviews
from domain.reviews.errors import ConcurrentReviewChange
from domain.reviews.review import REVIEW_PUBLISHED, OrderReviews, Side
from tests.integration.test_reviews_mongo import (  # noqa: F401 (fixtures)
    BUYER,
    DONE,
    SELLER,
    FailingRatings,
    clean,
    mongo,
    world,
)

pytestmark = pytest.mark.integration


def notices(order_id: str) -> list[dict]:
    return list(OutboxDocument._get_collection().find({"name": REVIEW_PUBLISHED, "payload.order_id": order_id},
                                                     sort=[("payload.side", 1)]))


@pytest.fixture(autouse=True)
def empty_outbox(mongo):  # noqa: F811
    OutboxDocument._get_collection().delete_many({})


def test_the_notices_are_written_with_the_publication_and_nothing_when_it_fails(world):  # noqa: F811
    world.write(BUYER, "order-1", stars=5)
    assert notices("order-1") == []
    with pytest.raises(RuntimeError):
        world.write(SELLER, "order-1", stars=4, ratings=FailingRatings(world.profiles))
    assert notices("order-1") == [] and not world.reviews.get("order-1").is_published

    world.write(SELLER, "order-1", stars=4)
    to_seller, to_buyer = notices("order-1")
    assert to_seller["payload"]["recipient_ids"] == ["seller-1"] and to_seller["payload"]["stars"] == 5
    assert to_buyer["payload"]["recipient_ids"] == ["buyer-1"] and to_buyer["payload"]["stars"] == 4
    assert to_seller["topic"] == "marketplace.events" and to_seller["status"] == "pending"
    assert world.seller_rating() == (5.0, 1)


def test_the_timer_publishes_with_its_notice_once(world):  # noqa: F811
    world.write(BUYER, "order-2", stars=3)
    world.clock.advance(days=8)
    publish = PublishDueReviews(world.reviews, world.ratings, world.uow, world.clock)
    assert publish.execute() == 1 and publish.execute() == 0
    [notice] = notices("order-2")
    assert notice["payload"]["recipient_ids"] == ["seller-1"] and notice["key"] == "order-2"


def test_outside_a_unit_of_work_the_repository_opens_a_transaction_of_its_own(mongo):  # noqa: F811
    reviews = OrderReviews.open(order_id="order-9", buyer_id="buyer-1", seller_id="seller-1", service_id="svc-1",
                                completed_at=DONE, window=timedelta(days=7))
    reviews.write(Side.BUYER, author_id="buyer-1", stars=5, text="Bien", now=DONE)
    repository = MongoReviewRepository()
    repository.add(reviews)
    stale = repository.get("order-9")
    reviews.write(Side.SELLER, author_id="seller-1", stars=4, text="Bien", now=DONE + timedelta(hours=1))
    repository.save(reviews)
    assert len(notices("order-9")) == 2 and reviews.pending_events == ()

    # A lost race writes neither the reviews nor their events.
    stale.write(Side.SELLER, author_id="seller-1", stars=1, text="Otra", now=DONE + timedelta(hours=2))
    with pytest.raises(ConcurrentReviewChange):
        repository.save(stale)
    assert len(notices("order-9")) == 2
