"""Schemas every context's endpoints share, so the OpenAPI document has one of each."""

from __future__ import annotations

from marshmallow import Schema, fields, missing, validate

from domain.shared.money import CURRENCY_EXPONENTS

# A million euros in cents: far above any home service, far below an integer overflow anywhere.
MAX_AMOUNT_MINOR_UNITS = 100_000_000


class MoneySchema(Schema):
    """A positive amount in minor units with its ISO 4217 currency, as sent by clients."""

    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_AMOUNT_MINOR_UNITS),
                            metadata={"description": "minor units (cents): 4500 is 45.00 EUR"})
    currency = fields.String(required=True, validate=validate.OneOf(sorted(CURRENCY_EXPONENTS)),
                             metadata={"description": "ISO 4217"})


class MoneyOutSchema(Schema):
    """An amount as the API reports it (zero and negative never appear as input)."""

    amount = fields.Integer(metadata={"description": "minor units (cents)"})
    currency = fields.String(metadata={"description": "ISO 4217"})


class ErrorSchema(Schema):
    """Every error answer (see ``errors.error_body``); named ``Error`` in the OpenAPI document."""

    code = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    status = fields.String(required=True, metadata={"description": "the HTTP status' name"})
    message = fields.String(required=True, metadata={"description": "what went wrong, naming the field"})
    errors = fields.Dict(metadata={"description": "per location and field: the messages"})
    reason = fields.String(metadata={"description": "a stable code for programs, such as slot_taken"})


class PatchSchema(Schema):
    """The body of a PATCH: every field optional, and none takes a default (documented or loaded),
    so the fields left out are absent from what the view gets and keep their stored value."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)
        for field in self.fields.values():
            field.load_default = missing
