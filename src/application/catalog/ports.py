from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from application.catalog.search import ServiceSearch
from application.shared.pagination import Page, PageRequest
from domain.catalog.geo import Place, TravelArea
from domain.catalog.images import PreparedImage
from domain.catalog.profile import SellerProfile, WorkingHours
from domain.catalog.service import SellerCard, Service, ServiceStatus
from domain.catalog.vocabulary import Suggestion, Vocabulary

# The public profile shows at most this many services: it stays one bounded read.
PROFILE_SERVICES_LIMIT = 50


class ServiceRepository(Protocol):
    def add(self, service: Service) -> None: ...

    def add_many(self, services: Iterable[Service]) -> None:
        """Bulk insert (demo data, imports): one round trip per batch."""
        ...

    def get(self, service_id: str) -> Service | None:
        """Any status, deleted included: orders keep pointing at deleted services."""
        ...

    def save(self, service: Service) -> None:
        """Store changes; raises Conflict when someone else saved it since it was read."""
        ...

    def list_by_seller(self, seller_id: str, statuses: frozenset[ServiceStatus], page: PageRequest) -> Page[Service]:
        """Newest first."""
        ...

    def list_listed_by_seller(self, seller_id: str, limit: int) -> list[Service]:
        """The seller's services buyers can find, newest first, in one round trip."""
        ...

    def set_seller_accepting_jobs(self, seller_id: str, accepting: bool) -> None:
        """Copy the profile's flag onto every service of the seller."""
        ...

    def set_seller_travel_area(self, seller_id: str, area: TravelArea | None) -> None:
        """Copy the profile's travel area onto every service of the seller."""
        ...

    def set_seller_card(self, seller_id: str, card: SellerCard) -> None:
        """Copy the profile's name, photo and reputation onto every service of the seller, in the
        ambient unit of work (the one that changed the profile's counters, when there is one)."""
        ...

    def find_page(self, search: ServiceSearch, page: PageRequest) -> list[Service]:
        """The hot path: one page of matches in the search's order, in one round trip."""
        ...

    def find_page_near(self, search: ServiceSearch, page: PageRequest) -> list[tuple[Service, float | None]]:
        """``find_page`` for a search from a point (``search.near``): each match with its distance
        in km from the buyer (None for a service that covers the buyer's place by name only)."""
        ...

    def count_by_category(self, search: ServiceSearch) -> dict[str, int]:
        """Per category, the services matching every filter of ``search`` except the categories.
        Counts of the whole catalog (no filter but categories) may be a few seconds old: another
        process's writes may not show at once (``CATALOG_COUNTS_CACHE_SECONDS``)."""
        ...

    def add_rating(self, service_id: str, stars: int) -> None:
        """For the reviews context: fold one rating (1-5) into the service's average and count."""
        ...

    def add_seller_completed_job(self, seller_id: str) -> None:
        """For the orders context: one more completed job on the copy every service of the seller
        keeps (relevance's tie-break), in the ambient unit of work."""
        ...

    def suggest_titles(self, prefix: str, limit: int) -> list[Suggestion]:
        """Listed services with a title or tag word starting with ``prefix`` (a folded stem
        prefix), at most ``limit``, in one indexed query; best ranked first among those read."""
        ...

    def remove_rating(self, service_id: str, stars: int) -> None:
        """For the reviews context: take out one rating folded in before (a hidden review)."""
        ...


class SearchVocabulary(Protocol):
    """The trades, problems and jobs of each category in Spanish and English (data operators
    extend), read once."""

    def vocabulary(self) -> Vocabulary: ...


class SellerProfileRepository(Protocol):
    def get(self, seller_id: str) -> SellerProfile | None: ...

    def add(self, profile: SellerProfile) -> None:
        """Store a new profile; raises Conflict if the seller has one already."""
        ...

    def save(self, profile: SellerProfile) -> None:
        """Store presentation changes; raises Conflict on a concurrent change. Never touches the
        reputation counters, which only ``add_rating`` and ``add_completed_job`` change."""
        ...

    def add_rating(self, seller_id: str, stars: int) -> None:
        """For the reviews context: fold one rating (1-5) into the average and count, atomically."""
        ...

    def remove_rating(self, seller_id: str, stars: int) -> None:
        """For the reviews context: take out one rating folded in before, atomically."""
        ...

    def located_sellers(self) -> list[tuple[str, TravelArea]]:
        """Every seller with a travel area, and the area (its base is the private one)."""
        ...

    def add_completed_job(self, seller_id: str) -> None:
        """For the orders context: one more completed job, atomically, in the ambient unit of work
        (the one that stores the completed order)."""
        ...


