"""The orders' CompletedJobs port over the catalog's seller profiles (its port, not its
collection). The MongoDB profile repository writes with the ambient session, so inside the
completing unit of work the counter moves in the order's own transaction."""

from __future__ import annotations

from application.catalog.ports import SellerProfileRepository


class CatalogCompletedJobs:
    def __init__(self, profiles: SellerProfileRepository) -> None:
        self._profiles = profiles

    def add(self, seller_id: str) -> None:
        self._profiles.add_completed_job(seller_id)
