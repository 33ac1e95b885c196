"""Privacy: a person asks for a copy of their data, a worker builds it, they download it.

Why a worker and not the request: an archive reads every context (a busy seller has thousands of
orders and messages), so it can take longer than a request should; a pending export in MongoDB
survives a restart, and ``flask scheduler`` (already running everywhere, one process or many)
builds it under a lease, so two schedulers never build the same one and a dead one's lease lapses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from application.privacy.archive import archive_files, build_archive
from application.privacy.ports import DataExportRepository, ExportArchives, ExportPolicy, PersonalDataSources
from application.shared.ports import Clock
from domain.privacy.download_link import DownloadLinks
from domain.privacy.export import DataExport, ExportAlreadyActive, ExportNotFound, ExportStatus
from domain.shared.access import Actor
from application.shared.erasure import PersonDeleted
from domain.shared.errors import ConcurrentChange, TooManyAttempts
from domain.shared.ids import new_id

log = logging.getLogger(__name__)

DAY = timedelta(days=1)


def _mine(exports: DataExportRepository, actor: Actor, export_id: str) -> DataExport:
    export = exports.get(export_id)
    # Someone else's export is not even confirmed to exist; staff get no access either.
    if export is None or export.user_id != actor.user_id:
        raise ExportNotFound()
    return export


@dataclass(frozen=True)
class RequestDataExport:
    """Start an export, or hand back the one already being prepared (a double click, two tabs)."""

    exports: DataExportRepository
    policy: ExportPolicy
    clock: Clock

    def execute(self, actor: Actor) -> DataExport:
        active = self.exports.active_for(actor.user_id)
        if active is not None:
            return active
        now = self.clock.now()
        recent = self.exports.requested_since(actor.user_id, now - DAY)
        if len(recent) >= self.policy.max_per_day:
            wait = int((recent[0].requested_at + DAY - now).total_seconds()) + 1
            raise TooManyAttempts(f"at most {self.policy.max_per_day} exports a day; download one you already "
                                  "have or try again later", retry_after_seconds=max(wait, 1))
        export = DataExport.request(export_id=new_id(), user_id=actor.user_id, now=now)
        try:
            self.exports.add(export)
        except ExportAlreadyActive:
            # Another request of the same person got there between our read and our write.
            raced = self.exports.active_for(actor.user_id)
            if raced is None:
                raise
            return raced
        return export


@dataclass(frozen=True)
class ExportView:
    export: DataExport
    # A fresh short-lived download token each time the person looks, while the archive is there.
    download_token: str | None = None
    download_expires_at: datetime | None = None


@dataclass(frozen=True)
class GetDataExport:
    exports: DataExportRepository
    policy: ExportPolicy
    clock: Clock

    def execute(self, actor: Actor, export_id: str) -> ExportView:
        export = _mine(self.exports, actor, export_id)
        now = self.clock.now()
        if export.is_past_retention(now):
            # The purge has not run yet, but for the person the archive is already gone.
            export.expire()
        if export.available_until is None or export.status is not ExportStatus.READY:
            return ExportView(export)
        expires_at = min(now + self.policy.link_ttl, export.available_until)
        token = DownloadLinks(self.policy.link_secret).sign(export_id=export.id, user_id=actor.user_id,
                                                             expires_at=expires_at)
        return ExportView(export, token, expires_at)


@dataclass(frozen=True)
class GetLatestDataExport:
    """The person's newest export still kept (the one being prepared first), as GetDataExport shows it."""

    exports: DataExportRepository
    policy: ExportPolicy
    clock: Clock

    def execute(self, actor: Actor) -> ExportView:
        latest = self.exports.active_for(actor.user_id)
        if latest is None:
            kept = self.exports.requested_since(actor.user_id, self.clock.now() - self.policy.keep_for)
            latest = max(kept, key=lambda export: export.requested_at, default=None)
        if latest is None:
            raise ExportNotFound()
        return GetDataExport(self.exports, self.policy, self.clock).execute(actor, latest.id)


@dataclass(frozen=True)
class ExportDownload:
    filename: str
    content: bytes


@dataclass(frozen=True)
class DownloadDataExport:
    exports: DataExportRepository
    archives: ExportArchives
    policy: ExportPolicy
    clock: Clock

    def execute(self, actor: Actor, export_id: str, token: str) -> ExportDownload:
        export = _mine(self.exports, actor, export_id)
        now = self.clock.now()
        # Checked first so an export past its window says so, rather than that its last link expired.
        export.ensure_downloadable(now)
        # The token must be this person's for this export; signed-in alone is not enough, nor the link alone.
        DownloadLinks(self.policy.link_secret).verify(token, export_id=export.id, user_id=actor.user_id, now=now)
        content = self.archives.get(export.id)
        if content is None:
            raise ExportNotFound("the archive of this export is missing; start a new one with POST /me/export")
        return ExportDownload(filename=f"my-data-{export.requested_at:%Y%m%d}-{export.id[:8]}.zip", content=content)


@dataclass(frozen=True)
class BuildPendingExports:
    """One pass of the worker: build every export waiting, each under its lease."""

    exports: DataExportRepository
    archives: ExportArchives
    sources: PersonalDataSources
    policy: ExportPolicy
    clock: Clock

    def execute(self, *, limit: int = 20) -> int:
        built = 0
        for _ in range(limit):
            export = self.exports.claim_next(now=self.clock.now(), lease=self.policy.lease)
            if export is None:
                break
            if self._build(export):
                built += 1
        return built

    def _build(self, export: DataExport) -> bool:
        try:
            documents = {source.name: source.export(export.user_id) for source in self.sources.sources}
            now = self.clock.now()
            content = build_archive(export, documents, now)
            self.archives.put(export.id, content)
        except Exception as error:  # one context failing must not stop the others' exports
            log.exception("data export %s failed (attempt %d)", export.id, export.attempts + 1)
            export.fail(now=self.clock.now(), reason=type(error).__name__, max_attempts=self.policy.max_attempts)
            self.exports.save(export)
            return False
        export.finish(now=now, size_bytes=len(content), files=archive_files(documents),
                      keep_for=self.policy.keep_for)
        try:
            self.exports.save(export)
        except ConcurrentChange:
            # The record went while the archive was built (its owner deleted their account, or
            # another worker took over a lapsed lease): no copy of the data may outlive its record.
            if self.exports.get(export.id) is None:
                self.archives.delete(export.id)
            raise
        return True


@dataclass(frozen=True)
class PurgeExpiredExports:
    """Archives are copies of personal data: they are deleted once their download window ends."""

    exports: DataExportRepository
    archives: ExportArchives
    clock: Clock

    def execute(self, *, limit: int = 100) -> int:
        purged = 0
        for export in self.exports.past_retention(self.clock.now(), limit):
            self.archives.delete(export.id)
            export.expire()
            self.exports.save(export)
            purged += 1
        return purged


@dataclass(frozen=True)
class ForgetExportsOfDeletedPerson:
    """The privacy context's handler of ``account.deleted`` (issue #12): the person's export archives
    are copies of their data, so they go with their records. Archives first: a crash in between
    leaves records that the retried event finds again. Naturally idempotent."""

    exports: DataExportRepository
    archives: ExportArchives

    def execute(self, deleted: PersonDeleted) -> int:
        exports = self.exports.requested_since(deleted.person_id, datetime.min.replace(tzinfo=UTC))
        for export in exports:
            self.archives.delete(export.id)
        return self.exports.remove_all_for(deleted.person_id)
