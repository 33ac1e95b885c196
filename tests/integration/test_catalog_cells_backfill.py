"""Services stored before search near a buyer looked them up by grid cell, on the local
MongoDB-compatible server: the app fills their cells in at start, drops the 2dsphere indexes the
cells replaced, finds them near a buyer afterwards, and ``flask catalog-backfill-cells`` is
idempotent; a seller's move rewrites the cell."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.outbound.catalog.grid_cells import cell_of
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS, CELL_FIELD, REPLACED_GEO_INDEXES
from adapters.outbound.catalog.mongo_repositories import (
    MongoServiceCellsBackfill,
    MongoServiceRepository,
    service_to_raw,
)
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from application.catalog.search import ServiceSearch
from application.catalog.use_cases import BackfillSearchFields
from application.shared.pagination import PageRequest
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.shared.money import Money
from tests.conftest import test_settings as settings_for_tests

pytestmark = pytest.mark.integration

DB = "catalog_cells_backfill"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
SOL = GeoPoint(40.4169, -3.7035)


def _service(service_id: str, area: TravelArea | None) -> Service:
    return Service(id=service_id, seller_id=f"seller-{service_id}", title="Fontanería de siempre",
                   description="Escrita antes de las celdas", category="plumbing", price_model=PriceModel.FIXED,
                   price=Money(4000, "EUR"), duration_minutes=60, service_areas=["28013"], tags=[],
                   status=ServiceStatus.ACTIVE, created_at=WHEN, updated_at=WHEN, travel_area=area)


class _Meanwhile:
    """A collection with some methods replaced, to play what another process does meanwhile."""

    def __init__(self, collection, **replaced) -> None:
        self._collection = collection
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(self._collection, name)


def _legacy(service: Service) -> dict:
    """As the release before cells wrote it."""
    raw = service_to_raw(service)
    raw.pop(CELL_FIELD, None)
    return raw


@pytest.fixture(scope="module")
def legacy_database(mongo_url: str):
    """A database as the previous release left it: services without cells (one of them
    unlisted, one named only), and the 2dsphere indexes of that release."""
    mongo = MongoConnection(mongo_url, DB)
    mongo.db.drop_collection("services")
    services = mongo.db["services"]
    near = [_service(f"old-{n}", TravelArea(GeoPoint(40.40 + n / 100, -3.70 - n / 100), 25)) for n in range(5)]
    paused = _service("paused", TravelArea(GeoPoint(40.45, -3.68), 25))
    paused.status = ServiceStatus.PAUSED
    named_only = _service("named-only", None)
    services.insert_many([*map(_legacy, [*near, paused]), _legacy(named_only)])
    services.create_index([("listed", 1), ("base_point", "2dsphere"), ("category", 1)], **{"2dsphereIndexVersion": 3})
    services.create_index([("listed", 1), ("category", 1), ("base_point", "2dsphere")], **{"2dsphereIndexVersion": 3})
    disconnect()
    return near, paused, named_only


def test_a_start_fills_in_the_cells_and_drops_the_replaced_indexes(mongo_url, legacy_database):
    located, paused, named_only = legacy_database
    from bootstrap import create_app

    app = create_app(settings_for_tests(mongodb_uri=mongo_url, mongodb_db=DB, argon2_memory_kib=64,
                                        argon2_time_cost=1))
    try:
        services = MongoConnection(mongo_url, DB).db["services"]
        for service in [*located, paused]:
            assert services.find_one({"_id": service.id})[CELL_FIELD] == cell_of(service.travel_area.base)
        assert CELL_FIELD not in services.find_one({"_id": named_only.id})
        assert not set(REPLACED_GEO_INDEXES) & set(services.index_information())
        assert {"listed_1_category_1_base_cell_1_price_amount_1_rating_average_-1_price_model_1"} <= set(
            services.index_information())

        found = app.test_client().get(f"/services?lat={SOL.lat}&lng={SOL.lng}&radius_km=25&category=plumbing"
                                      "&page_size=50").json["items"]
        assert {item["id"] for item in found} == {s.id for s in located}

        again = app.test_cli_runner().invoke(args=["catalog-backfill-cells"])
        assert again.exit_code == 0 and "grid cells written for 0 services" in again.output
    finally:
        disconnect()


def test_the_backfill_is_idempotent_and_leaves_a_moved_seller_alone(mongo_url):
    mongo = MongoConnection(mongo_url, DB)
    try:
        mongo.ensure(CATALOG_DOCUMENTS)
        services = mongo.db["services"]
        services.update_many({"_id": {"$in": ["old-0", "old-1", "paused"]}}, {"$unset": {CELL_FIELD: ""}})
        backfill = MongoServiceCellsBackfill()
        assert BackfillSearchFields(backfill).execute() == 3
        assert BackfillSearchFields(backfill).execute() == 0
        assert services.count_documents({"base_point": {"$exists": True}, CELL_FIELD: {"$exists": False}}) == 0

        # A write conditional on the point it read: a seller who moved since keeps their new cell.
        moved = {"type": "Point", "coordinates": [2.17, 41.39]}
        services.update_one({"_id": "old-3"}, {"$unset": {CELL_FIELD: ""}})

        def find_then_move(*args, **kwargs):
            """The seller moves between the backfill's read and its write."""
            rows = list(services.find(*args, **kwargs))
            services.update_one({"_id": "old-3"}, {"$set": {"base_point": moved,
                                                            CELL_FIELD: cell_of(GeoPoint(41.39, 2.17))}})
            return rows

        racing = MongoServiceCellsBackfill()
        racing._collection = lambda: _Meanwhile(services, find=find_then_move)
        assert racing.backfill() == 0
        assert services.find_one({"_id": "old-3"})[CELL_FIELD] == cell_of(GeoPoint(41.39, 2.17))
    finally:
        disconnect()


