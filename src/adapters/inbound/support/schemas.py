from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.shared.pagination import MAX_PAGE_SIZE
from domain.support.requests import MAX_DESCRIPTION, MAX_ORDER_ID, MAX_PAGE_URL, MAX_SUBJECT, Category
from domain.support.tickets import MAX_REPLY, Priority, TicketStatus


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


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


class ReplyBodySchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REPLY))


class ReplySchema(Schema):
    id = fields.String()
    author = fields.Function(lambda reply: reply.author.value,
                             metadata={"description": "requester or agent"})
    body = fields.String()
    at = fields.DateTime()


class StaffReplySchema(ReplySchema):
    author_id = fields.String()


def _ticket_attr(name: str):
    def read(view):
        value = getattr(view.ticket, name) if view.ticket else None
        return getattr(value, "value", value)
    return read


class RequestSummarySchema(Schema):
    id = fields.Function(lambda view: view.request.id)
    reference = fields.Function(lambda view: view.request.reference)
    category = fields.Function(lambda view: view.request.category.value)
    subject = fields.Function(lambda view: view.request.subject)
    submitted_at = fields.Function(lambda view: view.request.submitted_at.isoformat())
    status = fields.Function(lambda view: view.ticket.status.value if view.ticket else "received",
                             metadata={"description": "received (ticket not opened yet), open, in_progress, resolved"})
    updated_at = fields.Function(lambda view: (view.ticket.updated_at if view.ticket
                                               else view.request.submitted_at).isoformat())


class RequestDetailSchema(RequestSummarySchema):
    description = fields.Function(lambda view: view.request.description)
    order_id = fields.Function(lambda view: view.request.order_id)
    page_url = fields.Function(lambda view: view.request.page_url)
    priority = fields.Function(_ticket_attr("priority"))
    resolved_at = fields.Function(lambda view: view.ticket.resolved_at.isoformat()
                                  if view.ticket and view.ticket.resolved_at else None)
    replies = fields.Function(lambda view: ReplySchema(many=True).dump(view.ticket.replies if view.ticket else []))


class RequestPageSchema(Schema):
    items = fields.List(fields.Nested(RequestSummarySchema))
    total = fields.Integer()
    page = fields.Function(lambda p: p.request.page)
    page_size = fields.Function(lambda p: p.request.page_size)
    total_pages = fields.Integer()


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
    category = fields.Function(lambda t: t.category.value)
    priority = fields.Function(lambda t: t.priority.value)
    status = fields.Function(lambda t: t.status.value)
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


class TicketPageSchema(Schema):
    items = fields.List(fields.Nested(TicketSchema))
    total = fields.Integer()
    page = fields.Function(lambda p: p.request.page)
    page_size = fields.Function(lambda p: p.request.page_size)
    total_pages = fields.Integer()
