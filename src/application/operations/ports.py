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
    # Set by a restore: people deleted since the backup, deleted again (see RestoreDatabase).
    deletions_replayed: int = 0

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


class DeletionLog(Protocol):
    """The accounts' log of deletions, kept outside the backed-up database (read side)."""

    def since(self, moment: datetime) -> list[tuple[str, datetime]]:
        """(user id, deleted at) of every deletion at or after ``moment``, oldest first."""
        ...


class DeletionReplay(Protocol):
    """Deletes one person again in the restored database (the accounts context does it, and its
    ``account.deleted`` event makes every other context erase what the restore brought back)."""

    def replay(self, user_id: str) -> bool:
        """False when the restored database never knew the person (nothing to erase)."""
        ...
