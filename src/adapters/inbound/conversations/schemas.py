from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.shared.pagination import MAX_PAGE_SIZE
from domain.conversations.conversation import MAX_IMAGES, MAX_REASON, MAX_TEXT, MAX_URL, Kind, Participant


class ConversationPageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class NewMessageSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT),
                         metadata={"description": "e-mails and phone numbers are masked until the order is accepted"})
    image_urls = fields.List(fields.String(validate=validate.Length(min=1, max=MAX_URL)), load_default=list,
                             validate=validate.Length(max=MAX_IMAGES), metadata={"description": "http(s) URLs"})


class NewInquirySchema(NewMessageSchema):
    service_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class MessageReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_REASON))


class ConversationContactSchema(Schema):
    name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)


class ConversationSchema(Schema):
    id = fields.String(attribute="conversation.id")
    kind = fields.Enum(Kind, by_value=True, attribute="conversation.kind",
                       metadata={"description": "inquiry (before booking) or order"})
    buyer_id = fields.String(attribute="conversation.buyer_id")
    seller_id = fields.String(attribute="conversation.seller_id")
    service_id = fields.String(attribute="conversation.service_id")
    order_id = fields.String(attribute="conversation.order_id", allow_none=True)
    created_at = fields.DateTime(attribute="conversation.created_at")
    last_message_at = fields.DateTime(attribute="conversation.last_message_at", allow_none=True)
    last_preview = fields.String(attribute="conversation.last_preview")
    viewer = fields.Enum(Participant, by_value=True,
                         metadata={"description": "your place in it: buyer, seller, or staff (support reading)"})
    unread = fields.Integer(metadata={"description": "messages the other person wrote since you last read"})
    counterpart_contact = fields.Nested(ConversationContactSchema, allow_none=True,
                                        metadata={"description": "the other side's contact, once the order is "
                                                                 "accepted"})


class ConversationPageSchema(Schema):
    items = fields.List(fields.Nested(ConversationSchema))
    total = fields.Integer()
    page = fields.Integer(attribute="request.page")
    page_size = fields.Integer(attribute="request.page_size")
    total_pages = fields.Integer()


class UnreadSchema(Schema):
    total = fields.Integer()


class MessageSchema(Schema):
    id = fields.String(attribute="message.id")
    conversation_id = fields.String(attribute="message.conversation_id")
    author_id = fields.String(attribute="message.author_id")
    author = fields.Enum(Participant, by_value=True, metadata={"description": "buyer or seller"})
    mine = fields.Boolean()
    text = fields.String(allow_none=True, metadata={"description": "null when hidden by support"})
    image_urls = fields.List(fields.String())
    at = fields.DateTime(attribute="message.at")
    masked = fields.Boolean(attribute="message.masked",
                            metadata={"description": "contact details were hidden from this message"})
    hidden = fields.Boolean()
    hidden_reason = fields.String(allow_none=True, metadata={"description": "for staff"})


class MessagePageSchema(Schema):
    items = fields.List(fields.Nested(MessageSchema))
    total = fields.Integer()
    page = fields.Integer(attribute="request.page")
    page_size = fields.Integer(attribute="request.page_size")
    total_pages = fields.Integer()


class MessageReportSchema(Schema):
    id = fields.String()
    message_id = fields.String()
    conversation_id = fields.String()
    reporter_id = fields.String()
    reason = fields.String()
    at = fields.DateTime()


class MessageReportPageSchema(Schema):
    items = fields.List(fields.Nested(MessageReportSchema))
    total = fields.Integer()
    page = fields.Integer(attribute="request.page")
    page_size = fields.Integer(attribute="request.page_size")
    total_pages = fields.Integer()
