"""Reviews of completed orders: writing them blind, publishing them (with the catalog's rating
aggregates in the same unit of work), the seller's reply, reports and hiding, and public reads."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime

from application.reviews.ports import (
    AuthorNames,
    OrderFacts,
    Orders,
    Ratings,
    ReviewPolicy,
    ReviewReports,
    ReviewRepository,
)
from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock, UnitOfWork
from domain.reviews import erasure
from domain.reviews.errors import ConcurrentReviewChange, OrderNotReviewable, ReviewsNotFound
from domain.reviews.review import MAX_REASON, OrderReviews, Review, ReviewReport, Side, clean_text
from domain.shared.access import Actor, Role
from domain.shared.errors import ConcurrentChange, NotAllowed
from domain.shared.ids import new_id

log = logging.getLogger(__name__)
RETRIES = 5


def _pause_before_retry(attempt: int) -> None:
    # The winner's journaled transaction may still be committing: retrying at once can meet it again.
    time.sleep(random.uniform(0, 0.01 * 2 ** attempt))


@dataclass(frozen=True)
class ReviewView:
    """One review as a given reader may see it."""

    order_id: str
    side: Side
    author_id: str
    subject_id: str  # who is reviewed: the seller (buyer's review) or the buyer (seller's review)
    service_id: str
    stars: int
    text: str
    written_at: datetime
    published: bool
    reply_text: str | None
    reply_at: datetime | None
    hidden: bool
    hidden_reason: str | None
    # How the author is named to readers ("Ana G."); None when they left (a former user) or for staff lists.
    author_name: str | None = None


def view_of(reviews: OrderReviews, review: Review) -> ReviewView:
    subject = reviews.seller_id if review.side is Side.BUYER else reviews.buyer_id
    return ReviewView(order_id=reviews.order_id, side=review.side, author_id=review.author_id, subject_id=subject,
                      service_id=reviews.service_id, stars=review.stars, text=review.text,
                      written_at=review.written_at, published=reviews.is_published,
                      reply_text=review.reply.text if review.reply else None,
                      reply_at=review.reply.at if review.reply else None, hidden=review.hidden is not None,
                      hidden_reason=review.hidden.reason if review.hidden else None)


@dataclass(frozen=True)
class OrderReviewsView:
    order_id: str
    window_closes_at: datetime | None
    published: bool
    can_review: bool
    mine: ReviewView | None
    theirs: ReviewView | None


def _counted(reviews: OrderReviews) -> Review | None:
    review = reviews.by_buyer
    return review if review is not None and review.counts_in_ratings else None


def _publish_ratings(ratings: Ratings, reviews: OrderReviews) -> None:
    review = _counted(reviews)
    if review is not None:
        ratings.add(seller_id=reviews.seller_id, service_id=reviews.service_id, stars=review.stars)


def _facts_for(orders: Orders, actor: Actor, order_id: str) -> OrderFacts:
    facts = orders.facts(order_id)
    if facts is None or (actor.user_id not in (facts.buyer_id, facts.seller_id) and not actor.is_staff):
        raise ReviewsNotFound("order not found")
    return facts


@dataclass(frozen=True)
class WriteReview:
    """The buyer reviews the seller's service, or the seller the buyer, once each, within the window
    after completion. The second review publishes both, with the ratings, in one unit of work."""

    orders: Orders
    reviews: ReviewRepository
    ratings: Ratings
    uow: UnitOfWork
    policy: ReviewPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str, *, stars: int, text: str) -> OrderReviewsView:
        facts = _facts_for(self.orders, actor, order_id)
        if actor.user_id == facts.buyer_id:
            side = Side.BUYER
        elif actor.user_id == facts.seller_id:
            side = Side.SELLER
        else:
            raise NotAllowed("only the order's buyer and seller can review it")
        if facts.completed_at is None:
            raise OrderNotReviewable("an order can be reviewed once it is completed", field="order_id")
        # Buyer and seller may write at the same moment: the loser re-reads and tries again.
        for attempt in range(RETRIES):
            try:
                return self._write(actor, facts, side, stars, text)
            except ConcurrentChange:
                if attempt == RETRIES - 1:
                    raise
                _pause_before_retry(attempt)
        raise ConcurrentReviewChange()

    def _write(self, actor: Actor, facts: OrderFacts, side: Side, stars: int, text: str) -> OrderReviewsView:
        assert facts.completed_at is not None
        now = self.clock.now()
        existing = self.reviews.get(facts.order_id)
        reviews = existing or OrderReviews.open(order_id=facts.order_id, buyer_id=facts.buyer_id,
                                                seller_id=facts.seller_id, service_id=facts.service_id,
                                                completed_at=facts.completed_at, window=self.policy.window)
        published = reviews.write(side, author_id=actor.user_id, stars=stars, text=text, now=now)
        with self.uow:
            if existing is None:
                self.reviews.add(reviews)
            else:
                self.reviews.save(reviews)
            if published:
                _publish_ratings(self.ratings, reviews)
        return _order_view(reviews, actor, now)


def _order_view(reviews: OrderReviews, actor: Actor, now: datetime) -> OrderReviewsView:
    side = reviews.side_of(actor)
    if side is None:  # staff see both sides as they are
        buyer, seller = reviews.by_buyer, reviews.by_seller
        return OrderReviewsView(order_id=reviews.order_id, window_closes_at=reviews.window_closes_at,
                                published=reviews.is_published, can_review=False,
                                mine=view_of(reviews, buyer) if buyer else None,
                                theirs=view_of(reviews, seller) if seller else None)
    other = Side.SELLER if side is Side.BUYER else Side.BUYER
    mine, theirs = reviews.review_by(side), reviews.visible_review(other, actor)
    return OrderReviewsView(order_id=reviews.order_id, window_closes_at=reviews.window_closes_at,
                            published=reviews.is_published,
                            can_review=mine is None and not reviews.is_published and now < reviews.window_closes_at,
                            mine=view_of(reviews, mine) if mine else None,
                            theirs=view_of(reviews, theirs) if theirs else None)


@dataclass(frozen=True)
class GetOrderReviews:
    """The order's reviews as the reader may see them: their own always, the other side's only once
    published. Staff see both (``mine`` is the buyer's, ``theirs`` the seller's)."""

    orders: Orders
    reviews: ReviewRepository
    policy: ReviewPolicy
    clock: Clock

    def execute(self, actor: Actor, order_id: str) -> OrderReviewsView:
        facts = _facts_for(self.orders, actor, order_id)
        now = self.clock.now()
        reviews = self.reviews.get(order_id)
        if reviews is not None:
            return _order_view(reviews, actor, now)
        closes = facts.completed_at + self.policy.window if facts.completed_at else None
        participant = actor.user_id in (facts.buyer_id, facts.seller_id)
        return OrderReviewsView(order_id=order_id, window_closes_at=closes, published=False,
                                can_review=participant and closes is not None and now < closes,
                                mine=None, theirs=None)


@dataclass(frozen=True)
class ReplyToReview:
    orders: Orders
    reviews: ReviewRepository
    clock: Clock

    def execute(self, actor: Actor, order_id: str, text: str) -> ReviewView:
        _facts_for(self.orders, actor, order_id)
        reviews = self.reviews.get(order_id)
        if reviews is None:
            raise ReviewsNotFound("there is no published review of yours to reply to on this order")
        review = reviews.reply(actor, text, self.clock.now())
        self.reviews.save(reviews)
        return view_of(reviews, review)


@dataclass(frozen=True)
class PublishDueReviews:
    """The timer: publish the reviews whose window has closed with one side written. Each order is
    published with its ratings in one unit of work; a version check makes a second runner a no-op."""

    reviews: ReviewRepository
    ratings: Ratings
    uow: UnitOfWork
    clock: Clock

    def execute(self, *, limit: int = 100) -> int:
        now = self.clock.now()
        return sum(self._publish(order_id, now) for order_id in self.reviews.due_for_publication(now, limit))

    def _publish(self, order_id: str, now: datetime) -> int:
        # A conflict is not always another runner publishing this order: two orders of one seller
        # fold into the same seller aggregate, and one of the two transactions loses. Re-read: if
        # it is published already there is nothing to do, else try again.
        for attempt in range(RETRIES):
            reviews = self.reviews.get(order_id)
            if reviews is None or not reviews.publish_if_due(now):
                return 0
            try:
                with self.uow:
                    self.reviews.save(reviews)
                    _publish_ratings(self.ratings, reviews)
                return 1
            except ConcurrentChange:
                _pause_before_retry(attempt)
        log.info("reviews of order %s kept changing meanwhile; the next pass sees them", order_id)
        return 0


def _visible_or_404(reviews: OrderReviews | None, side: Side, actor: Actor) -> OrderReviews:
    if reviews is None or reviews.visible_review(side, actor) is None:
        raise ReviewsNotFound()
    return reviews


@dataclass(frozen=True)
class ReportReview:
    """Anyone who can see a review may report it; staff see the reports."""

    reviews: ReviewRepository
    reports: ReviewReports
    clock: Clock

    def execute(self, actor: Actor, order_id: str, side: Side, reason: str) -> ReviewReport:
        _visible_or_404(self.reviews.get(order_id), side, actor)
        report = ReviewReport(id=new_id(), order_id=order_id, side=side, reporter_id=actor.user_id,
                              reason=clean_text(reason, field_name="reason", maximum=MAX_REASON, required=True),
                              at=self.clock.now())
        self.reports.add(report)
        return report


@dataclass(frozen=True)
class ListReviewReports:
    reports: ReviewReports

    def execute(self, actor: Actor, page: PageRequest) -> Page[ReviewReport]:
        actor.ensure_role(Role.SUPPORT, Role.ADMIN)
        return self.reports.list_open(page)


@dataclass(frozen=True)
class HideReview:
    """Staff hide a review with a reason; a published buyer's review leaves the ratings in the same
    unit of work."""

    reviews: ReviewRepository
    reports: ReviewReports
    ratings: Ratings
    uow: UnitOfWork
    clock: Clock

    def execute(self, actor: Actor, order_id: str, side: Side, reason: str) -> ReviewView:
        actor.ensure_role(Role.SUPPORT, Role.ADMIN)
        for attempt in range(RETRIES):
            reviews = self.reviews.get(order_id)
            if reviews is None:
                raise ReviewsNotFound()
            counted = reviews.hide(side, reason=reason, staff_id=actor.user_id, now=self.clock.now())
            review = reviews.review_by(side)
            assert review is not None
            try:
                with self.uow:
                    self.reviews.save(reviews)
                    if counted:
                        self.ratings.remove(seller_id=reviews.seller_id, service_id=reviews.service_id,
                                            stars=review.stars)
            except ConcurrentChange:
                if attempt == RETRIES - 1:
                    raise
                continue
            self.reports.close(order_id, side)
            return view_of(reviews, review)
        raise ConcurrentReviewChange()


@dataclass(frozen=True)
class ListSellerReviews:
    """Public: the buyers' published reviews of a seller, with the seller's replies, newest first."""

    reviews: ReviewRepository
    authors: AuthorNames

    def execute(self, seller_id: str, page: PageRequest) -> Page[ReviewView]:
        return _named(_buyers_reviews(self.reviews.published_about_seller(seller_id, page)), self.authors)


@dataclass(frozen=True)
class ListServiceReviews:
    reviews: ReviewRepository
    authors: AuthorNames

    def execute(self, service_id: str, page: PageRequest) -> Page[ReviewView]:
        return _named(_buyers_reviews(self.reviews.published_about_service(service_id, page)), self.authors)


def _named(found: Page[ReviewView], authors: AuthorNames) -> Page[ReviewView]:
    names = authors.public_names([view.author_id for view in found.items])
    return Page([replace(view, author_name=names.get(view.author_id)) for view in found.items], found.total,
                found.request)


@dataclass(frozen=True)
class ListBuyerReviews:
    """For sellers deciding whether to take a job (and staff): what other sellers said of a buyer."""

    reviews: ReviewRepository

    def execute(self, actor: Actor, buyer_id: str, page: PageRequest) -> Page[ReviewView]:
        actor.ensure_role(Role.SELLER, Role.SUPPORT, Role.ADMIN)
        found = self.reviews.published_about_buyer(buyer_id, page)
        return Page([view_of(r, r.by_seller) for r in found.items if r.by_seller is not None], found.total, page)


def _buyers_reviews(found: Page[OrderReviews]) -> Page[ReviewView]:
    return Page([view_of(r, r.by_buyer) for r in found.items if r.by_buyer is not None], found.total, found.request)


@dataclass(frozen=True)
class DetachReviewsOfDeletedPerson:
    """The reviews' handler of ``account.deleted`` (issue #12): the person's reviews stay, shown as
    ``author_id: "former-user"``. Naturally idempotent: a detached review is not saved again."""

    reviews: ReviewRepository

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        changed = 0
        for order_id in self.reviews.order_ids_involving(person_id):
            reviews = self.reviews.get(order_id)
            if reviews is not None and erasure.detach_author(reviews, person_id):
                self.reviews.save(reviews)
                changed += 1
        return changed


@dataclass(frozen=True)
class ExportReviewsData:
    """For the privacy context's export: the reviews of every order the person took part in."""

    reviews: ReviewRepository

    def execute(self, user_id: str) -> list[OrderReviews]:
        return every_item(lambda page: self.reviews.involving(user_id, page))
