"""What the reviews use cases need: their own store, and the facts they learn from the orders and
catalog contexts only through these ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from domain.reviews.review import OrderReviews, ReviewReport, Side


@dataclass(frozen=True)
class ReviewPolicy:
    window: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class OrderFacts:
    """What reviews need to know about an order."""

    order_id: str
    buyer_id: str
    seller_id: str
    service_id: str
    completed_at: datetime | None  # None until the order is completed


class AuthorNames(Protocol):
    def public_names(self, user_ids: list[str]) -> dict[str, str]:
        """How each author is named in public ("Ana G."); people without a name are left out."""
        ...


class Orders(Protocol):
    def facts(self, order_id: str) -> OrderFacts | None:
        """None for an unknown order."""
        ...


class Ratings(Protocol):
    """The catalog's rating aggregates of a seller and of a service. Called inside a unit of work,
    so a change lands in the same transaction as the review that causes it."""

    def add(self, *, seller_id: str, service_id: str, stars: int) -> None: ...

    def remove(self, *, seller_id: str, service_id: str, stars: int) -> None: ...


class ReviewRepository(Protocol):
    def get(self, order_id: str) -> OrderReviews | None: ...

    def add(self, reviews: OrderReviews) -> None:
        """Store the first review of an order; ConcurrentReviewChange if another got there first."""
        ...

    def save(self, reviews: OrderReviews) -> None:
        """Store changes if nobody saved since it was read, else ConcurrentReviewChange."""
        ...

    def due_for_publication(self, now: datetime, limit: int) -> list[str]:
        """Order ids of unpublished reviews whose window has closed, oldest window first."""
        ...

    def published_about_seller(self, seller_id: str, page: PageRequest) -> Page[OrderReviews]:
        """Orders whose buyer's review of the seller is published and not hidden, newest first."""
        ...

    def published_about_service(self, service_id: str, page: PageRequest) -> Page[OrderReviews]: ...

    def published_about_buyer(self, buyer_id: str, page: PageRequest) -> Page[OrderReviews]:
        """Orders whose seller's review of the buyer is published and not hidden, newest first."""
        ...

    def order_ids_involving(self, person_id: str) -> list[str]:
        """Every order whose reviews the person may have written or be named in (buyer or seller), any state."""

    def involving(self, user_id: str, page: PageRequest) -> Page[OrderReviews]:
        """Every order's reviews where the user is the buyer or the seller, published or not,
        latest completed first (the person's data export)."""
        ...


class ReviewReports(Protocol):
    def add(self, report: ReviewReport) -> None:
        """Idempotent per (order, side, reporter): reporting twice keeps one report."""
        ...

    def list_open(self, page: PageRequest) -> Page[ReviewReport]:
        """Reports of reviews staff have not hidden, newest first."""
        ...

    def close(self, order_id: str, side: Side) -> None:
        """The review was dealt with: its reports leave the queue."""
        ...
