from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from adapters.inbound.http.schemas import ErrorSchema
from domain.shared.access import Role


class RegisterSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    # Only the roles a person may give themselves: staff accounts are made by operators (flask create-staff).
    role = fields.String(load_default=Role.BUYER.value, validate=validate.OneOf([Role.BUYER.value, Role.SELLER.value]),
                         metadata={"description": "buyer or seller (a seller can also buy)"})

    @post_load
    def _role(self, data: dict, **_: object) -> dict:
        return {**data, "role": Role(data["role"])}


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200))


class AccountSchema(Schema):
    id = fields.String()
    email = fields.Function(lambda user: user.email.value)
    display_name = fields.String()
    phone = fields.String(allow_none=True)
    roles = fields.Function(lambda user: sorted(r.value for r in user.roles))
    created_at = fields.DateTime()


class TokenPairSchema(Schema):
    token_type = fields.Constant("Bearer")
    access_token = fields.String()
    expires_in = fields.Integer(metadata={"description": "seconds until the access token expires"})
    refresh_token = fields.String(metadata={"description": "single use: every refresh returns a new one"})
    user = fields.Nested(AccountSchema)


class UpdateAccountSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=80))
    phone = fields.String(allow_none=True, validate=validate.Length(max=24))
    become_seller = fields.Boolean(metadata={"description": "true to start selling too"})


class ChangePasswordSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class DeleteAccountSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256),
                             metadata={"description": "your current password: deleting cannot be undone"})


class DeletionBlockerSchema(Schema):
    order_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["open", "payment", "refund"]),
                         metadata={"description": "open: a quote, a booking or a job under way; payment: money held "
                                                  "or expected; refund: a refund not settled yet"})
    status = fields.String(required=True, allow_none=True,
                           metadata={"description": "the order's status when it is what blocks (accepted...)"})


class DeletionRefusedSchema(ErrorSchema):
    """The 409 of DELETE /me: the error, and each order in the way, so a client can link to it."""

    # Absent from the other 409 this route can give (the account changed meanwhile: try again).
    blockers = fields.List(fields.Nested(DeletionBlockerSchema), metadata={
        "description": "with reason account_has_open_commitments: each order that keeps the account"})
