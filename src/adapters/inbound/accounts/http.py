from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from adapters.inbound.accounts.schemas import (
    AccountSchema,
    ChangePasswordSchema,
    DeleteAccountSchema,
    DeletionRefusedSchema,
    LoginSchema,
    RefreshSchema,
    RegisterSchema,
    TokenPairSchema,
    UpdateAccountSchema,
)
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from application.accounts.use_cases import (
    ChangePassword,
    ChangePasswordCommand,
    DeleteMyAccount,
    DeleteMyAccountCommand,
    GetMyAccount,
    LogIn,
    LogInCommand,
    LogOut,
    RefreshTokens,
    RegisterUser,
    RegisterUserCommand,
    UpdateMyAccount,
    UpdateMyAccountCommand,
)

auth_blp = Blueprint("auth", __name__, url_prefix="/auth", description="Register, sign in, refresh and sign out")
me_blp = Blueprint("me", __name__, url_prefix="/me", description="The signed-in person's own account")


@auth_blp.route("/register")
class Register(MethodView):
    @auth_blp.arguments(RegisterSchema)
    @auth_blp.response(201, AccountSchema)
    def post(self, body):
        """Create a buyer or seller account."""
        return use_case(RegisterUser).execute(RegisterUserCommand(**body))


@auth_blp.route("/login")
class Login(MethodView):
    @auth_blp.arguments(LoginSchema)
    @auth_blp.response(200, TokenPairSchema)
    @auth_blp.alt_response(401, response="UNAUTHORIZED")
    def post(self, body):
        """Exchange e-mail and password for an access token (15 min) and a refresh token."""
        return use_case(LogIn).execute(LogInCommand(email=body["email"], password=body["password"],
                                                    client_address=request.remote_addr or "unknown"))


@auth_blp.route("/refresh")
class Refresh(MethodView):
    @auth_blp.arguments(RefreshSchema)
    @auth_blp.response(200, TokenPairSchema)
    @auth_blp.alt_response(401, response="UNAUTHORIZED")
    def post(self, body):
        """Rotate a refresh token: the old one stops working; reusing it revokes the session."""
        return use_case(RefreshTokens).execute(body["refresh_token"])


@auth_blp.route("/logout")
class Logout(MethodView):
    @auth_blp.arguments(RefreshSchema)
    @auth_blp.response(204)
    def post(self, body):
        """End the session of this refresh token."""
        use_case(LogOut).execute(body["refresh_token"])


@me_blp.route("")
class Me(MethodView):
    @requires_auth()
    @me_blp.response(200, AccountSchema)
    def get(self):
        """Your account."""
        return use_case(GetMyAccount).execute(current_actor())

    @requires_auth()
    @me_blp.arguments(UpdateAccountSchema)
    @me_blp.response(200, AccountSchema)
    def patch(self, body):
        """Change your display name or phone, or start selling."""
        command = UpdateMyAccountCommand(display_name=body.get("display_name"), phone=body.get("phone"),
                                         clear_phone="phone" in body and body["phone"] is None,
                                         become_seller=bool(body.get("become_seller")))
        return use_case(UpdateMyAccount).execute(current_actor(), command)

    @requires_auth()
    @me_blp.arguments(DeleteAccountSchema)
    @me_blp.response(204)
    @me_blp.alt_response(409, schema=DeletionRefusedSchema,
                         description="an order of yours is still open or a payment pending; `blockers` names them")
    @me_blp.alt_response(422, description="the password is missing or not correct")
    def delete(self, body):
        """Delete your account, confirming with your current password.

        You are signed out everywhere at once; your name, e-mail, phone, addresses, messages' text,
        photos and profile are erased or anonymized in every part of the marketplace within moments.
        Orders, payments and invoices stay as records without your identity; your reviews stay, shown
        as from a former user. Refused while an order of yours is open (quote, booked, accepted, in
        progress) or a payment pending."""
        use_case(DeleteMyAccount).execute(current_actor(), DeleteMyAccountCommand(password=body["password"]))


@me_blp.route("/password")
class Password(MethodView):
    @requires_auth()
    @me_blp.arguments(ChangePasswordSchema)
    @me_blp.response(200, TokenPairSchema)
    def post(self, body):
        """Change your password: every other session is signed out; you get a fresh token pair."""
        return use_case(ChangePassword).execute(current_actor(), ChangePasswordCommand(**body))


BLUEPRINTS = [auth_blp, me_blp]
