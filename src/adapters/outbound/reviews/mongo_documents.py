from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    StringField,
)

# Newest published first; _id breaks ties so pages never overlap.
NEWEST = ("-published_at", "-_id")


class OrderReviewsDocument(Document):
    id = StringField(primary_key=True)  # the order id: one document per order
    buyer_id = StringField(required=True)
    seller_id = StringField(required=True)
    service_id = StringField(required=True)
    completed_at = DateTimeField(required=True)
    window_closes_at = DateTimeField(required=True)
    by_buyer = DictField()
    by_seller = DictField()
    published_at = DateTimeField()
    # Derived on every save, so each public list is one index range: published and not hidden.
    buyer_review_listed = BooleanField(default=False)
    seller_review_listed = BooleanField(default=False)
    version = IntField(default=0)

    meta = {
        "collection": "order_reviews",
        "indexes": [
            # The timer: unpublished reviews whose window has closed.
            {"fields": ["published_at", "window_closes_at", "_id"]},
            {"fields": ["seller_id", "buyer_review_listed", *NEWEST]},
            {"fields": ["service_id", "buyer_review_listed", *NEWEST]},
            {"fields": ["buyer_id", "seller_review_listed", *NEWEST]},
        ],
        "auto_create_index": False,
    }


class ReviewReportDocument(Document):
    id = StringField(primary_key=True)
    order_id = StringField(required=True)
    side = StringField(required=True, choices=("buyer", "seller"))
    reporter_id = StringField(required=True)
    reason = StringField(required=True)
    at = DateTimeField(required=True)
    open = BooleanField(default=True)

    meta = {
        "collection": "review_reports",
        "indexes": [
            # One report per person and review: reporting twice is not two reports.
            {"fields": ["order_id", "side", "reporter_id"], "unique": True},
            # The moderation queue: open reports, newest first.
            {"fields": ["open", "-at", "-_id"]},
        ],
        "auto_create_index": False,
    }


REVIEWS_DOCUMENTS = [OrderReviewsDocument, ReviewReportDocument]
