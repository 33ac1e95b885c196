"""The orders' CompletedJobs port over the catalog's seller profiles and services (its ports, not
its collections): the profile's counter, the seller's card on each service, and the copy each
service keeps for relevance. The MongoDB repositories write with the ambient session, so inside the
completing unit of work they all move in the order's own transaction."""

from __future__ import annotations

from application.catalog.ports import SellerProfileRepository, ServiceRepository
from application.catalog.seller_cards import copy_seller_card


class CatalogCompletedJobs:
    def __init__(self, profiles: SellerProfileRepository, services: ServiceRepository) -> None:
        self._profiles = profiles
        self._services = services

    def add(self, seller_id: str) -> None:
        self._profiles.add_completed_job(seller_id)
        copy_seller_card(self._profiles, self._services, seller_id)
        self._services.add_seller_completed_job(seller_id)
