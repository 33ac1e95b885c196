"""Ports of the operators' tasks (backup and restore of the whole database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class Progress:
    """Told how many documents there are, then as they are copied. Not a port the injector
    provides but a listener the caller passes (a terminal progress bar subclasses it); this base
    ignores everything, for callers with nobody to tell."""

    def start(self, total: int, label: str) -> None:
        """A phase begins (backing up, checking, restoring) over ``total`` documents."""

    def advance(self, documents: int) -> None:
        """``documents`` more were handled."""


@dataclass(frozen=True)
class CollectionSummary:
    name: str
    count: int
    sha256: str


@dataclass(frozen=True)
class ArchiveSummary:
    path: str
    db_name: str
    schema_version: int
    created_at: str
    consistency: str
    collections: tuple[CollectionSummary, ...]

    @property
    def documents(self) -> int:
        return sum(c.count for c in self.collections)


class DatabaseArchiver(Protocol):
    def backup(self, destination: str, *, schema_version: int, created_at: datetime,
               progress: Progress) -> ArchiveSummary:
        """Write every collection (documents and indexes) and a manifest to ``destination``,
        from one consistent snapshot where the server offers it."""
        ...

    def restore(self, source: str, *, schema_version: int, drop: bool, progress: Progress) -> ArchiveSummary:
        """Check the archive completely, then load it into the database. Raises DamagedArchive,
        ForeignArchive, or DatabaseNotEmpty (unless ``drop``) before changing anything."""
        ...
