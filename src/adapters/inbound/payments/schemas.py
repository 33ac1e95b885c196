from __future__ import annotations

from marshmallow import Schema, fields, validate


class AuthorizeUrlSchema(Schema):
    authorize_url = fields.String(metadata={"description": "open it in the browser: Square's approval page"})
    expires_in = fields.Integer(metadata={"description": "seconds the link stays usable (once)"})


class LocationSchema(Schema):
    id = fields.String()
    name = fields.String()
    currency = fields.String()
    active = fields.Boolean()


class SquareConnectionSchema(Schema):
    status = fields.Function(lambda view: view.connection.status.value,
                             metadata={"description": "connected, revoked or disconnected"})
    status_reason = fields.Function(lambda view: view.connection.status_reason)
    merchant_id = fields.Function(lambda view: view.connection.merchant_id)
    location = fields.Function(lambda view: None if view.connection.location_id is None else {
        "id": view.connection.location_id, "name": view.connection.location_name,
        "currency": view.connection.currency})
    can_take_payments = fields.Function(lambda view: view.connection.can_take_payments()[0])
    cannot_take_payments_because = fields.Function(lambda view: view.connection.can_take_payments()[1] or None)
    connected_at = fields.Function(lambda view: view.connection.connected_at.isoformat())
    token_expires_at = fields.Function(lambda view: view.connection.expires_at.isoformat())
    locations = fields.List(fields.Nested(LocationSchema),
                            metadata={"description": "your Square locations (with ?with_locations=true)"})


class ConnectionQuerySchema(Schema):
    with_locations = fields.Boolean(load_default=False,
                                    metadata={"description": "also list the locations of your Square account"})


class ChooseLocationSchema(Schema):
    location_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class OAuthCallbackQuerySchema(Schema):
    state = fields.String(required=True, validate=validate.Length(min=1, max=200))
    code = fields.String(validate=validate.Length(min=1, max=512))
    response_type = fields.String(validate=validate.Length(max=16))
    error = fields.String(validate=validate.Length(max=100))
    error_description = fields.String(validate=validate.Length(max=500))


class WebhookOutcomeSchema(Schema):
    outcome = fields.String(metadata={"description": "handled, duplicate (a replay) or ignored (an event we do "
                                                     "not act on)"})
