"""The reviews' part of a person leaving: what they wrote stays (the seller's rating is built on
it, and the other party answered it) but is shown as from a former user."""

from __future__ import annotations

from domain.reviews.review import OrderReviews
from domain.shared.erasure import FORMER_USER_ID


def detach_author(reviews: OrderReviews, person_id: str) -> bool:
    """Point the person's own reviews on this order at the former user; whether anything changed."""
    changed = False
    for review in (reviews.by_buyer, reviews.by_seller):
        if review is not None and review.author_id == person_id:
            review.author_id = FORMER_USER_ID
            changed = True
    return changed
