from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.shared.pagination import MAX_PAGE_SIZE
from domain.reviews.review import MAX_REASON, MAX_REPLY, MAX_STARS, MAX_TEXT, MIN_STARS, Side


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class WriteReviewSchema(Schema):
    stars = fields.Integer(required=True, strict=True, validate=validate.Range(min=MIN_STARS, max=MAX_STARS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class ReviewReplyBodySchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REPLY))


class ReviewReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON))


class ReviewSchema(Schema):
    order_id = fields.String()
    side = fields.Enum(Side, by_value=True, metadata={"description": "who wrote it: buyer or seller"})
    author_id = fields.String()
    subject_id = fields.String(metadata={"description": "who is reviewed"})
    service_id = fields.String()
    stars = fields.Integer()
    text = fields.String()
    written_at = fields.DateTime()
    published = fields.Boolean(metadata={"description": "false while the other side may still write theirs"})
    reply = fields.Method("_reply", metadata={"description": "the seller's public answer, once"})
    hidden = fields.Boolean(metadata={"description": "hidden by support: only its author and staff see it"})
    hidden_reason = fields.String(allow_none=True)

    def _reply(self, view):
        return {"text": view.reply_text, "at": view.reply_at.isoformat()} if view.reply_text else None


class PublicReviewSchema(Schema):
    """What anyone may read: no moderation details."""

    order_id = fields.String()
    author_id = fields.String()
    author_name = fields.String(allow_none=True, metadata={
        "description": "how the author is named in public (first name and initial); null for a former user"})
    subject_id = fields.String()
    service_id = fields.String()
    stars = fields.Integer()
    text = fields.String()
    written_at = fields.DateTime()
    reply = fields.Method("_reply")

    def _reply(self, view):
        return {"text": view.reply_text, "at": view.reply_at.isoformat()} if view.reply_text else None


class OrderReviewsSchema(Schema):
    order_id = fields.String()
    window_closes_at = fields.DateTime(allow_none=True,
                                       metadata={"description": "no review after this; null until completed"})
    published = fields.Boolean()
    can_review = fields.Boolean()
    mine = fields.Nested(ReviewSchema, allow_none=True,
                         metadata={"description": "your review (for staff: the buyer's)"})
    theirs = fields.Nested(ReviewSchema, allow_none=True,
                           metadata={"description": "the other side's, once published (for staff: the seller's)"})


class PageSchema(Schema):
    total = fields.Integer()
    page = fields.Integer(attribute="request.page")
    page_size = fields.Integer(attribute="request.page_size")
    total_pages = fields.Integer()


class PublicReviewPageSchema(PageSchema):
    items = fields.List(fields.Nested(PublicReviewSchema))


class ReviewReportSchema(Schema):
    id = fields.String()
    order_id = fields.String()
    side = fields.Enum(Side, by_value=True)
    reporter_id = fields.String()
    reason = fields.String()
    at = fields.DateTime()


class ReviewReportPageSchema(PageSchema):
    items = fields.List(fields.Nested(ReviewReportSchema))
