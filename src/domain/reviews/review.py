"""The reviews of one completed order: the buyer's of the seller's service and the seller's of
the buyer. They are blind: neither side sees the other's before both are published, which happens
at once when both have written, or when the review window closes with only one written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.reviews.errors import (
    AlreadyReplied,
    AlreadyReviewed,
    InvalidReview,
    NotYourReview,
    ReviewsNotFound,
    ReviewWindowClosed,
)
from domain.shared.access import Actor
from domain.shared.events import DomainEvent, RecordsEvents

MIN_STARS, MAX_STARS = 1, 5
MAX_TEXT = 2_000
MAX_REPLY = 1_000
MAX_REASON = 300
EXCERPT = 140

# The notifications consumer turns every event on this topic that names ``recipient_ids`` into
# inbox items; the Kafka publisher maps the logical name to the configured topic.
MARKETPLACE_EVENTS_TOPIC = "marketplace.events"
REVIEW_PUBLISHED = "reviews.review_published"


class Side(StrEnum):
    """Who wrote the review: the buyer reviews the seller's service, the seller reviews the buyer."""

    BUYER = "buyer"
    SELLER = "seller"


def clean_stars(stars: object) -> int:
    if isinstance(stars, bool) or not isinstance(stars, int) or not MIN_STARS <= stars <= MAX_STARS:
        raise InvalidReview(f"stars must be a whole number from {MIN_STARS} to {MAX_STARS}", field="stars")
    return stars


def clean_text(text: object, *, field_name: str, maximum: int, required: bool) -> str:
    cleaned = text.strip() if isinstance(text, str) else ""
    if required and not cleaned:
        raise InvalidReview(f"{field_name} must not be empty", field=field_name)
    if len(cleaned) > maximum:
        raise InvalidReview(f"{field_name} must have at most {maximum} characters", field=field_name)
    return cleaned


@dataclass(frozen=True)
class SellerReply:
    text: str
    at: datetime


@dataclass(frozen=True)
class Hidden:
    reason: str
    by: str
    at: datetime


@dataclass
class Review:
    side: Side
    author_id: str
    stars: int
    text: str
    written_at: datetime
    reply: SellerReply | None = None
    hidden: Hidden | None = None

    @property
    def counts_in_ratings(self) -> bool:
        """Only the buyer's review rates the seller and the service; a hidden one does not count."""
        return self.side is Side.BUYER and self.hidden is None


@dataclass
class OrderReviews(RecordsEvents):
    """One per order (its id is the order's): both sides' reviews and their common publication.
    Publishing records one event per visible review, telling the reviewed person."""

    order_id: str
    buyer_id: str
    seller_id: str
    service_id: str
    completed_at: datetime
    window_closes_at: datetime
    by_buyer: Review | None = None
    by_seller: Review | None = None
    published_at: datetime | None = None
    version: int = 0

    @classmethod
    def open(cls, *, order_id: str, buyer_id: str, seller_id: str, service_id: str, completed_at: datetime,
             window: timedelta) -> OrderReviews:
        return cls(order_id=order_id, buyer_id=buyer_id, seller_id=seller_id, service_id=service_id,
                   completed_at=completed_at, window_closes_at=completed_at + window)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def side_of(self, actor: Actor) -> Side | None:
        if actor.user_id == self.buyer_id:
            return Side.BUYER
        if actor.user_id == self.seller_id:
            return Side.SELLER
        return None

    def review_by(self, side: Side) -> Review | None:
        return self.by_buyer if side is Side.BUYER else self.by_seller

    def write(self, side: Side, *, author_id: str, stars: int, text: str, now: datetime) -> bool:
        """Add one side's review; True when this publishes both (the other side had written)."""
        if now >= self.window_closes_at or self.is_published:
            raise ReviewWindowClosed()
        if self.review_by(side) is not None:
            raise AlreadyReviewed()
        review = Review(side=side, author_id=author_id, stars=clean_stars(stars),
                        text=clean_text(text, field_name="text", maximum=MAX_TEXT, required=True), written_at=now)
        if side is Side.BUYER:
            self.by_buyer = review
        else:
            self.by_seller = review
        if self.by_buyer is not None and self.by_seller is not None:
            self.published_at = now
            self._announce(now)
            return True
        return False

    def publish_if_due(self, now: datetime) -> bool:
        """When the window has closed, whatever was written is published; True if this did it."""
        if self.is_published or now < self.window_closes_at:
            return False
        self.published_at = self.window_closes_at
        self._announce(now)
        return True

    def _announce(self, now: datetime) -> None:
        # A review staff hid before publication is never shown, so nobody is told of it.
        for review in (self.by_buyer, self.by_seller):
            if review is None or review.hidden is not None:
                continue
            if review.side is Side.BUYER:
                recipient, title = self.seller_id, "Nueva reseña de tu servicio"
            else:
                recipient, title = self.buyer_id, "Un profesional ha publicado una reseña sobre ti"
            excerpt = review.text if len(review.text) <= EXCERPT else review.text[:EXCERPT - 1] + "…"
            self.record(DomainEvent(
                name=REVIEW_PUBLISHED, topic=MARKETPLACE_EVENTS_TOPIC, key=self.order_id, occurred_at=now,
                payload={"recipient_ids": [recipient], "title": title, "body": f"{review.stars}/5: {excerpt}",
                         "order_id": self.order_id, "service_id": self.service_id, "side": review.side.value,
                         "stars": review.stars}))

    def visible_review(self, side: Side, viewer: Actor | None) -> Review | None:
        """What ``viewer`` may see of ``side``'s review: its author always, staff always, others
        only once published and not hidden."""
        review = self.review_by(side)
        if review is None:
            return None
        if viewer is not None and (viewer.user_id == review.author_id or viewer.is_staff):
            return review
        if not self.is_published or review.hidden is not None:
            return None
        return review

    def reply(self, actor: Actor, text: str, now: datetime) -> Review:
        """The seller answers the buyer's published review, once, publicly."""
        review = self.by_buyer
        if review is None or not self.is_published or review.hidden is not None:
            raise ReviewsNotFound("there is no published review of yours to reply to on this order")
        if actor.user_id != self.seller_id:
            raise NotYourReview("only the reviewed seller can reply to this review")
        if review.reply is not None:
            raise AlreadyReplied()
        review.reply = SellerReply(text=clean_text(text, field_name="text", maximum=MAX_REPLY, required=True), at=now)
        return review

    def hide(self, side: Side, *, reason: str, staff_id: str, now: datetime) -> bool:
        """Staff hide one review; True when it was counted in the ratings (they must drop it)."""
        review = self.review_by(side)
        if review is None:
            raise ReviewsNotFound()
        if review.hidden is not None:
            return False
        counted = self.is_published and review.counts_in_ratings
        review.hidden = Hidden(reason=clean_text(reason, field_name="reason", maximum=MAX_REASON, required=True),
                               by=staff_id, at=now)
        return counted


@dataclass(frozen=True)
class ReviewReport:
    """Someone thinks a review breaks the rules; staff decide."""

    id: str
    order_id: str
    side: Side
    reporter_id: str
    reason: str
    at: datetime
