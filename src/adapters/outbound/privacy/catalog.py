from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.catalog.use_cases import ExportSellerPhotosData, ExportSellerProfileData, ExportSellerServicesData
from application.privacy.ports import WithFiles
from domain.catalog.service import Service


class SellerProfileDataSource:
    name = "profile"
    contexts = ("catalog",)

    def __init__(self, profiles: ExportSellerProfileData) -> None:
        self._profiles = profiles

    def export(self, user_id: str) -> Any:
        profile = self._profiles.execute(user_id)
        if profile is None:
            return {}
        return {"presentation": plain(profile.presentation), "member_since": plain(profile.member_since),
                "updated_at": plain(profile.updated_at), "photo_id": profile.photo_id, "rating_average": profile.rating_average,
                "rating_count": profile.rating_count, "completed_jobs": profile.completed_jobs}


def _service(service: Service) -> dict[str, Any]:
    return {"id": service.id, "title": service.title, "description": service.description,
            "category": service.category, "price_model": plain(service.price_model), "price": plain(service.price),
            "duration_minutes": service.duration_minutes, "service_areas": list(service.service_areas),
            "photo_ids": list(service.photo_ids), "tags": list(service.tags), "status": plain(service.status),
            "created_at": plain(service.created_at), "updated_at": plain(service.updated_at),
            "rating_average": service.rating_average, "rating_count": service.rating_count}


class ServicesDataSource:
    name = "services"
    contexts = ("catalog",)

    def __init__(self, services: ExportSellerServicesData) -> None:
        self._services = services

    def export(self, user_id: str) -> Any:
        return [_service(s) for s in self._services.execute(user_id)]


class SellerPhotosDataSource:
    """The photos themselves (largest size, as we keep them: without their original metadata)."""

    name = "photos"
    contexts = ("catalog",)

    def __init__(self, photos: ExportSellerPhotosData) -> None:
        self._photos = photos

    def export(self, user_id: str) -> Any:
        stored = self._photos.execute(user_id)
        files = {f"{photo_id}.webp": image.content for photo_id, image in stored.items()}
        index = [{"id": photo_id, "file": f"{self.name}/{photo_id}.webp", "content_type": image.content_type}
                 for photo_id, image in stored.items()]
        return WithFiles(document=index, files=files)
