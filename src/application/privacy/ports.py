"""What the privacy use cases need: their own store of exports and archives, and one source of
personal data per bounded context (each adapter calls that context's own read use case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from domain.privacy.export import DataExport


class PersonalDataSource(Protocol):
    """One file of the archive: ``name`` (``orders_and_payments``...) and the bounded contexts it
    reads, so a test can tell when a context holding personal data has no source."""

    name: str
    contexts: tuple[str, ...]

    def export(self, user_id: str) -> Any:
        """The person's data in this context, JSON-ready (str, int, float, bool, None, lists, dicts).
        Nothing of any other person beyond what is public (a seller's public name)."""
        ...


@dataclass(frozen=True)
class WithFiles:
    """What a source returns when the data is files (photos): ``document`` goes in ``<name>.json``
    as usual, each of ``files`` as ``<name>/<file name>`` beside it."""

    document: Any
    files: dict[str, bytes]


@dataclass(frozen=True)
class PersonalDataSources:
    sources: tuple[PersonalDataSource, ...]


class DataExportRepository(Protocol):
    def add(self, export: DataExport) -> None:
        """Store a new pending export; raises ExportAlreadyActive when the person has one pending
        or running (a unique index decides, so two racing requests make one export)."""
        ...

    def get(self, export_id: str) -> DataExport | None: ...

    def save(self, export: DataExport) -> None:
        """Store changes if nobody saved it since it was read, else ConcurrentChange; releases the lease."""
        ...

    def active_for(self, user_id: str) -> DataExport | None:
        """The person's pending or running export, if any."""
        ...

    def requested_since(self, user_id: str, since: datetime) -> list[DataExport]:
        """The person's exports requested at or after ``since``, oldest first."""
        ...

    def claim_next(self, *, now: datetime, lease: timedelta) -> DataExport | None:
        """Atomically mark the oldest pending export (or a running one whose lease lapsed: its
        worker died) as running under a lease until ``now + lease``; None when there is none."""
        ...

    def past_retention(self, now: datetime, limit: int) -> list[DataExport]:
        """Ready exports whose ``available_until`` has passed."""
        ...

    def remove_all_for(self, user_id: str) -> int:
        """Delete every export record of the person (their account is deleted); how many went."""
        ...


class ExportArchives(Protocol):
    """Where the built archives wait for their download."""

    def put(self, export_id: str, content: bytes) -> None:
        """Store (or replace, when a retried build stores again) the archive of an export."""
        ...

    def get(self, export_id: str) -> bytes | None: ...

    def delete(self, export_id: str) -> None:
        """Idempotent."""
        ...


@dataclass(frozen=True)
class ExportPolicy:
    """How long things last, from configuration."""

    link_secret: bytes
    link_ttl: timedelta = timedelta(minutes=15)
    keep_for: timedelta = timedelta(days=7)
    max_per_day: int = 5
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 3
