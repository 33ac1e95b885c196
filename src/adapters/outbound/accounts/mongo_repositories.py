"""MongoDB adapters of the accounts ports. Documents stay here; the use cases see entities."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from adapters.outbound.mongo.outbox import append_events, transaction
from adapters.outbound.accounts.mongo_documents import (
    LoginFailureDocument,
    OneTimeTokenDocument,
    RefreshSessionDocument,
    UserDocument,
)
from adapters.outbound.mongo.inserts import insert_once
from domain.accounts.email import Email
from domain.accounts.errors import EmailAlreadyRegistered
from domain.accounts.one_time_tokens import OneTimeToken
from domain.accounts.sessions import RefreshSession
from domain.accounts.user import User
from domain.shared.access import Role
from domain.shared.clock import utc
from domain.shared.errors import Conflict


def user_to_document(user: User) -> UserDocument:
    return UserDocument(id=user.id, email=user.email.value, display_name=user.display_name,
                        password_hash=user.password_hash, roles=sorted(r.value for r in user.roles),
                        created_at=user.created_at, phone=user.phone, session_epoch=user.session_epoch,
                        version=user.version, deleted=user.deleted, extra=user.extra)


def user_from_raw(raw: dict) -> User:
    return User(id=raw["_id"], email=Email(raw["email"]), display_name=raw["display_name"],
                password_hash=raw["password_hash"], roles=frozenset(Role(r) for r in raw.get("roles", [])),
                created_at=utc(raw["created_at"]), phone=raw.get("phone"),
                session_epoch=raw.get("session_epoch", 0), version=raw.get("version", 0),
                deleted=raw.get("deleted", False), extra=raw.get("extra") or {})


class MongoUserRepository:
    def _collection(self):
        return UserDocument._get_collection()

    def add(self, user: User) -> None:
        try:
            insert_once(self._collection(), user_to_document(user).to_mongo().to_dict())
        except DuplicateKeyError as error:
            raise EmailAlreadyRegistered() from error

    def get(self, user_id: str) -> User | None:
        if not isinstance(user_id, str):
            return None
        raw = self._collection().find_one({"_id": user_id})
        return user_from_raw(raw) if raw else None

    def get_by_email(self, email: Email) -> User | None:
        raw = self._collection().find_one({"email": email.value})
        return user_from_raw(raw) if raw else None

    def save(self, user: User) -> None:
        fields = user_to_document(user).to_mongo().to_dict()
        fields.pop("_id")
        fields["version"] = user.version + 1
        # to_mongo() leaves out None: a field set to None (a removed phone) must be unset, not kept.
        update: dict = {"$set": fields}
        if user.phone is None:
            update["$unset"] = {"phone": ""}
        events = list(user.pending_events)
        if events:
            # The account's change and its events (account.deleted) commit together or not at all.
            with transaction() as session:
                result = self._collection().update_one({"_id": user.id, "version": user.version}, update,
                                                       session=session)
                if result.matched_count == 0:
                    raise Conflict("the account was changed by another request; reload and try again")
                append_events(events, session)
            user.pull_events()
        else:
            result = self._collection().update_one({"_id": user.id, "version": user.version}, update)
            if result.matched_count == 0:
                raise Conflict("the account was changed by another request; reload and try again")
        user.version += 1


def _session_from_raw(raw: dict) -> RefreshSession:
    return RefreshSession(id=raw["_id"], family_id=raw["family_id"], user_id=raw["user_id"],
                          token_hash=raw["token_hash"], issued_at=utc(raw["issued_at"]),
                          expires_at=utc(raw["expires_at"]),
                          rotated_at=utc(raw["rotated_at"]) if raw.get("rotated_at") else None,
                          revoked_at=utc(raw["revoked_at"]) if raw.get("revoked_at") else None)


class MongoRefreshSessionStore:
    def _collection(self):
        return RefreshSessionDocument._get_collection()

    def add(self, session: RefreshSession) -> None:
        doc = RefreshSessionDocument(id=session.id, family_id=session.family_id, user_id=session.user_id,
                                     token_hash=session.token_hash, issued_at=session.issued_at,
                                     expires_at=session.expires_at)
        self._collection().insert_one(doc.to_mongo().to_dict())

    def get_by_token_hash(self, token_hash: str) -> RefreshSession | None:
        raw = self._collection().find_one({"token_hash": token_hash})
        return _session_from_raw(raw) if raw else None

    def mark_rotated(self, session_id: str, now: datetime) -> bool:
        result = self._collection().update_one(
            {"_id": session_id, "rotated_at": None, "revoked_at": None}, {"$set": {"rotated_at": now}})
        return result.modified_count == 1

    def revoke_family(self, family_id: str, now: datetime) -> None:
        self._collection().update_many({"family_id": family_id, "revoked_at": None}, {"$set": {"revoked_at": now}})

    def revoke_all_for_user(self, user_id: str, now: datetime, *, except_family: str | None = None) -> None:
        query: dict = {"user_id": user_id, "revoked_at": None}
        if except_family:
            query["family_id"] = {"$ne": except_family}
        self._collection().update_many(query, {"$set": {"revoked_at": now}})


class MongoLoginThrottle:
    """Counts recent failures per key in MongoDB, so every gunicorn worker and replica agrees."""

    def __init__(self, *, max_failures: int = 5, window: timedelta = timedelta(minutes=15),
                 max_failures_per_address: int = 50) -> None:
        self._max = max_failures
        self._max_per_address = max_failures_per_address
        self._window = window

    def _collection(self):
        return LoginFailureDocument._get_collection()

    def retry_after(self, keys: list[str], now: datetime) -> int | None:
        since = now - self._window
        waits = []
        for key in keys:
            limit = self._max_per_address if key.startswith("address:") else self._max
            recent = list(self._collection().find({"key": key, "at": {"$gt": since}}, {"at": 1})
                          .sort("at", -1).limit(limit))
            if len(recent) >= limit:
                oldest = utc(recent[-1]["at"])
                waits.append(max(1, int((oldest + self._window - now).total_seconds()) + 1))
        return max(waits) if waits else None

    def record_failure(self, keys: list[str], now: datetime) -> None:
        self._collection().insert_many([{"key": key, "at": now} for key in keys])

    def reset(self, keys: list[str]) -> None:
        # A success clears the e-mail's count; an address shared by many people keeps its own.
        self._collection().delete_many({"key": {"$in": [k for k in keys if k.startswith("email:")]}})


def _token_from_raw(raw: dict) -> OneTimeToken:
    return OneTimeToken(id=raw["_id"], user_id=raw["user_id"], purpose=raw["purpose"], token_hash=raw["token_hash"],
                        email=raw["email"], issued_at=utc(raw["issued_at"]), expires_at=utc(raw["expires_at"]),
                        used_at=utc(raw["used_at"]) if raw.get("used_at") else None)


class MongoOneTimeTokenStore:
    def _collection(self):
        return OneTimeTokenDocument._get_collection()

    def add(self, token: OneTimeToken) -> None:
        insert_once(self._collection(), {"_id": token.id, "user_id": token.user_id, "purpose": token.purpose,
                                         "token_hash": token.token_hash, "email": token.email,
                                         "issued_at": token.issued_at, "expires_at": token.expires_at,
                                         "used_at": None})

    def find_usable(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None:
        raw = self._collection().find_one({"token_hash": token_hash, "purpose": purpose, "used_at": None,
                                           "expires_at": {"$gt": now}})
        return _token_from_raw(raw) if raw else None

    def consume(self, token_id: str, now: datetime) -> bool:
        # The filter decides: of two requests with the same link, exactly one matches.
        result = self._collection().update_one({"_id": token_id, "used_at": None, "expires_at": {"$gt": now}},
                                               {"$set": {"used_at": now}})
        return result.modified_count == 1

    def revoke_all(self, user_id: str, purpose: str, now: datetime) -> None:
        self._collection().update_many({"user_id": user_id, "purpose": purpose, "used_at": None},
                                       {"$set": {"used_at": now}})
