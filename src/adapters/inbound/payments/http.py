from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, redirect, request
from flask.views import MethodView
from flask_smorest import Blueprint

from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.payments.schemas import (
    AuthorizeUrlSchema,
    ChooseLocationSchema,
    ConnectionQuerySchema,
    OAuthCallbackQuerySchema,
    SquareConnectionSchema,
    WebhookOutcomeSchema,
)
from application.payments.use_cases import (
    ChooseSquareLocation,
    CompleteSquareConnection,
    CompleteSquareConnectionCommand,
    DisconnectSquare,
    GetMySquareConnection,
    HandleSquareWebhook,
    SquareConnectionView,
    StartSquareConnection,
)
from domain.shared.access import Role
from domain.shared.errors import DomainError

connection_blp = Blueprint("square-connection", __name__, url_prefix="/me/square-connection",
                           description="A seller's own Square account, where their customers' payments go")
oauth_blp = Blueprint("square-oauth", __name__, url_prefix="/square/oauth",
                      description="Square's redirect back after the seller approves (or denies) the connection")
webhooks_blp = Blueprint("square-webhooks", __name__, url_prefix="/webhooks",
                         description="Square's signed notifications")

SIGNATURE_HEADER = "x-square-hmacsha256-signature"


@connection_blp.route("")
class SquareConnectionResource(MethodView):
    @requires_auth(Role.SELLER)
    @connection_blp.response(201, AuthorizeUrlSchema)
    def post(self):
        """Start connecting your Square account: open the returned URL, approve on Square, and Square
        brings you back to the marketplace."""
        settings = current_app.extensions["settings"]
        return {"authorize_url": use_case(StartSquareConnection).execute(current_actor()),
                "expires_in": settings.square_oauth_state_ttl_seconds}

    @requires_auth(Role.SELLER)
    @connection_blp.arguments(ConnectionQuerySchema, location="query")
    @connection_blp.response(200, SquareConnectionSchema)
    @connection_blp.alt_response(404, response="NOT_FOUND")
    def get(self, query):
        """Your Square connection: status, chosen location, whether you can take payments."""
        return use_case(GetMySquareConnection).execute(current_actor(), with_locations=query["with_locations"])

    @requires_auth(Role.SELLER)
    @connection_blp.response(200, SquareConnectionSchema)
    @connection_blp.alt_response(404, response="NOT_FOUND")
    def delete(self):
        """Disconnect: the marketplace's access is revoked at Square; your services stop being bookable."""
        return SquareConnectionView(use_case(DisconnectSquare).execute(current_actor()), [])


@connection_blp.route("/location")
class SquareLocationResource(MethodView):
    @requires_auth(Role.SELLER)
    @connection_blp.arguments(ChooseLocationSchema)
    @connection_blp.response(200, SquareConnectionSchema)
    @connection_blp.alt_response(404, response="NOT_FOUND")
    def put(self, body):
        """Choose which of your Square locations takes the marketplace's payments."""
        return use_case(ChooseSquareLocation).execute(current_actor(), body["location_id"])


@oauth_blp.route("/callback")
class SquareOAuthCallback(MethodView):
    @oauth_blp.arguments(OAuthCallbackQuerySchema, location="query")
    @oauth_blp.response(303, description="Back to the seller's panel in the web front end (WEB_PUBLIC_URL) with the "
                                         "outcome: `/vendedor?square=connected` or "
                                         "`/vendedor?square=failed&reason=<error code>`")
    def get(self, query):
        """Where Square sends the seller's browser back: the single-use state identifies the seller."""
        command = CompleteSquareConnectionCommand(state=query["state"], code=query.get("code"),
                                                  error=query.get("error"),
                                                  error_description=query.get("error_description"))
        web = current_app.extensions["settings"].web_public_url
        # A person's browser lands here: it goes back to the page it came from, never to raw JSON.
        try:
            use_case(CompleteSquareConnection).execute(command)
        except DomainError as error:
            return redirect(f"{web}/vendedor?{urlencode({'square': 'failed', 'reason': error.code})}", 303)
        return redirect(f"{web}/vendedor?square=connected", 303)


@webhooks_blp.route("/square")
class SquareWebhook(MethodView):
    @webhooks_blp.response(200, WebhookOutcomeSchema)
    @webhooks_blp.alt_response(401, response="UNAUTHORIZED")
    def post(self):
        """Square's notifications, verified against the signature header over the notification URL
        plus the raw body; each event id is handled once."""
        outcome = use_case(HandleSquareWebhook).execute(request.get_data(as_text=True),
                                                        request.headers.get(SIGNATURE_HEADER))
        return {"outcome": outcome.value}


BLUEPRINTS = [connection_blp, oauth_blp, webhooks_blp]
