"""The orders read services through the catalog's GetService use case and snapshot them."""

from dataclasses import replace

import pytest

from adapters.outbound.catalog.in_memory import InMemoryServiceRepository
from adapters.outbound.orders.catalog_services import CatalogServices
from application.catalog.use_cases import GetService
from domain.catalog.service import PriceModel as CatalogPriceModel
from domain.catalog.service import Service, ServiceDetails, ServiceStatus
from domain.orders.errors import ServiceNotBookable
from domain.orders.pricing import PriceModel
from domain.shared.errors import NotFound
from domain.shared.money import Money
from tests.fakes import FakeClock


@pytest.fixture
def catalog():
    services = InMemoryServiceRepository()
    details = ServiceDetails(title="Reparación de fugas", description="Arreglo fugas de agua", category="plumbing",
                             price_model=CatalogPriceModel.HOURLY, price=Money(4500, "EUR"), duration_minutes=90,
                             service_areas=["madrid"])
    service = Service.create(service_id="s1", seller_id="seller-1", details=details, seller_accepting_jobs=True,
                             now=FakeClock().now())
    services.add(service)
    return services, CatalogServices(GetService(services))


def test_snapshots_what_the_order_needs(catalog):
    _, bridge = catalog
    snapshot = bridge.bookable_service("s1")
    assert (snapshot.service_id, snapshot.seller_id, snapshot.title) == ("s1", "seller-1", "Reparación de fugas")
    assert snapshot.price_model is PriceModel.HOURLY and snapshot.price == Money(4500, "EUR")
    assert snapshot.duration_minutes == 90


def test_unknown_service_is_not_found(catalog):
    _, bridge = catalog
    with pytest.raises(NotFound):
        bridge.bookable_service("nope")


@pytest.mark.parametrize("change", [{"status": ServiceStatus.PAUSED}, {"seller_accepting_jobs": False}])
def test_paused_service_or_busy_seller_is_not_bookable(catalog, change):
    services, bridge = catalog
    services.services["s1"] = replace(services.services["s1"], **change)
    with pytest.raises(ServiceNotBookable):
        bridge.bookable_service("s1")


def test_deleted_service_is_not_found(catalog):
    services, bridge = catalog
    services.services["s1"] = replace(services.services["s1"], status=ServiceStatus.DELETED)
    with pytest.raises(NotFound):
        bridge.bookable_service("s1")
