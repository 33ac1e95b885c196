"""MongoDB adapters of the payments ports."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from adapters.outbound.payments.mongo_documents import (
    PendingAuthorizationDocument,
    ProcessedWebhookEventDocument,
    SquareConnectionDocument,
)
from domain.payments.connection import ConnectionStatus, PendingAuthorization, SquareConnection
from domain.shared.clock import utc
from domain.shared.errors import Conflict


def connection_to_raw(connection: SquareConnection) -> dict:
    return SquareConnectionDocument(
        id=connection.seller_id, merchant_id=connection.merchant_id,
        access_token_encrypted=connection.access_token_encrypted,
        refresh_token_encrypted=connection.refresh_token_encrypted, expires_at=connection.expires_at,
        status=connection.status.value, status_reason=connection.status_reason,
        connected_at=connection.connected_at, updated_at=connection.updated_at, location_id=connection.location_id,
        location_name=connection.location_name, currency=connection.currency,
        refresh_lease_id=connection.refresh_lease_id, refresh_lease_until=connection.refresh_lease_until,
        version=connection.version,
    ).to_mongo().to_dict()


def connection_from_raw(raw: dict) -> SquareConnection:
    return SquareConnection(
        seller_id=raw["_id"], merchant_id=raw["merchant_id"], access_token_encrypted=raw["access_token_encrypted"],
        refresh_token_encrypted=raw["refresh_token_encrypted"], expires_at=utc(raw["expires_at"]),
        status=ConnectionStatus(raw["status"]), status_reason=raw.get("status_reason", ""),
        connected_at=utc(raw["connected_at"]), updated_at=utc(raw["updated_at"]),
        location_id=raw.get("location_id"), location_name=raw.get("location_name"), currency=raw.get("currency"),
        refresh_lease_id=raw.get("refresh_lease_id"),
        refresh_lease_until=utc(raw["refresh_lease_until"]) if raw.get("refresh_lease_until") else None,
        version=raw.get("version", 0))


class MongoSquareConnectionRepository:
    def _collection(self):
        return SquareConnectionDocument._get_collection()

    def get(self, seller_id: str) -> SquareConnection | None:
        if not isinstance(seller_id, str):
            return None
        raw = self._collection().find_one({"_id": seller_id})
        return connection_from_raw(raw) if raw else None

    def save(self, connection: SquareConnection) -> None:
        fields = connection_to_raw(connection)
        fields["version"] = connection.version + 1
        if connection.version == 0:
            try:
                self._collection().insert_one(fields)
            except DuplicateKeyError as error:
                raise Conflict("the Square connection was changed by another request; try again") from error
        else:
            # The whole document is replaced: a field set to None (a lapsed lease, a location reset) is
            # absent from ``fields``, and a $set would leave its old value in place.
            result = self._collection().replace_one({"_id": connection.seller_id, "version": connection.version},
                                                    fields)
            if result.matched_count == 0:
                raise Conflict("the Square connection was changed by another request; try again")
        connection.version += 1

    def find_by_merchant(self, merchant_id: str) -> list[SquareConnection]:
        return [connection_from_raw(raw) for raw in self._collection().find({"merchant_id": merchant_id})]

    def expiring_before(self, moment: datetime, limit: int) -> list[SquareConnection]:
        cursor = self._collection().find({"status": ConnectionStatus.CONNECTED.value, "expires_at": {"$lt": moment}}) \
            .sort("expires_at", 1).limit(limit)
        return [connection_from_raw(raw) for raw in cursor]


class MongoPendingAuthorizations:
    def _collection(self):
        return PendingAuthorizationDocument._get_collection()

    def add(self, pending: PendingAuthorization) -> None:
        self._collection().insert_one({"_id": pending.state, "seller_id": pending.seller_id,
                                       "code_verifier": pending.code_verifier, "created_at": pending.created_at,
                                       "expires_at": pending.expires_at})

    def take(self, state: str) -> PendingAuthorization | None:
        if not isinstance(state, str):
            return None
        raw = self._collection().find_one_and_delete({"_id": state})
        if raw is None:
            return None
        return PendingAuthorization(state=raw["_id"], seller_id=raw["seller_id"], code_verifier=raw["code_verifier"],
                                    created_at=utc(raw["created_at"]), expires_at=utc(raw["expires_at"]))


class MongoProcessedWebhookEvents:
    def _collection(self):
        return ProcessedWebhookEventDocument._get_collection()

    def record(self, event_id: str, event_type: str, received_at: datetime) -> bool:
        try:
            self._collection().insert_one({"_id": event_id, "type": event_type, "received_at": received_at})
        except DuplicateKeyError:
            return False
        return True

    def forget(self, event_id: str) -> None:
        self._collection().delete_one({"_id": event_id})