def test_a_seller_who_moves_is_found_by_the_new_cell_and_an_edit_keeps_it(mongo_url):
    mongo = MongoConnection(mongo_url, DB)
    try:
        mongo.ensure(CATALOG_DOCUMENTS)
        repository = MongoServiceRepository()
        service = _service("mover", TravelArea(SOL, 5))
        repository.add(service)
        barcelona = GeoPoint(41.3874, 2.1686)

        def found_near(point: GeoPoint) -> bool:
            search = ServiceSearch.build(lat=point.lat, lng=point.lng, radius_km=5, categories=["plumbing"])
            return "mover" in {s.id for s, _ in repository.find_page_near(search, PageRequest(1, 100))}

        assert found_near(SOL) and not found_near(barcelona)
        repository.set_seller_travel_area("seller-mover", TravelArea(barcelona, 5))
        assert found_near(barcelona) and not found_near(SOL)
        assert mongo.db["services"].find_one({"_id": "mover"})[CELL_FIELD] == cell_of(barcelona)

        # An edit read before the move saves without the travel area: the moved cell stays.
        edited = repository.get("mover")
        edited.title = "Fontanería en Barcelona"
        repository.save(edited)
        assert found_near(barcelona)

        repository.set_seller_travel_area("seller-mover", None)
        assert CELL_FIELD not in mongo.db["services"].find_one({"_id": "mover"})
        assert not found_near(barcelona)
    finally:
        disconnect()


def test_an_index_another_worker_dropped_meanwhile_is_not_an_error(mongo_url, monkeypatch):
    # Every worker runs the backfill at start: one may list a replaced index that another then drops.
    mongo = MongoConnection(mongo_url, DB + "_race")
    mongo.ensure(CATALOG_DOCUMENTS)
    backfill = MongoServiceCellsBackfill()
    real = backfill._collection()
    already_dropped = dict(real.index_information(), **{name: {} for name in REPLACED_GEO_INDEXES})
    monkeypatch.setattr(backfill, "_collection",
                        lambda: _Meanwhile(real, index_information=lambda: already_dropped))
    try:
        assert backfill.backfill() == 0
    finally:
        disconnect()
