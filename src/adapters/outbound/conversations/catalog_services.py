"""The conversations' view of the catalog, through its GetService use case: which seller a buyer
asks when they ask about a service."""

from __future__ import annotations

from application.catalog.use_cases import GetService
from application.conversations.ports import ServiceParties
from domain.catalog.errors import ServiceNotFound


class CatalogServices:
    def __init__(self, get_service: GetService) -> None:
        self._get_service = get_service

    def service(self, service_id: str) -> ServiceParties | None:
        try:
            service = self._get_service.execute(service_id)
        except ServiceNotFound:
            return None
        return ServiceParties(service_id=service.id, seller_id=service.seller_id, title=service.title)