class SellerAccounts(Protocol):
    """What the catalog needs to know about accounts, asked once when a profile is created."""

    def member_since(self, seller_id: str) -> datetime | None: ...


class Gazetteer(Protocol):
    """Spanish postal codes and cities with their coordinates."""

    def locate(self, text: str) -> Place | None:
        """The place a postal code or city name (any case or accents) stands for, or None."""
        ...

    def load(self, places: Iterable[Place]) -> int:
        """Insert or replace places by name (idempotent); how many were written."""
        ...


class PlaceSource(Protocol):
    """Where the gazetteer's places come from (the file shipped with the project)."""

    def places(self) -> list[Place]: ...


class SellerAvailability(Protocol):
    """What the catalog needs to know about sellers' calendars (kept by the orders context)."""

    def longest_free(self, day: date, part_of_day: str | None) -> dict[str, int]:
        """Seller id -> the longest job (minutes) the seller can start on that local day (and
        part of day), for every seller who can take one. Raises InvalidInput for a day outside
        what is kept (past, too far ahead) or an unknown part of the day."""
        ...


@dataclass(frozen=True)
class BookableHours:
    """A seller's weekly hours as bookings use them, in the seller's time zone."""

    time_zone: str
    hours: list[WorkingHours]


class SellerHours(Protocol):
    """A seller's hours, kept by the orders context (the schedule bookings use): the profile shows
    them and holds none of its own, so what a buyer reads is what they can book."""

    def of(self, seller_id: str) -> BookableHours | None:
        """None for a seller who never set hours."""
        ...

    def adopt(self, seller_id: str, hours: list[WorkingHours], time_zone: str) -> bool:
        """Make these the bookable hours of a seller who has none (rounded into quarter hours);
        False, changing nothing, for one who has some."""
        ...


class LegacyProfileHours(Protocol):
    """Hours profiles stored of their own before they showed the bookable ones, until moved."""

    def stored(self) -> dict[str, list[WorkingHours]]:
        """Seller id -> the hours their profile still holds (none once all are moved)."""
        ...

    def drop(self, seller_id: str) -> None: ...


class PublicLocations(Protocol):
    def public_area(self, seller_id: str, area: TravelArea) -> TravelArea:
        """The travel area as search measures it: the same radius around the seller's public
        point (``PUBLIC_POINT_OFFSET_KM`` from the base, in a direction that is the same for the
        seller every time and cannot be worked out from anything public). Copied onto services;
        the base stays on the profile."""
        ...


class SearchFieldsBackfill(Protocol):
    """What the service store derives from each service for search (the MongoDB adapter: the grid
    cell of the travel area's base), filled in on services written before a release derived it."""

    def backfill(self) -> int:
        """Idempotent; how many services were changed."""
        ...


@dataclass(frozen=True)
class StoredImage:
    content: bytes
    content_type: str


class ImageProcessor(Protocol):
    """Turns an upload into the variants the pages use, trusting nothing about it."""

    def prepare(self, upload: bytes) -> PreparedImage:
        """Decode by content (never by name or declared type), drop every metadata block (EXIF,
        GPS, XMP, ICC comments), apply the EXIF orientation, and encode each variant of
        ``domain.catalog.images.VARIANTS``. Raises NotAnImage or ImageTooLarge."""
        ...


class ImageStore(Protocol):
    """Where photos' bytes live, per owner (the seller), one object per variant."""

    def put(self, owner_id: str, image_id: str, variants: dict[str, bytes], content_type: str) -> None:
        """Store every variant; idempotent (ids are content-addressed)."""
        ...

    def get(self, owner_id: str, image_id: str, variant: str) -> StoredImage | None: ...

    def delete(self, owner_id: str, image_id: str) -> None:
        """Every variant; idempotent."""
        ...

    def image_ids(self, owner_id: str) -> list[str]:
        """Every image stored for the owner, referenced or not (for their export and erasure)."""
        ...
