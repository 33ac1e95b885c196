"""The deletion log: who was deleted when, in a database of its own that ``flask backup`` never
copies and ``flask restore --drop`` never drops, so it outlives any backup it must correct.
It holds the user id and the time only: nothing that would itself need erasing."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING, MongoClient

from domain.shared.clock import utc

COLLECTION = "deletions"


class MongoDeletionLog:
    """Both the accounts context's DeletionLog (record) and the operations context's (since)."""

    def __init__(self, client: MongoClient, db_name: str, *, retention: timedelta) -> None:
        self._collection = client[db_name][COLLECTION]
        self._retention = retention
        self._indexed = False

    def _ensure(self) -> None:
        if not self._indexed:
            # An entry is needed only while a backup older than it may be restored: it expires
            # with the backups' retention (plus a day for the backup running when it was written).
            self._collection.create_index([("deleted_at", ASCENDING)], name="deleted_at_ttl",
                                          expireAfterSeconds=int((self._retention + timedelta(days=1)).total_seconds()))
            self._indexed = True

    def record(self, user_id: str, deleted_at: datetime) -> None:
        self._ensure()
        self._collection.update_one({"_id": user_id}, {"$setOnInsert": {"deleted_at": deleted_at}}, upsert=True)

    def since(self, moment: datetime) -> list[tuple[str, datetime]]:
        self._ensure()
        return [(raw["_id"], utc(raw["deleted_at"]))
                for raw in self._collection.find({"deleted_at": {"$gte": moment}}).sort("deleted_at", ASCENDING)]
