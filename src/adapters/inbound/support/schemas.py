from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.shared.pagination import MAX_PAGE_SIZE
from domain.support.requests import MAX_DESCRIPTION, MAX_ORDER_ID, MAX_PAGE_URL, MAX_SUBJECT, Category
from domain.support.tickets import MAX_REPLY, Author, Priority, TicketStatus


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class PageSchema(Schema):
    total = fields.Integer()
    page = fields.Integer(attribute="request.page")
    page_size = fields.Integer(attribute="request.page_size")
    total_pages = fields.Integer()


class SubmitRequestSchema(Schema):
    category = fields.Enum(Category, by_value=True, required=True,
                           metadata={"description": "payments, order, account_access, site_bug or other"})
    subject = fields.String(required=True, validate=validate.Length(min=1, max=MAX_SUBJECT))
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_DESCRIPTION))
    order_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_ORDER_ID))
    page_url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_PAGE_URL),
                             metadata={"description": "where it happened: a path such as /orders/42 or a URL"})


class AcceptedRequestSchema(Schema):
    id = fields.String()
    reference = fields.String(metadata={"description": "quote it to support, e.g. SR-1A2B3C4D"})
    status = fields.Constant("received")
    status_url = fields.Function(lambda accepted: f"/support/requests/{accepted.id}",
                                 metadata={"description": "follow the request here (also the Location header)"})


class ReplyBodySchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REPLY))


class ReplySchema(Schema):
    id = fields.String()
    author = fields.Enum(Author, by_value=True, metadata={"description": "requester or agent"})
    body = fields.String()
    at = fields.DateTime()


class StaffReplySchema(ReplySchema):
    author_id = fields.String()


class RequestSummarySchema(Schema):
    id = fields.String(attribute="request.id")
    reference = fields.String(attribute="request.reference")
    category = fields.Enum(Category, by_value=True, attribute="request.category")
    subject = fields.String(attribute="request.subject")
    submitted_at = fields.DateTime(attribute="request.submitted_at")
    status = fields.String(metadata={"description": "received (ticket not opened yet), open, in_progress or resolved"})
    updated_at = fields.DateTime()


class RequestDetailSchema(RequestSummarySchema):
    description = fields.String(attribute="request.description")
    order_id = fields.String(attribute="request.order_id", allow_none=True)
    page_url = fields.String(attribute="request.page_url", allow_none=True)
    priority = fields.Enum(Priority, by_value=True, allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    replies = fields.List(fields.Nested(ReplySchema))


class RequestPageSchema(PageSchema):
    items = fields.List(fields.Nested(RequestSummarySchema))


class TicketQueueArgsSchema(PageArgsSchema):
    status = fields.Enum(TicketStatus, by_value=True)
    priority = fields.Enum(Priority, by_value=True)
    category = fields.Enum(Category, by_value=True)
    assignee = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "me, none (unassigned) or an agent's user id"})


class TicketSchema(Schema):
    id = fields.String()
    reference = fields.String()
    user_id = fields.String()
    category = fields.Enum(Category, by_value=True)
    priority = fields.Enum(Priority, by_value=True)
    status = fields.Enum(TicketStatus, by_value=True)
    subject = fields.String()
    description = fields.String()
    order_id = fields.String(allow_none=True)
    page_url = fields.String(allow_none=True)
    assignee_id = fields.String(allow_none=True)
    submitted_at = fields.DateTime()
    opened_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    replies = fields.List(fields.Nested(StaffReplySchema))


class TicketPageSchema(PageSchema):
    items = fields.List(fields.Nested(TicketSchema))
