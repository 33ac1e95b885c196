from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.http.created import LOCATION_HEADER
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.support.schemas import (
    AcceptedRequestSchema,
    PageArgsSchema,
    ReplyBodySchema,
    RequestDetailSchema,
    RequestPageSchema,
    SubmitRequestSchema,
    TicketPageSchema,
    TicketQueueArgsSchema,
    TicketSchema,
)
from application.shared.pagination import PageRequest
from application.support.ports import TicketFilters
from application.support.use_cases import (
    GetMySupportRequest,
    GetTicket,
    ListMySupportRequests,
    ListTicketQueue,
    ReplyToMySupportRequest,
    ReplyToTicket,
    ResolveTicket,
    SubmitSupportRequest,
    SubmitSupportRequestCommand,
    TakeTicket,
)
from domain.shared.access import Role

requests_blp = Blueprint("support_requests", __name__, url_prefix="/support/requests",
                         description="Tell support about a problem with the site, and follow the answer")
tickets_blp = Blueprint("support_tickets", __name__, url_prefix="/support/tickets",
                        description="The support queue, for support agents")


@requests_blp.route("")
class SupportRequests(MethodView):
    @requires_auth()
    @requests_blp.arguments(SubmitRequestSchema)
    @requests_blp.response(202, AcceptedRequestSchema, headers=LOCATION_HEADER)
    def post(self, body):
        """Open a support request. Accepted at once; its ticket opens within seconds."""
        accepted = use_case(SubmitSupportRequest).execute(current_actor(), SubmitSupportRequestCommand(**body))
        return accepted, 202, {"Location": url_for("support_requests.SupportRequestDetail", request_id=accepted.id)}

    @requires_auth()
    @requests_blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @requests_blp.response(200, RequestPageSchema)
    def get(self, args):
        """Your support requests, newest first."""
        return use_case(ListMySupportRequests).execute(current_actor(), PageRequest(**args))


@requests_blp.route("/<request_id>")
class SupportRequestDetail(MethodView):
    @requires_auth()
    @requests_blp.response(200, RequestDetailSchema)
    def get(self, request_id: str):
        """One of your requests, with its ticket's status and the replies."""
        return use_case(GetMySupportRequest).execute(current_actor(), request_id)


@requests_blp.route("/<request_id>/replies")
class SupportRequestReplies(MethodView):
    @requires_auth()
    @requests_blp.arguments(ReplyBodySchema)
    @requests_blp.response(201, RequestDetailSchema)
    def post(self, body, request_id: str):
        """Answer support on one of your requests (reopens it if it was resolved)."""
        return use_case(ReplyToMySupportRequest).execute(current_actor(), request_id, body["body"])


@tickets_blp.route("")
class TicketQueue(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @tickets_blp.arguments(TicketQueueArgsSchema, location="query", unknown=RAISE)
    @tickets_blp.response(200, TicketPageSchema)
    def get(self, args):
        """The queue: highest priority first (payments and orders), then oldest first."""
        actor = current_actor()
        assignee = args.get("assignee")
        filters = TicketFilters(status=args.get("status"), priority=args.get("priority"),
                                category=args.get("category"), unassigned=assignee == "none",
                                assignee_id=actor.user_id if assignee == "me" else assignee)
        return use_case(ListTicketQueue).execute(actor, filters, PageRequest(page=args["page"],
                                                                             page_size=args["page_size"]))


@tickets_blp.route("/<ticket_id>")
class TicketDetail(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @tickets_blp.response(200, TicketSchema)
    def get(self, ticket_id: str):
        """One ticket with its conversation."""
        return use_case(GetTicket).execute(current_actor(), ticket_id)


@tickets_blp.route("/<ticket_id>/take")
class TakeTicketView(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @tickets_blp.response(200, TicketSchema)
    def post(self, ticket_id: str):
        """Take the ticket: it is yours and in progress."""
        return use_case(TakeTicket).execute(current_actor(), ticket_id)


@tickets_blp.route("/<ticket_id>/replies")
class TicketReplies(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @tickets_blp.arguments(ReplyBodySchema)
    @tickets_blp.response(201, TicketSchema)
    def post(self, body, ticket_id: str):
        """Answer the requester; they are notified."""
        return use_case(ReplyToTicket).execute(current_actor(), ticket_id, body["body"])


@tickets_blp.route("/<ticket_id>/resolve")
class ResolveTicketView(MethodView):
    @requires_auth(Role.SUPPORT, Role.ADMIN)
    @tickets_blp.response(200, TicketSchema)
    def post(self, ticket_id: str):
        """Resolve the ticket; the requester is notified and can reopen it by replying."""
        return use_case(ResolveTicket).execute(current_actor(), ticket_id)


BLUEPRINTS = [requests_blp, tickets_blp]
