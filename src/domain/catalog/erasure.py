"""The catalog's part of a seller leaving: their presentation goes, their services are delisted.
Services are soft-deleted, not removed: orders (records kept by law) point at them."""

from __future__ import annotations

from datetime import datetime

from domain.catalog.profile import Presentation, SellerProfile
from domain.catalog.service import Service, ServiceStatus
from domain.shared.erasure import FORMER_USER_NAME

ERASED_PRESENTATION = Presentation(display_name=FORMER_USER_NAME, accepting_jobs=False)


def erase_profile(profile: SellerProfile, now: datetime) -> bool:
    """Replace everything the seller wrote about themselves (bio, photo, areas, hours, base point);
    the reputation counters stay, they summarise other people's reviews. Whether it changed."""
    if profile.presentation == ERASED_PRESENTATION and profile.photo_id is None:
        return False
    profile.present(ERASED_PRESENTATION, now)
    profile.remove_photo(now)
    return True


def delist_service(service: Service, now: datetime) -> bool:
    """Delete the listing and drop its photos; title and price stay for the orders that name it."""
    changed = False
    if service.status is not ServiceStatus.DELETED:
        service.delete(now)
        changed = True
    if service.photo_ids or service.travel_area is not None:
        # The photos may show the seller or their home; the base point is where they live.
        service.photo_ids, service.travel_area = [], None
        service.updated_at = now
        changed = True
    return changed
