from __future__ import annotations

from mongoengine import DateTimeField, Document, IntField, StringField


class SquareConnectionDocument(Document):
    # One connection per seller: the seller's id is the key.
    id = StringField(primary_key=True)
    merchant_id = StringField(required=True)
    access_token_encrypted = StringField(required=True)
    refresh_token_encrypted = StringField(required=True)
    expires_at = DateTimeField(required=True)
    status = StringField(required=True)
    status_reason = StringField(default="")
    connected_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    location_id = StringField()
    location_name = StringField()
    currency = StringField()
    refresh_lease_id = StringField()
    refresh_lease_until = DateTimeField()
    version = IntField(default=0)

    meta = {
        "collection": "square_connections",
        "indexes": [
            # Revocation webhooks name the merchant.
            "merchant_id",
            # The refresh job asks for connected accounts expiring soonest.
            ("status", "expires_at"),
        ],
        "auto_create_index": False,
    }


class PendingAuthorizationDocument(Document):
    id = StringField(primary_key=True)  # the OAuth state
    seller_id = StringField(required=True)
    code_verifier = StringField(required=True)
    created_at = DateTimeField(required=True)
    expires_at = DateTimeField(required=True)

    meta = {
        "collection": "square_pending_authorizations",
        # Abandoned authorizations are removed by the server once expired.
        "indexes": [{"fields": ["expires_at"], "expireAfterSeconds": 0}],
        "auto_create_index": False,
    }


class ProcessedWebhookEventDocument(Document):
    # The event id is the key: its unique index is what makes a replay a no-op under concurrency.
    id = StringField(primary_key=True)
    type = StringField(required=True)
    received_at = DateTimeField(required=True)

    meta = {
        "collection": "square_webhook_events",
        # Square retries a notification for up to 3 days; a month of ids covers every retry.
        "indexes": [{"fields": ["received_at"], "expireAfterSeconds": 30 * 86_400}],
        "auto_create_index": False,
    }


PAYMENTS_DOCUMENTS = [SquareConnectionDocument, PendingAuthorizationDocument, ProcessedWebhookEventDocument]
