"""The orders' view of the catalog: a service as it can be booked now, read through the catalog's
own use case (never its collections), and copied into the order as a snapshot."""

from __future__ import annotations

from application.catalog.use_cases import GetService
from domain.catalog.errors import ServiceNotFound
from domain.catalog.service import ServiceStatus
from domain.orders.errors import ServiceNotBookable
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.errors import NotFound


class CatalogServices:
    def __init__(self, get_service: GetService) -> None:
        self._get_service = get_service

    def bookable_service(self, service_id: str) -> ServiceSnapshot:
        try:
            service = self._get_service.execute(service_id)
        except ServiceNotFound:
            raise NotFound("service not found", field="service_id") from None
        if service.status is not ServiceStatus.ACTIVE:
            raise ServiceNotBookable("this service is paused by its seller", field="service_id")
        if not service.seller_accepting_jobs:
            raise ServiceNotBookable("this seller is not taking new jobs right now", field="service_id")
        return ServiceSnapshot(service_id=service.id, seller_id=service.seller_id, title=service.title,
                               price_model=PriceModel(service.price_model.value), price=service.price,
                               duration_minutes=service.duration_minutes)
