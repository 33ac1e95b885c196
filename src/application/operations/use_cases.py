"""Backup and restore of the whole database, for operators (``flask backup`` / ``flask restore``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from application.operations.ports import ArchiveSummary, DatabaseArchiver, DeletionLog, DeletionReplay, Progress
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


# Deletions this long before a backup's time are replayed too: a backup without a snapshot reads
# its collections one after another, and its clock may differ from the app's. Replaying a deletion
# the backup already holds only erases again what is erased.
REPLAY_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class RestoreDatabase:
    """Load a backup, then delete again everyone deleted since it was made (the right to be
    forgotten outlives the restore: see the deletion log)."""

    archiver: DatabaseArchiver
    deletions: DeletionLog
    replay: DeletionReplay

    def execute(self, source: str, *, drop: bool, progress: Progress) -> ArchiveSummary:
        summary = self.archiver.restore(source, schema_version=DATA_SCHEMA_VERSION, drop=drop, progress=progress)
        made_at = datetime.fromisoformat(summary.created_at)
        replayed = sum(1 for user_id, _ in self.deletions.since(made_at - REPLAY_MARGIN) if self.replay.replay(user_id))
        return replace(summary, deletions_replayed=replayed)
