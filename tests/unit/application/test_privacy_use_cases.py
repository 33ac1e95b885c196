from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from adapters.outbound.privacy.in_memory import InMemoryDataExportRepository, InMemoryExportArchives
from application.privacy.ports import ExportPolicy, PersonalDataSources
from application.privacy.use_cases import (
    BuildPendingExports,
    DownloadDataExport,
    GetDataExport,
    PurgeExpiredExports,
    RequestDataExport,
)
from domain.privacy.download_link import DownloadLinkExpired, InvalidDownloadLink
from domain.privacy.export import ExportExpired, ExportNotFound, ExportNotReady, ExportStatus
from domain.shared.access import Actor, Role
from domain.shared.errors import TooManyAttempts
from tests.fakes import FakeClock

ANA = Actor("ana", frozenset({Role.BUYER}))
BEA = Actor("bea", frozenset({Role.BUYER}))
POLICY = ExportPolicy(link_secret=b"s" * 32, link_ttl=timedelta(minutes=15), keep_for=timedelta(days=7),
                      max_per_day=3, lease=timedelta(minutes=10), max_attempts=2)


class StaticSource:
    def __init__(self, name: str, data: Any) -> None:
        self.name, self.contexts, self.data, self.asked = name, (name,), data, []

    def export(self, user_id: str) -> Any:
        self.asked.append(user_id)
        return self.data(user_id) if callable(self.data) else self.data


class BrokenSource:
    name, contexts = "broken", ("broken",)

    def export(self, user_id: str) -> Any:
        raise ConnectionError("the database is away")


class World:
    def __init__(self, *sources: Any) -> None:
        self.clock = FakeClock()
        self.exports = InMemoryDataExportRepository()
        self.archives = InMemoryExportArchives()
        self.sources = PersonalDataSources(tuple(sources) or (StaticSource("account", lambda u: {"id": u}),))
        self.request = RequestDataExport(self.exports, POLICY, self.clock)
        self.get = GetDataExport(self.exports, POLICY, self.clock)
        self.download = DownloadDataExport(self.exports, self.archives, POLICY, self.clock)
        self.build = BuildPendingExports(self.exports, self.archives, self.sources, POLICY, self.clock)
        self.purge = PurgeExpiredExports(self.exports, self.archives, self.clock)

    def ready_export(self, actor: Actor = ANA):
        export = self.request.execute(actor)
        assert self.build.execute() == 1
        return self.get.execute(actor, export.id)


