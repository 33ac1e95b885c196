"""A service listing and its life: active <-> paused, and either -> deleted (soft: orders keep
pointing at it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.catalog.categories import category
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.images import MAX_SERVICE_PHOTOS, PhotoNotFound, TooManyPhotos
from domain.catalog.keywords import index_keys, normalize_area
from domain.catalog.validation import clean_text, text_list, whole_number
from domain.shared.errors import InvalidInput, InvalidTransition
from domain.shared.money import Money

MAX_TITLE = 120
MAX_DESCRIPTION = 5_000
MAX_PRICE_MINOR_UNITS = 100_000_000
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 30 * 24 * 60
MAX_AREAS = 50
MAX_TAGS = 20


class PriceModel(StrEnum):
    FIXED = "fixed"
    HOURLY = "hourly"
    QUOTE = "quote"


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DELETED = "deleted"


ALLOWED_TRANSITIONS: dict[ServiceStatus, frozenset[ServiceStatus]] = {
    ServiceStatus.ACTIVE: frozenset({ServiceStatus.PAUSED, ServiceStatus.DELETED}),
    ServiceStatus.PAUSED: frozenset({ServiceStatus.ACTIVE, ServiceStatus.DELETED}),
    ServiceStatus.DELETED: frozenset(),
}


def check_price(price_model: PriceModel, price: Money | None) -> Money | None:
    if price_model is PriceModel.QUOTE:
        if price is not None:
            raise InvalidInput("a service on quote has no price; leave it out", field="price")
        return None
    if price is None:
        raise InvalidInput(f"a {price_model.value} service needs a price", field="price")
    if price.amount <= 0:
        raise InvalidInput("must be a positive number of minor units", field="price.amount")
    if price.amount > MAX_PRICE_MINOR_UNITS:
        raise InvalidInput(f"must be at most {MAX_PRICE_MINOR_UNITS} minor units", field="price.amount")
    return price


@dataclass(frozen=True)
class ServiceDetails:
    """Everything a seller writes about a service; validated as a whole."""

    title: str
    description: str
    category: str
    price_model: PriceModel
    price: Money | None
    duration_minutes: int
    service_areas: list[str]
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "title", clean_text(self.title, field="title", min_len=3, max_len=MAX_TITLE))
        set_(self, "description", clean_text(self.description, field="description", min_len=1,
                                             max_len=MAX_DESCRIPTION, single_line=False))
        set_(self, "category", category(self.category).slug)
        try:
            set_(self, "price_model", PriceModel(self.price_model))
        except ValueError:
            raise InvalidInput("must be one of fixed, hourly, quote", field="price_model") from None
        set_(self, "price", check_price(self.price_model, self.price))
        set_(self, "duration_minutes", whole_number(self.duration_minutes, field="duration_minutes",
                                                    minimum=MIN_DURATION_MINUTES, maximum=MAX_DURATION_MINUTES))
        areas = text_list(self.service_areas, field="service_areas", max_items=MAX_AREAS, min_len=2, max_len=80)
        if not areas:
            raise InvalidInput("name at least one city or postal code", field="service_areas")
        set_(self, "service_areas", areas)
        set_(self, "tags", text_list(self.tags, field="tags", max_items=MAX_TAGS, min_len=2, max_len=30,
                                     lower=True))


@dataclass(frozen=True)
class SellerCard:
    """The seller as a search result shows them. A copy of the profile's name, photo and
    reputation kept on each service (like ``seller_accepting_jobs``), so a page of results is one
    read and no lookup per card; the profile stays the source of truth."""

    display_name: str = ""
    # The path of the card-size photo (the API puts its own base URL before it).
    photo_url: str | None = None
    rating_average: float = 0.0
    rating_count: int = 0
    completed_jobs: int = 0
    member_since: datetime | None = None


@dataclass
class Service:
    id: str
    seller_id: str
    title: str
    description: str
    category: str
    price_model: PriceModel
    price: Money | None
    duration_minutes: int
    service_areas: list[str]
    tags: list[str]
    status: ServiceStatus
    created_at: datetime
    updated_at: datetime
    rating_average: float = 0.0
    rating_count: int = 0
    # A copy of the seller profile's flag, so search filters on one collection.
    seller_accepting_jobs: bool = True
    version: int = 0
    # A copy of the seller profile's travel area, for the same reason.
    travel_area: TravelArea | None = None
    # Uploaded photos in the seller's order, the first on cards (domain.catalog.images).
    photo_ids: list[str] = field(default_factory=list)
    # A copy of the seller's name, photo and reputation, for the same reason.
    seller: SellerCard = field(default_factory=SellerCard)
    # A copy of the seller profile's completed jobs: a tie-break of relevance (``rank``).
    seller_completed_jobs: int = 0

    @classmethod
    def create(cls, *, service_id: str, seller_id: str, details: ServiceDetails, seller_accepting_jobs: bool,
               now: datetime, travel_area: TravelArea | None = None, seller: SellerCard | None = None) -> Service:
        return cls(id=service_id, seller_id=seller_id, title=details.title, description=details.description,
                   category=details.category, price_model=details.price_model, price=details.price,
                   duration_minutes=details.duration_minutes, service_areas=details.service_areas,
                   tags=details.tags, status=ServiceStatus.ACTIVE,
                   created_at=now, updated_at=now, seller_accepting_jobs=seller_accepting_jobs,
                   travel_area=travel_area, seller=seller or SellerCard())

    @property
    def details(self) -> ServiceDetails:
        return ServiceDetails(title=self.title, description=self.description, category=self.category,
                              price_model=self.price_model, price=self.price,
                              duration_minutes=self.duration_minutes, service_areas=list(self.service_areas),
                              tags=list(self.tags))

    def edit(self, details: ServiceDetails, now: datetime) -> None:
        if self.status is ServiceStatus.DELETED:
            raise InvalidTransition("a deleted service cannot be edited")
        self.title, self.description, self.category = details.title, details.description, details.category
        self.price_model, self.price = details.price_model, details.price
        self.duration_minutes, self.service_areas = details.duration_minutes, details.service_areas
        self.tags = details.tags
        self.updated_at = now

    def _ensure_editable(self) -> None:
        if self.status is ServiceStatus.DELETED:
            raise InvalidTransition("a deleted service cannot be edited")

    def add_photo(self, photo_id: str, now: datetime) -> bool:
        """Last in the gallery; whether it was new (the same photo again changes nothing)."""
        self._ensure_editable()
        if photo_id in self.photo_ids:
            return False
        if len(self.photo_ids) >= MAX_SERVICE_PHOTOS:
            raise TooManyPhotos()
        self.photo_ids = [*self.photo_ids, photo_id]
        self.updated_at = now
        return True

    def reorder_photos(self, photo_ids: list[str], now: datetime) -> None:
        self._ensure_editable()
        if sorted(photo_ids) != sorted(self.photo_ids) or len(set(photo_ids)) != len(photo_ids):
            raise InvalidInput("list every photo of the service exactly once", field="photo_ids")
        self.photo_ids = list(photo_ids)
        self.updated_at = now

    def remove_photo(self, photo_id: str, now: datetime) -> None:
        if photo_id not in self.photo_ids:
            raise PhotoNotFound()
        self.photo_ids = [p for p in self.photo_ids if p != photo_id]
        self.updated_at = now

    def _move_to(self, target: ServiceStatus, now: datetime) -> None:
        if target not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(f"a {self.status.value} service cannot become {target.value}")
        self.status = target
        self.updated_at = now

    def pause(self, now: datetime) -> None:
        self._move_to(ServiceStatus.PAUSED, now)

    def resume(self, now: datetime) -> None:
        self._move_to(ServiceStatus.ACTIVE, now)

    def delete(self, now: datetime) -> None:
        self._move_to(ServiceStatus.DELETED, now)

    @property
    def is_listed(self) -> bool:
        """What buyers can find: active, from a seller who takes new jobs."""
        return self.status is ServiceStatus.ACTIVE and self.seller_accepting_jobs

    def covers(self, point: GeoPoint, area_keys: tuple[str, ...] = ()) -> bool:
        """The buyer at ``point`` (a place known by ``area_keys``) is within the seller's travel
        radius, or the service lists one of the place's postal code or city."""
        if self.travel_area is not None and self.travel_area.covers(point):
            return True
        return bool(set(area_keys) & set(self.area_keys))

    @property
    def area_keys(self) -> list[str]:
        return sorted({normalize_area(a) for a in self.service_areas})

    @property
    def keywords(self) -> list[str]:
        """The index keys search finds the service by (``keywords.py``): its trade, its title and
        tag words (also within the trade) and its description's other words."""
        return index_keys(category=self.category, title=self.title, tags=self.tags, description=self.description)

    @property
    def rank(self) -> int:
        return relevance_rank(self.rating_average, self.rating_count, self.seller_completed_jobs)


# Relevance's tie-break. The average is pulled towards PRIOR_STARS as if each service had
# PRIOR_REVIEWS more reviews of that many stars, so one 5-star review does not outrank forty of
# 4.8; then more reviews, then more completed jobs. One integer, so an index can hold it:
# the adjusted average in hundredths, then the reviews and the jobs (each capped at 999).
PRIOR_STARS = 3.5
PRIOR_REVIEWS = 5
RANK_CAP = 999


def relevance_rank(rating_average: float, rating_count: int, completed_jobs: int) -> int:
    # The same operations, in the same order, as the MongoDB adapter's pipeline update.
    stars = rating_average * rating_count + PRIOR_STARS * PRIOR_REVIEWS
    adjusted = round(100 * stars / (rating_count + PRIOR_REVIEWS))
    return int(adjusted) * 1_000_000 + min(rating_count, RANK_CAP) * 1_000 + min(completed_jobs, RANK_CAP)
