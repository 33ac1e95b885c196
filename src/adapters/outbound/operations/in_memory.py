"""An in-memory DatabaseArchiver: the "database" and the "archives" are dicts a test can read."""

from __future__ import annotations

import copy
import hashlib
import threading
from datetime import datetime
from typing import Any

from application.operations.ports import ArchiveSummary, CollectionSummary, Progress
from domain.operations.errors import DamagedArchive, DatabaseNotEmpty, ForeignArchive


class InMemoryArchiver:
    """``collections`` is the database (name -> documents); ``archives`` maps a path to what a
    backup wrote there (its summary and a deep copy of the documents)."""

    def __init__(self, collections: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.collections: dict[str, list[dict[str, Any]]] = collections or {}
        self.archives: dict[str, tuple[ArchiveSummary, dict[str, list[dict[str, Any]]]]] = {}
        self._lock = threading.Lock()

    def backup(self, destination: str, *, schema_version: int, created_at: datetime,
               progress: Progress) -> ArchiveSummary:
        with self._lock:
            documents = copy.deepcopy(self.collections)
            progress.start(sum(len(docs) for docs in documents.values()), "backing up")
            summary = ArchiveSummary(
                path=destination, db_name="in-memory", schema_version=schema_version,
                created_at=created_at.isoformat(), consistency="snapshot",
                collections=tuple(CollectionSummary(name, len(docs), hashlib.sha256(repr(docs).encode()).hexdigest())
                                  for name, docs in sorted(documents.items())))
            progress.advance(summary.documents)
            self.archives[destination] = (summary, documents)
            return summary

    def restore(self, source: str, *, schema_version: int, drop: bool, progress: Progress) -> ArchiveSummary:
        with self._lock:
            if source not in self.archives:
                raise DamagedArchive(f"{source}: no such file")
            summary, documents = self.archives[source]
            if summary.schema_version != schema_version:
                raise ForeignArchive(f"{source} holds data of schema version {summary.schema_version}; "
                                     f"this release restores version {schema_version} only")
            if any(self.collections.values()) and not drop:
                raise DatabaseNotEmpty("the database already holds data; pass --drop to replace it")
            progress.start(summary.documents, "restoring")
            self.collections = copy.deepcopy(documents)
            progress.advance(summary.documents)
            return summary
