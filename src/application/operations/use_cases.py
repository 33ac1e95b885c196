"""Backup and restore of the whole database, for operators (``flask backup`` / ``flask restore``)."""

from __future__ import annotations

from dataclasses import dataclass

from application.operations.ports import ArchiveSummary, DatabaseArchiver, Progress
from application.shared.ports import Clock

# The layout of the stored documents. Bump it with any migration that changes them: an archive
# is restored only by a release with the same version, so old documents never meet new code.
DATA_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class BackupDatabase:
    archiver: DatabaseArchiver
    clock: Clock

    def execute(self, destination: str, progress: Progress) -> ArchiveSummary:
        return self.archiver.backup(destination, schema_version=DATA_SCHEMA_VERSION,
                                    created_at=self.clock.now(), progress=progress)


@dataclass(frozen=True)
class RestoreDatabase:
    archiver: DatabaseArchiver

    def execute(self, source: str, *, drop: bool, progress: Progress) -> ArchiveSummary:
        return self.archiver.restore(source, schema_version=DATA_SCHEMA_VERSION, drop=drop, progress=progress)
