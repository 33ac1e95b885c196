"""Password reset by e-mail (issue #19): ask for a link, then set a new password with it."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from adapters.inbound.http.wiring import use_case
from application.accounts.recovery import (
    ConfirmPasswordReset,
    ConfirmPasswordResetCommand,
    RequestPasswordReset,
    RequestPasswordResetCommand,
)
from domain.shared.email_requests import DEFAULT_LANGUAGE, LANGUAGES

recovery_blp = Blueprint("account_recovery", __name__, url_prefix="/auth",
                         description="Get back into an account by e-mail")


def reader_language() -> str:
    """The mail's language: the browser's first choice of ours, Spanish when it names neither."""
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


class PasswordResetRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))


class PasswordResetConfirmSchema(Schema):
    token = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "the token of the link in the mail"})
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


@recovery_blp.route("/password-reset")
class PasswordReset(MethodView):
    @recovery_blp.arguments(PasswordResetRequestSchema)
    @recovery_blp.response(202)
    @recovery_blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body):
        """Mail a password reset link (valid 30 minutes, once) to this address, if it has an account.

        The answer is the same whether or not it has one. The mail is in the language of
        Accept-Language (Spanish or English; Spanish otherwise)."""
        use_case(RequestPasswordReset).execute(RequestPasswordResetCommand(
            email=body["email"], client_address=request.remote_addr or "unknown", language=reader_language()))


@recovery_blp.route("/password-reset/confirm")
class PasswordResetConfirm(MethodView):
    @recovery_blp.arguments(PasswordResetConfirmSchema)
    @recovery_blp.response(204)
    @recovery_blp.alt_response(422, description="the token is unknown, used or expired (field `token`), or the "
                                                "new password is refused (field `new_password`)")
    def post(self, body):
        """Set a new password with the link's token. The token works once; every session of the
        account is signed out."""
        use_case(ConfirmPasswordReset).execute(ConfirmPasswordResetCommand(token=body["token"],
                                                                          new_password=body["new_password"]))


BLUEPRINTS = [recovery_blp]