def _files(content: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def test_asking_again_while_one_is_prepared_returns_that_one():
    world = World()
    first = world.request.execute(ANA)
    assert world.request.execute(ANA).id == first.id
    assert world.request.execute(BEA).id != first.id
    assert len(world.exports.exports) == 2


class RacedExports(InMemoryDataExportRepository):
    """The first read of the active export misses the one another request is writing."""

    def __init__(self) -> None:
        super().__init__()
        self.missed = False

    def active_for(self, user_id: str):
        if not self.missed:
            self.missed = True
            return None
        return super().active_for(user_id)


def test_an_export_lost_to_a_racing_request_is_the_winner():
    world = World()
    world.exports = RacedExports()
    request = RequestDataExport(world.exports, POLICY, world.clock)
    winner = RequestDataExport(InMemoryDataExportRepository(), POLICY, world.clock).execute(ANA)
    world.exports.exports[winner.id] = winner
    assert request.execute(ANA).id == winner.id
    assert list(world.exports.exports) == [winner.id]


def test_a_few_exports_a_day_then_429_with_the_wait():
    world = World()
    for _ in range(POLICY.max_per_day):
        world.ready_export()
        world.clock.advance(minutes=30)
    with pytest.raises(TooManyAttempts) as refused:
        world.request.execute(ANA)
    assert refused.value.retry_after_seconds == int(timedelta(hours=22, minutes=30).total_seconds()) + 1
    world.clock.advance(hours=23)
    assert world.request.execute(ANA).status is ExportStatus.PENDING


def test_the_worker_builds_a_zip_with_one_file_per_source_and_a_manifest():
    account = StaticSource("account", lambda u: {"id": u, "email": f"{u}@example.com"})
    orders = StaticSource("orders_and_payments", {"orders": [{"id": "o1", "created_at": "2026-11-01T10:00:00"}]})
    world = World(account, orders)
    export = world.request.execute(ANA)
    assert world.build.execute() == 1
    assert account.asked == ["ana"] and world.build.execute() == 0
    files = _files(world.archives.archives[export.id])
    assert set(files) == {"export.json", "account.json", "orders_and_payments.json"}
    assert files["account.json"] == {"id": "ana", "email": "ana@example.com"}
    assert files["export.json"]["files"] == ["account.json", "orders_and_payments.json"]
    stored = world.exports.get(export.id)
    assert stored.status is ExportStatus.READY and stored.size_bytes == len(world.archives.archives[export.id])
    assert stored.available_until == world.clock.now() + POLICY.keep_for


def test_a_failing_context_sends_the_export_back_to_the_queue_then_fails_it():
    world = World(StaticSource("account", {}), BrokenSource())
    export = world.request.execute(ANA)
    assert world.build.execute() == 0
    retried = world.exports.get(export.id)
    assert retried.status is ExportStatus.PENDING and retried.failure == "ConnectionError"
    assert world.build.execute() == 0 and world.exports.get(export.id).attempts == 1  # not before its delay
    world.clock.advance(minutes=1)
    world.build.execute()
    assert world.exports.get(export.id).status is ExportStatus.FAILED
    assert export.id not in world.archives.archives
    assert world.request.execute(ANA).id != export.id  # the person can ask again


def test_an_export_whose_worker_died_is_built_by_another_after_the_lease():
    world = World()
    export = world.request.execute(ANA)
    assert world.exports.claim_next(now=world.clock.now(), lease=POLICY.lease) is not None  # then it died
    assert world.build.execute() == 0
    world.clock.advance(minutes=10)
    assert world.build.execute() == 1 and world.exports.get(export.id).status is ExportStatus.READY


def test_the_status_has_a_download_token_only_when_ready():
    world = World()
    export = world.request.execute(ANA)
    pending = world.get.execute(ANA, export.id)
    assert pending.download_token is None and pending.export.status is ExportStatus.PENDING
    world.build.execute()
    ready = world.get.execute(ANA, export.id)
    assert ready.download_token and ready.download_expires_at == world.clock.now() + POLICY.link_ttl


def test_nobody_else_learns_of_an_export_even_staff():
    world = World()
    view = world.ready_export()
    admin = Actor("root", frozenset({Role.ADMIN}))
    for other in (BEA, admin):
        with pytest.raises(ExportNotFound):
            world.get.execute(other, view.export.id)
        with pytest.raises(ExportNotFound):
            world.download.execute(other, view.export.id, view.download_token)
    with pytest.raises(ExportNotFound):
        world.get.execute(ANA, "no-such-export")


def test_the_owner_downloads_with_a_fresh_link():
    world = World()
    view = world.ready_export()
    download = world.download.execute(ANA, view.export.id, view.download_token)
    assert download.content == world.archives.archives[view.export.id]
    assert download.filename == f"my-data-20261123-{view.export.id[:8]}.zip"


def test_an_expired_link_says_so_and_a_fresh_one_works():
    world = World()
    view = world.ready_export()
    world.clock.advance(minutes=15)
    with pytest.raises(DownloadLinkExpired):
        world.download.execute(ANA, view.export.id, view.download_token)
    fresh = world.get.execute(ANA, view.export.id)
    assert world.download.execute(ANA, view.export.id, fresh.download_token).content


def test_a_link_of_another_export_of_the_same_person_is_refused():
    world = World()
    first = world.ready_export()
    second = world.ready_export()
    with pytest.raises(InvalidDownloadLink):
        world.download.execute(ANA, second.export.id, first.download_token)


def test_a_pending_export_cannot_be_downloaded():
    world = World()
    view = world.ready_export()
    world.exports.exports[view.export.id].status = ExportStatus.RUNNING
    with pytest.raises(ExportNotReady):
        world.download.execute(ANA, view.export.id, view.download_token)


def test_archives_past_their_window_are_deleted_and_the_link_never_outlives_them():
    world = World()
    view = world.ready_export()
    world.clock.advance(days=7, minutes=-5)
    late = world.get.execute(ANA, view.export.id)
    assert late.download_expires_at == view.export.available_until  # 5 minutes, not 15
    world.clock.advance(minutes=5)
    assert world.get.execute(ANA, view.export.id).export.status is ExportStatus.EXPIRED
    with pytest.raises(ExportExpired):
        world.download.execute(ANA, view.export.id, late.download_token)
    assert world.purge.execute() == 1 and world.purge.execute() == 0
    assert view.export.id not in world.archives.archives
    assert world.exports.get(view.export.id).status is ExportStatus.EXPIRED


@pytest.mark.parametrize("count, page_size", [(0, 3), (1, 3), (3, 3), (7, 3), (250, 100)])
def test_every_item_reads_every_page_once(count, page_size):
    from application.shared.pagination import Page, every_item

    items = list(range(count))
    calls = []

    def fetch(page):
        calls.append(page.page)
        return Page(items[page.offset:page.offset + page.page_size], len(items), page)

    assert every_item(fetch, page_size=page_size) == items
    assert calls == list(range(1, max(1, -(-count // page_size)) + 1))


# -- account.deleted (issue #12) ---------------------------------------------------------------------
def test_a_deleted_person_s_exports_go_with_their_archives_and_only_theirs():
    from application.privacy.use_cases import ForgetExportsOfDeletedPerson
    from application.shared.erasure import PersonDeleted

    world = World()
    old = world.ready_export(ANA)
    kept = world.ready_export(BEA)
    world.clock.advance(hours=1)
    pending = world.request.execute(ANA)  # not built yet: a record without an archive
    forget = ForgetExportsOfDeletedPerson(world.exports, world.archives)
    deleted = PersonDeleted(person_id="ana", deleted_at=world.clock.now())

    assert forget.execute(deleted) == 2
    assert world.exports.get(old.export.id) is None and world.exports.get(pending.id) is None
    assert old.export.id not in world.archives.archives
    assert world.exports.get(kept.export.id) is not None and kept.export.id in world.archives.archives
    assert forget.execute(deleted) == 0  # a redelivered event changes nothing


def test_an_archive_built_while_its_person_was_deleted_does_not_outlive_the_record():
    from application.privacy.use_cases import ForgetExportsOfDeletedPerson
    from application.shared.erasure import PersonDeleted

    forget_during_build: list[Any] = []

    def account_then_deleted(user_id: str) -> Any:
        forget_during_build[0].execute(PersonDeleted(person_id=user_id, deleted_at=world.clock.now()))
        return {"id": user_id}

    world = World(StaticSource("account", account_then_deleted))
    forget_during_build.append(ForgetExportsOfDeletedPerson(world.exports, world.archives))
    export = world.request.execute(ANA)
    with pytest.raises(Exception):
        world.build.execute()
    assert world.exports.get(export.id) is None
    assert export.id not in world.archives.archives
