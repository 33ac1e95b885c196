"""The orders' CompletedJobs port over the catalog's seller profiles and services (its ports, not
its collections): the profile's counter, and the copy each service keeps for relevance. Both
MongoDB repositories write with the ambient session, so inside the completing unit of work the
counters move in the order's own transaction."""

from __future__ import annotations

from application.catalog.ports import SellerProfileRepository, ServiceRepository


class CatalogCompletedJobs:
    def __init__(self, profiles: SellerProfileRepository, services: ServiceRepository) -> None:
        self._profiles = profiles
        self._services = services

    def add(self, seller_id: str) -> None:
        self._profiles.add_completed_job(seller_id)
        self._services.add_seller_completed_job(seller_id)
