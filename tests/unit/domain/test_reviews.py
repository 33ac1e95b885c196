from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.reviews.errors import (
    AlreadyReplied,
    AlreadyReviewed,
    InvalidReview,
    NotYourReview,
    ReviewsNotFound,
    ReviewWindowClosed,
)
from domain.reviews.review import OrderReviews, Side
from domain.shared.access import Actor, Role

DONE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.SELLER}))
STRANGER = Actor("someone", frozenset({Role.BUYER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


def reviews() -> OrderReviews:
    return OrderReviews.open(order_id="order-1", buyer_id="buyer-1", seller_id="seller-1", service_id="svc-1",
                             completed_at=DONE, window=timedelta(days=7))


def test_reviews_are_blind_until_both_sides_have_written_then_both_publish_at_once():
    r = reviews()
    assert r.write(Side.BUYER, author_id="buyer-1", stars=5, text="Great job", now=DONE + timedelta(hours=1)) is False
    assert not r.is_published
    assert r.visible_review(Side.BUYER, SELLER) is None
    assert r.visible_review(Side.BUYER, STRANGER) is None
    assert r.visible_review(Side.BUYER, BUYER) is not None  # its author always sees it
    assert r.visible_review(Side.BUYER, AGENT) is not None

    assert r.write(Side.SELLER, author_id="seller-1", stars=4, text="Kind client", now=DONE + timedelta(days=1)) is True
    assert r.published_at == DONE + timedelta(days=1)
    assert r.visible_review(Side.BUYER, SELLER).stars == 5
    assert r.visible_review(Side.SELLER, None).stars == 4


def test_one_review_per_side():
    r = reviews()
    r.write(Side.BUYER, author_id="buyer-1", stars=5, text="Great", now=DONE)
    with pytest.raises(AlreadyReviewed):
        r.write(Side.BUYER, author_id="buyer-1", stars=1, text="Changed my mind", now=DONE)
    assert r.by_buyer.stars == 5


def test_the_window_closes_writing_and_publishes_what_was_written():
    r = reviews()
    r.write(Side.BUYER, author_id="buyer-1", stars=3, text="Fine", now=DONE + timedelta(days=6, hours=23))
    assert r.publish_if_due(DONE + timedelta(days=6, hours=23, minutes=59)) is False
    with pytest.raises(ReviewWindowClosed):
        r.write(Side.SELLER, author_id="seller-1", stars=5, text="Late", now=DONE + timedelta(days=7))
    assert r.publish_if_due(DONE + timedelta(days=7, seconds=1)) is True
    assert r.published_at == DONE + timedelta(days=7)
    assert r.publish_if_due(DONE + timedelta(days=8)) is False  # once
    assert r.visible_review(Side.BUYER, STRANGER).stars == 3


def test_no_review_after_publication_even_inside_the_window():
    r = reviews()
    r.write(Side.BUYER, author_id="buyer-1", stars=3, text="Fine", now=DONE)
    r.write(Side.SELLER, author_id="seller-1", stars=3, text="Fine", now=DONE)
    with pytest.raises((ReviewWindowClosed, AlreadyReviewed)):
        r.write(Side.BUYER, author_id="buyer-1", stars=3, text="Again", now=DONE)


@pytest.mark.parametrize(("stars", "text", "field"), [
    (0, "ok", "stars"), (6, "ok", "stars"), (True, "ok", "stars"), ("5", "ok", "stars"), (4.5, "ok", "stars"),
    (5, "", "text"), (5, "   ", "text"), (5, "x" * 2001, "text"),
])
def test_bad_reviews_name_the_field(stars, text, field):
    with pytest.raises(InvalidReview) as raised:
        reviews().write(Side.BUYER, author_id="buyer-1", stars=stars, text=text, now=DONE)
    assert raised.value.field == field


def test_the_seller_replies_once_publicly_to_the_published_review_only():
    r = reviews()
    r.write(Side.BUYER, author_id="buyer-1", stars=2, text="Late", now=DONE)
    with pytest.raises(ReviewsNotFound):
        r.reply(SELLER, "Sorry", DONE)  # not published yet: the seller has not seen it
    r.publish_if_due(DONE + timedelta(days=7))
    with pytest.raises(NotYourReview):
        r.reply(BUYER, "I reply to myself", DONE + timedelta(days=7))
    r.reply(SELLER, "Traffic, sorry", DONE + timedelta(days=7))
    with pytest.raises(AlreadyReplied):
        r.reply(SELLER, "Again", DONE + timedelta(days=7))
    assert r.by_buyer.reply.text == "Traffic, sorry"


def test_hiding_says_whether_the_review_was_counted_and_hides_it_from_others():
    r = reviews()
    r.write(Side.BUYER, author_id="buyer-1", stars=1, text="Insults", now=DONE)
    assert r.hide(Side.BUYER, reason="insults", staff_id="agent", now=DONE) is False  # not published: not counted
    r.publish_if_due(DONE + timedelta(days=7))
    assert r.visible_review(Side.BUYER, STRANGER) is None
    assert r.visible_review(Side.BUYER, BUYER).hidden.reason == "insults"

    s = reviews()
    s.write(Side.BUYER, author_id="buyer-1", stars=1, text="Insults", now=DONE)
    s.write(Side.SELLER, author_id="seller-1", stars=5, text="Good", now=DONE)
    assert s.hide(Side.BUYER, reason="insults", staff_id="agent", now=DONE) is True
    assert s.hide(Side.BUYER, reason="insults", staff_id="agent", now=DONE) is False  # once
    assert s.hide(Side.SELLER, reason="spam", staff_id="agent", now=DONE) is False  # seller's never counted


def test_hiding_needs_a_reason_and_an_existing_review():
    r = reviews()
    with pytest.raises(ReviewsNotFound):
        r.hide(Side.BUYER, reason="spam", staff_id="agent", now=DONE)
    r.write(Side.BUYER, author_id="buyer-1", stars=1, text="Spam", now=DONE)
    with pytest.raises(InvalidReview) as raised:
        r.hide(Side.BUYER, reason="  ", staff_id="agent", now=DONE)
    assert raised.value.field == "reason"
