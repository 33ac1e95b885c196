from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.reviews.use_cases import ExportReviewsData
from domain.reviews.review import OrderReviews, Review, Side


def _written(review: Review) -> dict[str, Any]:
    return {"stars": review.stars, "text": review.text, "written_at": plain(review.written_at),
            "hidden_by_moderation": review.hidden is not None}


def _of_order(reviews: OrderReviews, user_id: str) -> dict[str, Any]:
    mine = Side.BUYER if reviews.buyer_id == user_id else Side.SELLER
    theirs = Side.SELLER if mine is Side.BUYER else Side.BUYER
    written, received = reviews.review_by(mine), reviews.review_by(theirs)
    entry: dict[str, Any] = {"order_id": reviews.order_id, "your_role": mine.value,
                             "published_at": plain(reviews.published_at),
                             "you_wrote": _written(written) if written else None,
                             "about_you": None}
    # What others wrote about the person, only as everyone can read it: published and not hidden.
    if received is not None and reviews.is_published and received.hidden is None:
        entry["about_you"] = {"stars": received.stars, "text": received.text,
                              "written_at": plain(received.written_at)}
    buyer_review = reviews.by_buyer
    if buyer_review is not None and buyer_review.reply is not None:
        # The seller's public reply: the seller wrote it; the buyer can read it on the site anyway.
        reply = {"text": buyer_review.reply.text, "at": plain(buyer_review.reply.at)}
        if mine is Side.SELLER:
            entry["your_reply"] = reply
        elif entry["you_wrote"] is not None and buyer_review.hidden is None:
            entry["you_wrote"]["seller_reply"] = reply
    return entry


class ReviewsDataSource:
    name = "reviews"
    contexts = ("reviews",)

    def __init__(self, reviews: ExportReviewsData) -> None:
        self._reviews = reviews

    def export(self, user_id: str) -> Any:
        return [_of_order(r, user_id) for r in self._reviews.execute(user_id)]
