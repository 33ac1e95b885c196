from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.conversations.schemas import (
    ConversationPageArgsSchema,
    ConversationPageSchema,
    ConversationSchema,
    MessagePageSchema,
    MessageReasonSchema,
    MessageReportPageSchema,
    MessageReportSchema,
    MessageSchema,
    NewInquirySchema,
    NewMessageSchema,
    UnreadSchema,
)
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from application.conversations.use_cases import (
    CountUnread,
    GetConversation,
    GetOrderConversation,
    HideMessage,
    ListMessageReports,
    ListMessages,
    ListMyConversations,
    MarkConversationRead,
    PostMessage,
    PostOrderMessage,
    ReportMessage,
    StartInquiry,
)
from application.shared.pagination import PageRequest
from domain.shared.access import Role

blp = Blueprint("conversations", __name__, url_prefix="",
                description="Messages between a buyer and a seller: inquiries before booking and each order's "
                            "thread; reports and moderation")


@blp.route("/conversations")
class Conversations(MethodView):
    @requires_auth(Role.BUYER)
    @blp.arguments(NewInquirySchema)
    @blp.response(201, ConversationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, body):
        """Ask a seller about a service before booking. Asking again continues the same thread."""
        return use_case(StartInquiry).execute(current_actor(), body["service_id"], body["text"], body["image_urls"])

    @requires_auth()
    @blp.arguments(ConversationPageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, ConversationPageSchema)
    def get(self, args):
        """Your conversations, latest activity first, each with its unread count."""
        return use_case(ListMyConversations).execute(current_actor(), PageRequest(**args))


@blp.route("/conversations/unread")
class Unread(MethodView):
    @requires_auth()
    @blp.response(200, UnreadSchema)
    def get(self):
        """How many messages wait for you across all your conversations."""
        return {"total": use_case(CountUnread).execute(current_actor())}


@blp.route("/conversations/<conversation_id>")
class ConversationDetail(MethodView):
    @requires_auth()
    @blp.response(200, ConversationSchema)
    def get(self, conversation_id: str):
        """One of your conversations (support and admin may read any, shown as staff)."""
        return use_case(GetConversation).execute(current_actor(), conversation_id)


@blp.route("/conversations/<conversation_id>/messages")
class ConversationMessages(MethodView):
    @requires_auth()
    @blp.arguments(ConversationPageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, MessagePageSchema)
    def get(self, args, conversation_id: str):
        """The thread's messages, newest page first."""
        return use_case(ListMessages).execute(current_actor(), conversation_id, PageRequest(**args))

    @requires_auth()
    @blp.arguments(NewMessageSchema)
    @blp.response(201, MessageSchema)
    def post(self, body, conversation_id: str):
        """Write in the thread; the other person is notified."""
        return use_case(PostMessage).execute(current_actor(), conversation_id, body["text"], body["image_urls"])


@blp.route("/conversations/<conversation_id>/read")
class ConversationRead(MethodView):
    @requires_auth()
    @blp.response(200, ConversationSchema)
    def post(self, conversation_id: str):
        """Mark the thread as read by you."""
        return use_case(MarkConversationRead).execute(current_actor(), conversation_id)


@blp.route("/orders/<order_id>/conversation")
class OrderConversation(MethodView):
    @requires_auth()
    @blp.response(200, ConversationSchema)
    def get(self, order_id: str):
        """The order's thread between its buyer and seller (opened on first use), with the other
        side's contact once the order is accepted."""
        return use_case(GetOrderConversation).execute(current_actor(), order_id)


@blp.route("/orders/<order_id>/messages")
class OrderMessages(MethodView):
    @requires_auth()
    @blp.arguments(NewMessageSchema)
    @blp.response(201, MessageSchema)
    def post(self, body, order_id: str):
        """Write in the order's thread."""
        return use_case(PostOrderMessage).execute(current_actor(), order_id, body["text"], body["image_urls"])


@blp.route("/messages/<message_id>/report")
class MessageReport(MethodView):
    @requires_auth()
    @blp.arguments(MessageReasonSchema)
    @blp.response(201, MessageReportSchema)
    def post(self, body, message_id: str):
        """Tell support a message breaks the rules (a scam, insults)."""
        return use_case(ReportMessage).execute(current_actor(), message_id, body["reason"])


@blp.route("/messages/<message_id>/hide")
class MessageHide(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @blp.arguments(MessageReasonSchema)
    @blp.response(200, MessageSchema)
    def post(self, body, message_id: str):
        """Hide a message with a reason: the two people see that it was hidden, not what it said."""
        return use_case(HideMessage).execute(current_actor(), message_id, body["reason"])


@blp.route("/moderation/reports")
class MessageReports(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @blp.arguments(ConversationPageArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, MessageReportPageSchema)
    def get(self, args):
        """Open reports of messages, newest first."""
        return use_case(ListMessageReports).execute(current_actor(), PageRequest(**args))


BLUEPRINTS = [blp]
