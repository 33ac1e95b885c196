"""Keeping the copy of a seller's name, photo and reputation on their services (``SellerCard``)
in step with the profile, for the contexts that move the reputation counters."""

from __future__ import annotations

from application.catalog.ports import SellerProfileRepository, ServiceRepository


def copy_seller_card(profiles: SellerProfileRepository, services: ServiceRepository, seller_id: str) -> None:
    """Read back the profile just changed (in the same unit of work, so its own write is seen) and
    copy it whole: writes to one profile are serialized, so the last copy is its last state."""
    profile = profiles.get(seller_id)
    if profile is not None:
        services.set_seller_card(seller_id, profile.card)
