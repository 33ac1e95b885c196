"""A person's request for a copy of their data (the GDPR's right of access, art. 15): built
outside the request by a worker, downloaded for a while, then deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.shared.errors import Conflict, NotFound


class ExportStatus(StrEnum):
    PENDING = "pending"  # waiting for a worker
    RUNNING = "running"  # a worker holds its lease and is building the archive
    READY = "ready"  # the archive can be downloaded until ``available_until``
    FAILED = "failed"  # every attempt failed; the person may ask again
    EXPIRED = "expired"  # the archive was deleted; the person may ask again


ACTIVE = frozenset({ExportStatus.PENDING, ExportStatus.RUNNING})


class ExportNotFound(NotFound):
    code = "export_not_found"

    def __init__(self, message: str = "export not found; start one with POST /me/export") -> None:
        super().__init__(message)


class ExportExpired(NotFound):
    """404 rather than 410: the shared error mapping has no 410, and the archive is really gone."""

    code = "export_expired"

    def __init__(self) -> None:
        super().__init__("this export has expired and its archive was deleted; start a new one with POST /me/export")


class ExportAlreadyActive(Conflict):
    """The store refused a second pending or running export for the same person."""

    code = "export_already_active"

    def __init__(self) -> None:
        super().__init__("an export of your data is already being prepared")


class ExportNotReady(Conflict):
    code = "export_not_ready"

    def __init__(self, status: ExportStatus) -> None:
        super().__init__(f"the export is {status.value}; download it once its status is ready")


@dataclass
class DataExport:
    id: str
    user_id: str
    status: ExportStatus
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    available_until: datetime | None = None
    size_bytes: int = 0
    files: list[str] = field(default_factory=list)
    attempts: int = 0
    failure: str = ""
    # Running: until when its worker holds it. Pending after a failure: not retried before then.
    lease_until: datetime | None = None
    version: int = 0

    @classmethod
    def request(cls, *, export_id: str, user_id: str, now: datetime) -> DataExport:
        return cls(id=export_id, user_id=user_id, status=ExportStatus.PENDING, requested_at=now)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def finish(self, *, now: datetime, size_bytes: int, files: list[str], keep_for: timedelta) -> None:
        self.status = ExportStatus.READY
        self.finished_at = now
        self.available_until = now + keep_for
        self.size_bytes = size_bytes
        self.files = list(files)
        self.failure = ""
        self.lease_until = None

    def claimable(self, now: datetime) -> bool:
        return self.is_active and (self.lease_until is None or self.lease_until <= now)

    def start(self, now: datetime, lease: timedelta) -> None:
        self.status = ExportStatus.RUNNING
        self.started_at = now
        self.lease_until = now + lease

    def fail(self, *, now: datetime, reason: str, max_attempts: int,
             retry_after: timedelta = timedelta(minutes=1)) -> None:
        """A failed build goes back to the queue, a little later each time, until it has been tried
        ``max_attempts`` times: a database that was briefly away should not cost the person their export."""
        self.attempts += 1
        self.failure = reason
        if self.attempts >= max_attempts:
            self.status = ExportStatus.FAILED
            self.finished_at = now
            self.lease_until = None
        else:
            self.status = ExportStatus.PENDING
            self.lease_until = now + retry_after * self.attempts

    def ensure_downloadable(self, now: datetime) -> None:
        if self.status is ExportStatus.EXPIRED or (self.available_until is not None and now >= self.available_until):
            raise ExportExpired()
        if self.status is not ExportStatus.READY:
            raise ExportNotReady(self.status)

    def is_past_retention(self, now: datetime) -> bool:
        return self.status is ExportStatus.READY and self.available_until is not None and now >= self.available_until

    def expire(self) -> None:
        self.status = ExportStatus.EXPIRED
        self.size_bytes = 0
