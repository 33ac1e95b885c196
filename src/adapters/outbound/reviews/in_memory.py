"""In-memory adapters of the reviews ports: thread-safe, with state a test can read. Same rules as
MongoDB: one document per order, a version check on save, one report per person and review."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from application.reviews.ports import OrderFacts
from application.shared.pagination import Page, PageRequest
from domain.reviews.errors import ConcurrentReviewChange
from domain.reviews.review import OrderReviews, Review, ReviewReport, Side
from domain.shared.events import DomainEvent


class EventSink(Protocol):
    def append(self, events: list[DomainEvent]) -> None: ...


class InMemoryReviewRepository:
    """Writes the published reviews' events to the outbox under the same lock as the reviews, as
    MongoDB does in one transaction; a repository of its own when none is shared."""

    def __init__(self, outbox: EventSink | None = None) -> None:
        self.reviews: dict[str, OrderReviews] = {}
        self.outbox = outbox if outbox is not None else InMemoryOutbox()
        self._lock = threading.Lock()

    def get(self, order_id: str) -> OrderReviews | None:
        with self._lock:
            found = self.reviews.get(order_id)
            return copy.deepcopy(found) if found else None

    def add(self, reviews: OrderReviews) -> None:
        with self._lock:
            if reviews.order_id in self.reviews:
                raise ConcurrentReviewChange()
            self.outbox.append(reviews.pull_events())
            self.reviews[reviews.order_id] = copy.deepcopy(reviews)

    def save(self, reviews: OrderReviews) -> None:
        with self._lock:
            stored = self.reviews.get(reviews.order_id)
            if stored is None or stored.version != reviews.version:
                raise ConcurrentReviewChange()
            reviews.version += 1
            self.outbox.append(reviews.pull_events())
            self.reviews[reviews.order_id] = copy.deepcopy(reviews)

    def due_for_publication(self, now: datetime, limit: int) -> list[str]:
        with self._lock:
            due = sorted((r for r in self.reviews.values() if r.published_at is None and r.window_closes_at <= now),
                         key=lambda r: (r.window_closes_at, r.order_id))
            return [r.order_id for r in due[:limit]]

    def _page(self, matches: Callable[[OrderReviews], bool], review: Callable[[OrderReviews], Review | None],
              page: PageRequest) -> Page[OrderReviews]:
        with self._lock:
            found = [r for r in self.reviews.values() if matches(r) and r.is_published
                     and (written := review(r)) is not None and written.hidden is None]
        found.sort(key=lambda r: (r.published_at, r.order_id), reverse=True)
        return Page(copy.deepcopy(found[page.offset:page.offset + page.page_size]), len(found), page)

    def published_about_seller(self, seller_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page(lambda r: r.seller_id == seller_id, lambda r: r.by_buyer, page)

    def published_about_service(self, service_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page(lambda r: r.service_id == service_id, lambda r: r.by_buyer, page)

    def published_about_buyer(self, buyer_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page(lambda r: r.buyer_id == buyer_id, lambda r: r.by_seller, page)

    def order_ids_involving(self, person_id: str) -> list[str]:
        with self._lock:
            return sorted(r.order_id for r in self.reviews.values() if person_id in (r.buyer_id, r.seller_id))

    def involving(self, user_id: str, page: PageRequest) -> Page[OrderReviews]:
        with self._lock:
            found = [r for r in self.reviews.values() if user_id in (r.buyer_id, r.seller_id)]
        found.sort(key=lambda r: (r.completed_at, r.order_id), reverse=True)
        return Page(copy.deepcopy(found[page.offset:page.offset + page.page_size]), len(found), page)


class InMemoryReviewReports:
    def __init__(self) -> None:
        self.reports: dict[tuple[str, Side, str], ReviewReport] = {}
        self.open: set[tuple[str, Side, str]] = set()
        self._lock = threading.Lock()

    def add(self, report: ReviewReport) -> None:
        with self._lock:
            key = (report.order_id, report.side, report.reporter_id)
            if key not in self.reports:
                self.reports[key] = report
                self.open.add(key)

    def list_open(self, page: PageRequest) -> Page[ReviewReport]:
        with self._lock:
            found = sorted((self.reports[key] for key in self.open), key=lambda r: (r.at, r.id), reverse=True)
        return Page(found[page.offset:page.offset + page.page_size], len(found), page)

    def close(self, order_id: str, side: Side) -> None:
        with self._lock:
            self.open = {key for key in self.open if key[:2] != (order_id, side)}


class InMemoryOrders:
    """The reviews' Orders port with facts a test sets directly."""

    def __init__(self) -> None:
        self.orders: dict[str, OrderFacts] = {}

    def add(self, facts: OrderFacts) -> None:
        self.orders[facts.order_id] = facts

    def facts(self, order_id: str) -> OrderFacts | None:
        return self.orders.get(order_id)


class InMemoryRatings:
    """Records every change; tests read the running sums per seller and per service."""

    def __init__(self) -> None:
        self.changes: list[tuple[str, str, str, int]] = []
        self._lock = threading.Lock()

    def add(self, *, seller_id: str, service_id: str, stars: int) -> None:
        with self._lock:
            self.changes.append(("add", seller_id, service_id, stars))

    def remove(self, *, seller_id: str, service_id: str, stars: int) -> None:
        with self._lock:
            self.changes.append(("remove", seller_id, service_id, stars))

    def of_seller(self, seller_id: str) -> tuple[int, int]:
        """(count, sum of stars) as the catalog would hold them."""
        signed = [(1 if kind == "add" else -1, stars) for kind, s, _, stars in self.changes if s == seller_id]
        return sum(sign for sign, _ in signed), sum(sign * stars for sign, stars in signed)


class InMemoryAuthorNames:
    """``names`` maps a user id to the public name a test gives them."""

    def __init__(self, names: dict[str, str] | None = None) -> None:
        self.names = dict(names or {})

    def public_names(self, user_ids: list[str]) -> dict[str, str]:
        return {user_id: self.names[user_id] for user_id in user_ids if user_id in self.names}
