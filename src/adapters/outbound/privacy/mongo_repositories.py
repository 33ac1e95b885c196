"""The privacy stores on MongoDB: exports in ``data_exports``, archives in GridFS (``data_export_archives``),
which splits them into chunks, so a big archive is never one document over the 16 MB limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import gridfs
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.outbound.privacy.mongo_documents import DataExportDocument
from domain.privacy.export import ACTIVE, DataExport, ExportAlreadyActive, ExportStatus
from domain.shared.clock import utc
from domain.shared.errors import ConcurrentChange

_ACTIVE = [status.value for status in ACTIVE]


def _maybe(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _to_raw(export: DataExport) -> dict[str, Any]:
    raw = DataExportDocument(
        id=export.id, user_id=export.user_id, status=export.status.value,
        active_user=export.user_id if export.is_active else None, requested_at=export.requested_at,
        started_at=export.started_at, finished_at=export.finished_at, available_until=export.available_until,
        size_bytes=export.size_bytes, files=list(export.files), attempts=export.attempts, failure=export.failure,
        lease_until=export.lease_until, version=export.version).to_mongo().to_dict()
    return raw


def _from_raw(raw: dict[str, Any]) -> DataExport:
    return DataExport(id=raw["_id"], user_id=raw["user_id"], status=ExportStatus(raw["status"]),
                      requested_at=utc(raw["requested_at"]), started_at=_maybe(raw.get("started_at")),
                      finished_at=_maybe(raw.get("finished_at")), available_until=_maybe(raw.get("available_until")),
                      size_bytes=raw.get("size_bytes", 0), files=list(raw.get("files") or []),
                      attempts=raw.get("attempts", 0), failure=raw.get("failure", ""),
                      lease_until=_maybe(raw.get("lease_until")), version=raw.get("version", 0))


class MongoDataExportRepository:
    def _collection(self):
        return DataExportDocument._get_collection()

    def add(self, export: DataExport) -> None:
        try:
            self._collection().insert_one(_to_raw(export))
        except DuplicateKeyError:
            raise ExportAlreadyActive() from None

    def get(self, export_id: str) -> DataExport | None:
        raw = self._collection().find_one({"_id": export_id})
        return _from_raw(raw) if raw else None

    def save(self, export: DataExport) -> None:
        raw = _to_raw(export)
        raw["version"] = export.version + 1
        # to_mongo leaves out None fields; they must be cleared in the stored document too.
        unset = {name: "" for name in ("active_user", "started_at", "finished_at", "available_until", "lease_until")
                 if raw.get(name) is None}
        update: dict[str, Any] = {"$set": {k: v for k, v in raw.items() if k != "_id" and k not in unset}}
        if unset:
            update["$unset"] = unset
        result = self._collection().update_one({"_id": export.id, "version": export.version}, update)
        if result.matched_count == 0:
            raise ConcurrentChange("the export changed since it was read")
        export.version += 1

    def active_for(self, user_id: str) -> DataExport | None:
        raw = self._collection().find_one({"active_user": user_id})
        return _from_raw(raw) if raw else None

    def requested_since(self, user_id: str, since: datetime) -> list[DataExport]:
        raws = self._collection().find({"user_id": user_id, "requested_at": {"$gte": since}}).sort("requested_at", 1)
        return [_from_raw(raw) for raw in raws]

    def claim_next(self, *, now: datetime, lease: timedelta) -> DataExport | None:
        raw = self._collection().find_one_and_update(
            {"status": {"$in": _ACTIVE}, "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]},
            {"$set": {"status": ExportStatus.RUNNING.value, "started_at": now, "lease_until": now + lease},
             "$inc": {"version": 1}},
            sort=[("requested_at", 1)], return_document=ReturnDocument.AFTER)
        return _from_raw(raw) if raw else None

    def past_retention(self, now: datetime, limit: int) -> list[DataExport]:
        raws = self._collection().find({"status": ExportStatus.READY.value, "available_until": {"$lte": now}}).limit(limit)
        return [_from_raw(raw) for raw in raws]

    def remove_all_for(self, user_id: str) -> int:
        return self._collection().delete_many({"user_id": user_id}).deleted_count


class GridFsExportArchives:
    BUCKET = "data_export_archives"

    def __init__(self, db: Database) -> None:
        self._bucket = gridfs.GridFSBucket(db, bucket_name=self.BUCKET)

    def put(self, export_id: str, content: bytes) -> None:
        # A retried build stores again under the same id: the earlier (partial) copy goes first.
        self.delete(export_id)
        self._bucket.upload_from_stream_with_id(export_id, f"{export_id}.zip", content)

    def get(self, export_id: str) -> bytes | None:
        try:
            return self._bucket.open_download_stream(export_id).read()
        except gridfs.errors.NoFile:
            return None

    def delete(self, export_id: str) -> None:
        try:
            self._bucket.delete(export_id)
        except gridfs.errors.NoFile:
            pass
