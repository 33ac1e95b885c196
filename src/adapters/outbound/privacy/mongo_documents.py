from __future__ import annotations

from mongoengine import DateTimeField, Document, IntField, ListField, StringField


class DataExportDocument(Document):
    id = StringField(primary_key=True)
    user_id = StringField(required=True)
    status = StringField(required=True, choices=("pending", "running", "ready", "failed", "expired"))
    # The user id while the export is pending or running, absent otherwise: its unique index makes
    # a second active export of the same person fail, however the requests race.
    active_user = StringField()
    requested_at = DateTimeField(required=True)
    started_at = DateTimeField()
    finished_at = DateTimeField()
    available_until = DateTimeField()
    size_bytes = IntField(default=0)
    files = ListField(StringField())
    attempts = IntField(default=0)
    failure = StringField(default="")
    lease_until = DateTimeField()
    version = IntField(default=0)

    meta = {
        "collection": "data_exports",
        "indexes": [
            {"fields": ["active_user"], "unique": True, "sparse": True},
            # The person's recent exports (the daily limit).
            {"fields": ["user_id", "requested_at"]},
            # The worker's queue: oldest claimable first.
            {"fields": ["status", "lease_until", "requested_at"]},
            # The purge of archives past their download window.
            {"fields": ["status", "available_until"]},
        ],
        "auto_create_index": False,
    }


PRIVACY_DOCUMENTS = [DataExportDocument]
