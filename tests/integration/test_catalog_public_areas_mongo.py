"""On the local MongoDB-compatible server: services stored with the seller's base get the public
point (and its grid cell) from PublishSellerAreas; only located profiles are read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.outbound.catalog.grid_cells import cell_of
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS, CELL_FIELD, GEO_FIELD
from adapters.outbound.catalog.mongo_repositories import (
    MongoSellerProfileRepository,
    MongoServiceRepository,
    service_to_raw,
)
from adapters.outbound.catalog.public_locations import KeyedPublicLocations
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from application.catalog.use_cases import PublishSellerAreas
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.profile import Presentation, SellerProfile
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.shared.money import Money

pytestmark = pytest.mark.integration

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
HOME = GeoPoint(40.43217, -3.68913)


@pytest.fixture
def stores(mongo_url):
    connection = MongoConnection(mongo_url, "catalog_public_areas")
    connection.ensure(CATALOG_DOCUMENTS)
    try:
        yield MongoSellerProfileRepository(), MongoServiceRepository()
    finally:
        connection.db.client.drop_database("catalog_public_areas")
        disconnect()


def test_old_services_carrying_the_base_get_the_public_point(stores):
    profiles, services = stores
    for seller_id, area in (("carlos", TravelArea(HOME, 20)), ("elena", None)):
        profiles.add(SellerProfile.create(seller_id=seller_id, member_since=WHEN, now=WHEN,
                                          presentation=Presentation(display_name=seller_id, travel_area=area)))
    old = Service(id="svc-1", seller_id="carlos", title="Fontanería", description="De antes", category="plumbing",
                  price_model=PriceModel.FIXED, price=Money(4000, "EUR"), duration_minutes=60, service_areas=[],
                  tags=[], status=ServiceStatus.ACTIVE, created_at=WHEN, updated_at=WHEN,
                  travel_area=TravelArea(HOME, 20))
    services._collection().insert_one(service_to_raw(old))
    locations = KeyedPublicLocations(b"k" * 32)

    assert profiles.located_sellers() == [("carlos", TravelArea(HOME, 20))]
    assert PublishSellerAreas(profiles, services, locations).execute() == 1

    public = locations.public_area("carlos", TravelArea(HOME, 20)).base
    raw = services._collection().find_one({"_id": "svc-1"})
    stored = GeoPoint(raw[GEO_FIELD]["coordinates"][1], raw[GEO_FIELD]["coordinates"][0])
    assert stored.distance_km(public) < 0.001 and raw[CELL_FIELD] == cell_of(public)
