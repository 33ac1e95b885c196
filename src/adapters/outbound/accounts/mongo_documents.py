from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)


class UserDocument(Document):
    id = StringField(primary_key=True)
    email = StringField(required=True)
    display_name = StringField(required=True)
    password_hash = StringField(required=True)
    roles = ListField(StringField())
    created_at = DateTimeField(required=True)
    phone = StringField()
    session_epoch = IntField(default=0)
    version = IntField(default=0)
    deleted = BooleanField(default=False)
    extra = DictField()

    meta = {
        "collection": "users",
        # Unique under concurrency: the index decides, not a read before the write.
        "indexes": [{"fields": ["email"], "unique": True}],
        "auto_create_index": False,
    }


class RefreshSessionDocument(Document):
    id = StringField(primary_key=True)
    family_id = StringField(required=True)
    user_id = StringField(required=True)
    token_hash = StringField(required=True)
    issued_at = DateTimeField(required=True)
    expires_at = DateTimeField(required=True)
    rotated_at = DateTimeField()
    revoked_at = DateTimeField()

    meta = {
        "collection": "refresh_sessions",
        "indexes": [
            {"fields": ["token_hash"], "unique": True},
            "family_id",
            "user_id",
            # Expired sessions are removed by the server.
            {"fields": ["expires_at"], "expireAfterSeconds": 0},
        ],
        "auto_create_index": False,
    }


class LoginFailureDocument(Document):
    key = StringField(required=True)
    at = DateTimeField(required=True)

    meta = {
        "collection": "login_failures",
        "indexes": [
            ("key", "at"),
            {"fields": ["at"], "expireAfterSeconds": 3600},
        ],
        "auto_create_index": False,
    }


class OneTimeTokenDocument(Document):
    id = StringField(primary_key=True)
    user_id = StringField(required=True)
    purpose = StringField(required=True)
    token_hash = StringField(required=True)
    email = StringField(required=True)
    issued_at = DateTimeField(required=True)
    expires_at = DateTimeField(required=True)
    used_at = DateTimeField()

    meta = {
        "collection": "one_time_tokens",
        "indexes": [
            {"fields": ["token_hash"], "unique": True},
            ("user_id", "purpose"),
            # Gone a day after they expire: long enough to tell "expired" in the logs, no longer.
            {"fields": ["expires_at"], "expireAfterSeconds": 86_400},
        ],
        "auto_create_index": False,
    }


ACCOUNTS_DOCUMENTS = [UserDocument, RefreshSessionDocument, LoginFailureDocument, OneTimeTokenDocument]
