"""MongoDB adapters of the reviews ports. Writes use the ambient session: inside the use case's
unit of work they share its transaction with the catalog's rating updates and with the outbox
rows of the events the reviews recorded (a review published tells the reviewed person)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.errors import DuplicateKeyError

from adapters.outbound.mongo.outbox import append_events, transaction
from adapters.outbound.mongo.unit_of_work import ambient_session
from adapters.outbound.reviews.mongo_documents import OrderReviewsDocument, ReviewReportDocument
from application.shared.pagination import Page, PageRequest
from domain.reviews.errors import ConcurrentReviewChange
from domain.reviews.review import Hidden, OrderReviews, Review, ReviewReport, SellerReply, Side
from domain.shared.clock import utc

NEWEST = [("published_at", -1), ("_id", -1)]


def _review_to_raw(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {"author_id": review.author_id, "stars": review.stars, "text": review.text,
            "written_at": review.written_at,
            "reply": {"text": review.reply.text, "at": review.reply.at} if review.reply else None,
            "hidden": {"reason": review.hidden.reason, "by": review.hidden.by, "at": review.hidden.at}
            if review.hidden else None}


def _review_from_raw(side: Side, raw: dict[str, Any] | None) -> Review | None:
    if not raw:
        return None
    reply, hidden = raw.get("reply"), raw.get("hidden")
    return Review(side=side, author_id=raw["author_id"], stars=raw["stars"], text=raw["text"],
                  written_at=utc(raw["written_at"]),
                  reply=SellerReply(text=reply["text"], at=utc(reply["at"])) if reply else None,
                  hidden=Hidden(reason=hidden["reason"], by=hidden["by"], at=utc(hidden["at"])) if hidden else None)


def _listed(reviews: OrderReviews, review: Review | None) -> bool:
    return reviews.is_published and review is not None and review.hidden is None


def _to_raw(reviews: OrderReviews) -> dict[str, Any]:
    return {"_id": reviews.order_id, "buyer_id": reviews.buyer_id, "seller_id": reviews.seller_id,
            "service_id": reviews.service_id, "completed_at": reviews.completed_at,
            "window_closes_at": reviews.window_closes_at, "by_buyer": _review_to_raw(reviews.by_buyer),
            "by_seller": _review_to_raw(reviews.by_seller), "published_at": reviews.published_at,
            "buyer_review_listed": _listed(reviews, reviews.by_buyer),
            "seller_review_listed": _listed(reviews, reviews.by_seller), "version": reviews.version}


def _from_raw(raw: dict[str, Any]) -> OrderReviews:
    return OrderReviews(order_id=raw["_id"], buyer_id=raw["buyer_id"], seller_id=raw["seller_id"],
                        service_id=raw["service_id"], completed_at=utc(raw["completed_at"]),
                        window_closes_at=utc(raw["window_closes_at"]),
                        by_buyer=_review_from_raw(Side.BUYER, raw.get("by_buyer")),
                        by_seller=_review_from_raw(Side.SELLER, raw.get("by_seller")),
                        published_at=utc(raw["published_at"]) if raw.get("published_at") else None,
                        version=raw.get("version", 0))


@contextmanager
def _joined_session(reviews: OrderReviews) -> Iterator[ClientSession | None]:
    """The unit of work's session; outside one, a transaction of its own when events must be
    written with the reviews (never a review without its event, nor an event without it)."""
    session = ambient_session()
    if session is not None or not reviews.pending_events:
        yield session
        return
    with transaction() as own:
        yield own


class MongoReviewRepository:
    def _collection(self):
        return OrderReviewsDocument._get_collection()

    def get(self, order_id: str) -> OrderReviews | None:
        if not isinstance(order_id, str):
            return None
        raw = self._collection().find_one({"_id": order_id}, session=ambient_session())
        return _from_raw(raw) if raw else None

    def add(self, reviews: OrderReviews) -> None:
        try:
            with _joined_session(reviews) as session:
                self._collection().insert_one(_to_raw(reviews), session=session)
                append_events(list(reviews.pending_events), session)
        except DuplicateKeyError:
            raise ConcurrentReviewChange() from None
        reviews.pull_events()

    def save(self, reviews: OrderReviews) -> None:
        fields = _to_raw(reviews)
        fields.pop("_id")
        fields["version"] = reviews.version + 1
        with _joined_session(reviews) as session:
            result = self._collection().update_one({"_id": reviews.order_id, "version": reviews.version},
                                                   {"$set": fields}, session=session)
            if result.matched_count == 0:
                raise ConcurrentReviewChange()
            append_events(list(reviews.pending_events), session)
        reviews.pull_events()
        reviews.version += 1

    def due_for_publication(self, now: datetime, limit: int) -> list[str]:
        cursor = (self._collection().find({"published_at": None, "window_closes_at": {"$lte": now}}, {"_id": 1})
                  .sort([("window_closes_at", 1), ("_id", 1)]).limit(limit))
        return [raw["_id"] for raw in cursor]

    def _page(self, query: dict[str, Any], page: PageRequest) -> Page[OrderReviews]:
        collection = self._collection()
        raws = collection.find(query).sort(NEWEST).skip(page.offset).limit(page.page_size)
        return Page([_from_raw(raw) for raw in raws], collection.count_documents(query), page)

    def published_about_seller(self, seller_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page({"seller_id": seller_id, "buyer_review_listed": True}, page)

    def published_about_service(self, service_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page({"service_id": service_id, "buyer_review_listed": True}, page)

    def published_about_buyer(self, buyer_id: str, page: PageRequest) -> Page[OrderReviews]:
        return self._page({"buyer_id": buyer_id, "seller_review_listed": True}, page)

    def order_ids_involving(self, person_id: str) -> list[str]:
        # Each side leads an index of its own (the public lists'); the server merges the two.
        query = {"$or": [{"buyer_id": person_id}, {"seller_id": person_id}]}
        return sorted(raw["_id"] for raw in self._collection().find(query, {"_id": 1}))

    def involving(self, user_id: str, page: PageRequest) -> Page[OrderReviews]:
        # Each branch of the $or is served by an index led by buyer_id or seller_id.
        query = {"$or": [{"buyer_id": user_id}, {"seller_id": user_id}]}
        collection = self._collection()
        raws = collection.find(query).sort([("completed_at", -1), ("_id", -1)]).skip(page.offset).limit(page.page_size)
        return Page([_from_raw(raw) for raw in raws], collection.count_documents(query), page)


def _report_from_raw(raw: dict[str, Any]) -> ReviewReport:
    return ReviewReport(id=raw["_id"], order_id=raw["order_id"], side=Side(raw["side"]),
                        reporter_id=raw["reporter_id"], reason=raw["reason"], at=utc(raw["at"]))


class MongoReviewReports:
    def _collection(self):
        return ReviewReportDocument._get_collection()

    def add(self, report: ReviewReport) -> None:
        try:
            self._collection().update_one(
                {"order_id": report.order_id, "side": report.side.value, "reporter_id": report.reporter_id},
                {"$setOnInsert": {"_id": report.id, "reason": report.reason, "at": report.at, "open": True}},
                upsert=True)
        except DuplicateKeyError:
            pass  # the same person's report, sent twice at once: one is kept, as intended

    def list_open(self, page: PageRequest) -> Page[ReviewReport]:
        collection = self._collection()
        query = {"open": True}
        raws = collection.find(query).sort([("at", -1), ("_id", -1)]).skip(page.offset).limit(page.page_size)
        return Page([_report_from_raw(raw) for raw in raws], collection.count_documents(query), page)

    def close(self, order_id: str, side: Side) -> None:
        self._collection().update_many({"order_id": order_id, "side": side.value}, {"$set": {"open": False}})
