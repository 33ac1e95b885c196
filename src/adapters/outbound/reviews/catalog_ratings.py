"""The reviews' Ratings port over the catalog's own repositories (its ports, not its collections).
The MongoDB ones write with the ambient session, so inside the reviews' unit of work a rating
lands in the same transaction as the review that carries it, and so does the copy of the seller's
new reputation on their services (search cards show it without reading the profile)."""

from __future__ import annotations

from application.catalog.ports import SellerProfileRepository, ServiceRepository
from application.catalog.seller_cards import copy_seller_card


class CatalogRatings:
    def __init__(self, services: ServiceRepository, profiles: SellerProfileRepository) -> None:
        self._services = services
        self._profiles = profiles

    def add(self, *, seller_id: str, service_id: str, stars: int) -> None:
        self._profiles.add_rating(seller_id, stars)
        self._services.add_rating(service_id, stars)
        copy_seller_card(self._profiles, self._services, seller_id)

    def remove(self, *, seller_id: str, service_id: str, stars: int) -> None:
        self._profiles.remove_rating(seller_id, stars)
        self._services.remove_rating(service_id, stars)
        copy_seller_card(self._profiles, self._services, seller_id)
