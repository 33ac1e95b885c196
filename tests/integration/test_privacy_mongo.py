"""The privacy stores on the local MongoDB-compatible server, run as one contract with their
in-memory fakes: one active export per person however requests race, leases, stale saves, the
purge query, and archives in GridFS bigger than a chunk. Also the reviews' ``involving`` read."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.privacy.in_memory import InMemoryDataExportRepository, InMemoryExportArchives
from adapters.outbound.privacy.mongo_documents import PRIVACY_DOCUMENTS, DataExportDocument
from adapters.outbound.privacy.mongo_repositories import GridFsExportArchives, MongoDataExportRepository
from adapters.outbound.reviews.in_memory import InMemoryReviewRepository
from adapters.outbound.reviews.mongo_documents import REVIEWS_DOCUMENTS, OrderReviewsDocument
from adapters.outbound.reviews.mongo_repositories import MongoReviewRepository
from application.shared.pagination import PageRequest, every_item
from domain.privacy.export import DataExport, ExportAlreadyActive, ExportStatus
from domain.reviews.review import OrderReviews, Side
from domain.shared.errors import ConcurrentChange

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


@pytest.fixture(scope="module")
def mongo(mongo_url: str):
    connection = MongoConnection(mongo_url, "privacy_integration")
    connection.ensure([*PRIVACY_DOCUMENTS, *REVIEWS_DOCUMENTS])
    try:
        yield connection
    finally:
        disconnect()


@pytest.fixture(params=["memory", "mongo"])
def stores(request):
    if request.param == "memory":
        return InMemoryDataExportRepository(), InMemoryExportArchives()
    mongo = request.getfixturevalue("mongo")
    DataExportDocument._get_collection().delete_many({})
    for name in ("data_export_archives.files", "data_export_archives.chunks"):
        mongo.db[name].delete_many({})
    return MongoDataExportRepository(), GridFsExportArchives(mongo.db)


def _request(export_id: str, user_id: str = "ana", at: datetime = NOW) -> DataExport:
    return DataExport.request(export_id=export_id, user_id=user_id, now=at)


def test_one_active_export_per_person_and_it_is_found(stores):
    exports, _ = stores
    exports.add(_request("e1"))
    with pytest.raises(ExportAlreadyActive):
        exports.add(_request("e2"))
    exports.add(_request("e3", user_id="bea"))
    assert exports.active_for("ana").id == "e1" and exports.active_for("nobody") is None


def test_racing_requests_make_one_active_export(stores):
    exports, _ = stores
    outcomes: list[str] = []

    def add(i: int) -> None:
        try:
            exports.add(_request(f"race-{i}"))
            outcomes.append("added")
        except ExportAlreadyActive:
            outcomes.append("refused")

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] + ["refused"] * 5


def test_a_finished_export_frees_the_person_to_ask_again(stores):
    exports, _ = stores
    exports.add(_request("e1"))
    export = exports.claim_next(now=NOW, lease=LEASE)
    export.finish(now=NOW, size_bytes=3, files=["account.json"], keep_for=timedelta(days=7))
    exports.save(export)
    assert exports.active_for("ana") is None
    exports.add(_request("e2", at=NOW + timedelta(hours=1)))
    stored = exports.get("e1")
    assert stored.status is ExportStatus.READY and stored.lease_until is None and stored.files == ["account.json"]
    assert stored.available_until == NOW + timedelta(days=7)
    assert [e.id for e in exports.requested_since("ana", NOW)] == ["e1", "e2"]
    assert [e.id for e in exports.requested_since("ana", NOW + timedelta(minutes=1))] == ["e2"]


def test_claims_take_the_oldest_once_and_a_lapsed_lease_again(stores):
    exports, _ = stores
    exports.add(_request("old", user_id="ana", at=NOW - timedelta(minutes=5)))
    exports.add(_request("new", user_id="bea", at=NOW))
    first = exports.claim_next(now=NOW, lease=LEASE)
    assert first.id == "old" and first.status is ExportStatus.RUNNING and first.lease_until == NOW + LEASE
    assert exports.claim_next(now=NOW, lease=LEASE).id == "new"
    assert exports.claim_next(now=NOW, lease=LEASE) is None
    again = exports.claim_next(now=NOW + LEASE, lease=LEASE)
    assert again.id == "old"
    with pytest.raises(ConcurrentChange):
        exports.save(first)  # the worker whose lease lapsed must not overwrite the new one's work


def test_a_failed_export_waits_for_its_retry(stores):
    exports, _ = stores
    exports.add(_request("e1"))
    export = exports.claim_next(now=NOW, lease=LEASE)
    export.fail(now=NOW, reason="Boom", max_attempts=3)
    exports.save(export)
    assert exports.claim_next(now=NOW, lease=LEASE) is None
    retried = exports.claim_next(now=NOW + timedelta(minutes=1), lease=LEASE)
    assert retried.id == "e1" and retried.attempts == 1 and retried.failure == "Boom"


def test_only_ready_exports_past_their_window_are_purged(stores):
    exports, _ = stores
    for export_id, user, keep in (("short", "ana", timedelta(hours=1)), ("long", "bea", timedelta(days=7))):
        exports.add(_request(export_id, user_id=user))
        export = exports.claim_next(now=NOW, lease=LEASE)
        export.finish(now=NOW, size_bytes=1, files=[], keep_for=keep)
        exports.save(export)
    exports.add(_request("waiting", user_id="eve"))
    assert [e.id for e in exports.past_retention(NOW + timedelta(hours=2), 10)] == ["short"]
    short = exports.get("short")
    short.expire()
    exports.save(short)
    assert exports.past_retention(NOW + timedelta(hours=2), 10) == []


def test_archives_are_stored_replaced_and_deleted(stores):
    _, archives = stores
    big = bytes(range(256)) * 4096 * 2  # 2 MiB: several GridFS chunks
    archives.put("e1", big)
    assert archives.get("e1") == big
    archives.put("e1", b"rebuilt")
    assert archives.get("e1") == b"rebuilt"
    archives.delete("e1")
    archives.delete("e1")
    assert archives.get("e1") is None and archives.get("never") is None


@pytest.fixture(params=["memory", "mongo"])
def reviews(request):
    if request.param == "memory":
        return InMemoryReviewRepository()
    request.getfixturevalue("mongo")
    OrderReviewsDocument._get_collection().delete_many({})
    return MongoReviewRepository()


def test_involving_reads_every_order_of_the_person_on_either_side_published_or_not(reviews):
    for i, (buyer, seller) in enumerate([("ana", "carlos"), ("bea", "ana"), ("bea", "carlos"), ("ana", "elena")]):
        order = OrderReviews.open(order_id=f"o{i}", buyer_id=buyer, seller_id=seller, service_id="s",
                                  completed_at=NOW + timedelta(hours=i), window=timedelta(days=7))
        order.write(Side.BUYER, author_id=buyer, stars=4, text="Bien", now=NOW + timedelta(hours=i))
        reviews.add(order)
    assert [r.order_id for r in every_item(lambda page: reviews.involving("ana", page), page_size=1)] == \
        ["o3", "o1", "o0"]
    assert reviews.involving("carlos", PageRequest(page=1, page_size=1)).total == 2
