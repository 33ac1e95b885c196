from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.shared.pagination import MAX_PAGE_SIZE


class InboxArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    unread_only = fields.Boolean(load_default=False)


class NotificationSchema(Schema):
    id = fields.String()
    event = fields.String(attribute="event_name")
    title = fields.String()
    body = fields.String()
    data = fields.Dict(metadata={"description": "links to what it is about, e.g. order_id or ticket_id"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    unread = fields.Boolean()


class InboxSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), attribute="page.items")
    total = fields.Integer(attribute="page.total")
    page = fields.Integer(attribute="page.request.page")
    page_size = fields.Integer(attribute="page.request.page_size")
    total_pages = fields.Integer(attribute="page.total_pages")
    unread = fields.Integer(metadata={"description": "unread notifications in the whole inbox"})


class MarkedSchema(Schema):
    marked = fields.Integer(metadata={"description": "how many notifications were unread and now are read"})
