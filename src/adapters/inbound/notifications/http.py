from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.notifications.schemas import InboxArgsSchema, InboxSchema, MarkedSchema, NotificationSchema
from application.notifications.use_cases import ListMyNotifications, MarkAllNotificationsRead, MarkNotificationRead
from application.shared.pagination import PageRequest

blp = Blueprint("notifications", __name__, url_prefix="/notifications",
                description="Your inbox: replies from support, order updates and more")


@blp.route("")
class Notifications(MethodView):
    @requires_auth()
    @blp.arguments(InboxArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, InboxSchema)
    def get(self, args):
        """Your notifications, newest first, with the unread count."""
        return use_case(ListMyNotifications).execute(
            current_actor(), PageRequest(page=args["page"], page_size=args["page_size"]),
            unread_only=args["unread_only"])


@blp.route("/<notification_id>/read")
class MarkRead(MethodView):
    @requires_auth()
    @blp.response(200, NotificationSchema)
    def post(self, notification_id: str):
        """Mark one notification as read."""
        return use_case(MarkNotificationRead).execute(current_actor(), notification_id)


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @requires_auth()
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark every notification as read."""
        return {"marked": use_case(MarkAllNotificationsRead).execute(current_actor())}


BLUEPRINTS = [blp]
