from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.reviews.schemas import (
    OrderReviewsSchema,
    PageArgsSchema,
    PublicReviewPageSchema,
    ReviewReasonSchema,
    ReviewReplyBodySchema,
    ReviewReportPageSchema,
    ReviewReportSchema,
    ReviewSchema,
    WriteReviewSchema,
)
from application.reviews.use_cases import (
    GetOrderReviews,
    HideReview,
    ListBuyerReviews,
    ListReviewReports,
    ListSellerReviews,
    ListServiceReviews,
    ReplyToReview,
    ReportReview,
    WriteReview,
)
from application.shared.pagination import PageRequest
from domain.reviews.errors import ReviewsNotFound
from domain.reviews.review import Side
from domain.shared.access import Role

blp = Blueprint("reviews", __name__, url_prefix="",
                description="Blind two-sided reviews of completed orders, the seller's reply, and moderation")


def _side(value: str) -> Side:
    try:
        return Side(value)
    except ValueError:
        raise ReviewsNotFound() from None


@blp.route("/orders/<order_id>/reviews")
class OrderReviews(MethodView):
    @requires_auth()
    @blp.response(200, OrderReviewsSchema)
    def get(self, order_id: str):
        """The order's reviews: yours, and the other side's once both are published."""
        return use_case(GetOrderReviews).execute(current_actor(), order_id)

    @requires_auth()
    @blp.arguments(WriteReviewSchema)
    @blp.response(201, OrderReviewsSchema)
    def post(self, body, order_id: str):
        """Review a completed order, once, within the review window: the buyer rates the seller's
        service, the seller rates the buyer. Hidden from the other side until both have written
        or the window closes."""
        return use_case(WriteReview).execute(current_actor(), order_id, stars=body["stars"], text=body["text"])


@blp.route("/orders/<order_id>/reviews/reply")
class ReviewReply(MethodView):
    @requires_auth(Role.SELLER)
    @blp.arguments(ReviewReplyBodySchema)
    @blp.response(201, ReviewSchema)
    def post(self, body, order_id: str):
        """Answer the buyer's published review of you, once, publicly."""
        return use_case(ReplyToReview).execute(current_actor(), order_id, body["text"])


@blp.route("/orders/<order_id>/reviews/<side>/report")
class ReviewReportView(MethodView):
    @requires_auth()
    @blp.arguments(ReviewReasonSchema)
    @blp.response(201, ReviewReportSchema)
    def post(self, body, order_id: str, side: str):
        """Tell support a review breaks the rules (side: who wrote it, buyer or seller)."""
        return use_case(ReportReview).execute(current_actor(), order_id, _side(side), body["reason"])


@blp.route("/orders/<order_id>/reviews/<side>/hide")
class ReviewHide(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @blp.arguments(ReviewReasonSchema)
    @blp.response(200, ReviewSchema)
    def post(self, body, order_id: str, side: str):
        """Hide a review with a reason; a hidden buyer's review leaves the ratings."""
        return use_case(HideReview).execute(current_actor(), order_id, _side(side), body["reason"])


@blp.route("/moderation/review-reports")
class ReviewReports(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, ReviewReportPageSchema)
    def get(self, args):
        """Open reports of reviews, newest first."""
        return use_case(ListReviewReports).execute(current_actor(), PageRequest(**args))


@blp.route("/sellers/<seller_id>/reviews")
class SellerReviews(MethodView):
    @blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, PublicReviewPageSchema)
    def get(self, args, seller_id: str):
        """Public: buyers' published reviews of the seller, with the seller's replies, newest first."""
        return use_case(ListSellerReviews).execute(seller_id, PageRequest(**args))


@blp.route("/services/<service_id>/reviews")
class ServiceReviews(MethodView):
    @blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, PublicReviewPageSchema)
    def get(self, args, service_id: str):
        """Public: buyers' published reviews of the service, newest first."""
        return use_case(ListServiceReviews).execute(service_id, PageRequest(**args))


@blp.route("/buyers/<buyer_id>/reviews")
class BuyerReviews(MethodView):
    @requires_auth(Role.SELLER, Role.SUPPORT, Role.ADMIN)
    @blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, PublicReviewPageSchema)
    def get(self, args, buyer_id: str):
        """For sellers considering a job: what other sellers wrote about this buyer, newest first."""
        return use_case(ListBuyerReviews).execute(current_actor(), buyer_id, PageRequest(**args))


BLUEPRINTS = [blp]
