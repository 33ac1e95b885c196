"""In-memory adapters of the privacy ports: thread-safe, with state a test can read."""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta

from domain.privacy.export import DataExport, ExportAlreadyActive
from domain.shared.errors import ConcurrentChange


class InMemoryDataExportRepository:
    def __init__(self) -> None:
        self.exports: dict[str, DataExport] = {}
        self._lock = threading.Lock()

    def add(self, export: DataExport) -> None:
        with self._lock:
            if any(e.user_id == export.user_id and e.is_active for e in self.exports.values()):
                raise ExportAlreadyActive()
            self.exports[export.id] = copy.deepcopy(export)

    def get(self, export_id: str) -> DataExport | None:
        found = self.exports.get(export_id)
        return copy.deepcopy(found) if found else None

    def save(self, export: DataExport) -> None:
        with self._lock:
            stored = self.exports.get(export.id)
            if stored is None or stored.version != export.version:
                raise ConcurrentChange("the export changed since it was read")
            export.version += 1
            self.exports[export.id] = copy.deepcopy(export)

    def active_for(self, user_id: str) -> DataExport | None:
        found = next((e for e in self.exports.values() if e.user_id == user_id and e.is_active), None)
        return copy.deepcopy(found) if found else None

    def requested_since(self, user_id: str, since: datetime) -> list[DataExport]:
        return sorted((copy.deepcopy(e) for e in self.exports.values()
                       if e.user_id == user_id and e.requested_at >= since), key=lambda e: e.requested_at)

    def claim_next(self, *, now: datetime, lease: timedelta) -> DataExport | None:
        with self._lock:
            waiting = sorted((e for e in self.exports.values() if e.claimable(now)), key=lambda e: e.requested_at)
            if not waiting:
                return None
            export = waiting[0]
            export.start(now, lease)
            export.version += 1
            return copy.deepcopy(export)

    def past_retention(self, now: datetime, limit: int) -> list[DataExport]:
        return [copy.deepcopy(e) for e in self.exports.values() if e.is_past_retention(now)][:limit]

    def remove_all_for(self, user_id: str) -> int:
        with self._lock:
            gone = [export_id for export_id, e in self.exports.items() if e.user_id == user_id]
            for export_id in gone:
                del self.exports[export_id]
            return len(gone)


class InMemoryExportArchives:
    def __init__(self) -> None:
        self.archives: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, export_id: str, content: bytes) -> None:
        with self._lock:
            self.archives[export_id] = bytes(content)

    def get(self, export_id: str) -> bytes | None:
        return self.archives.get(export_id)

    def delete(self, export_id: str) -> None:
        with self._lock:
            self.archives.pop(export_id, None)
