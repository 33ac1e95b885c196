from __future__ import annotations

import pytest

from adapters.outbound.mongo.in_memory_deletion_log import InMemoryDeletionLog
from adapters.outbound.operations.in_memory import InMemoryArchiver
from application.operations.ports import ArchiveSummary, Progress
from application.operations.use_cases import DATA_SCHEMA_VERSION, BackupDatabase, RestoreDatabase
from domain.operations.errors import DatabaseNotEmpty, ForeignArchive
from tests.fakes import FakeClock


class Recorder(Progress):
    def __init__(self) -> None:
        self.phases: list[tuple[str, int]] = []
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.phases.append((label, total))

    def advance(self, documents: int) -> None:
        self.done += documents


def test_a_backup_is_stamped_with_the_clock_and_the_data_schema_version():
    archiver = InMemoryArchiver({"users": [{"_id": "u1"}, {"_id": "u2"}], "orders": []})
    clock = FakeClock()
    progress = Recorder()

    summary = BackupDatabase(archiver, clock).execute("nightly.zip", progress)

    assert summary.created_at == clock.now().isoformat() and summary.schema_version == DATA_SCHEMA_VERSION
    assert [(c.name, c.count) for c in summary.collections] == [("orders", 0), ("users", 2)]
    assert progress.phases == [("backing up", 2)] and progress.done == 2


def test_restore_refuses_existing_data_unless_told_to_drop_it():
    archiver = InMemoryArchiver({"users": [{"_id": "u1"}]})
    BackupDatabase(archiver, FakeClock()).execute("a.zip", Recorder())
    archiver.collections["users"].append({"_id": "u2"})

    with pytest.raises(DatabaseNotEmpty):
        restore_with_no_deletions(archiver).execute("a.zip", drop=False, progress=Recorder())
    restore_with_no_deletions(archiver).execute("a.zip", drop=True, progress=Recorder())

    assert archiver.collections == {"users": [{"_id": "u1"}]}


def test_restore_refuses_an_archive_of_another_schema_version():
    archiver = InMemoryArchiver()
    old = ArchiveSummary("old.zip", "db", DATA_SCHEMA_VERSION - 1, "2025-01-01T00:00:00+00:00", "snapshot", ())
    archiver.archives["old.zip"] = (old, {})
    with pytest.raises(ForeignArchive, match="schema version"):
        restore_with_no_deletions(archiver).execute("old.zip", drop=True, progress=Recorder())


class NoReplay:
    """A DeletionReplay that must not be asked: the log below is empty."""

    def replay(self, user_id: str) -> bool:
        raise AssertionError(f"nothing to replay, yet asked for {user_id}")


def restore_with_no_deletions(archiver: InMemoryArchiver) -> RestoreDatabase:
    return RestoreDatabase(archiver, InMemoryDeletionLog(), NoReplay())
