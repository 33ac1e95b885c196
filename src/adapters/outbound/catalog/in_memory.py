"""In-memory adapters of the catalog ports: thread-safe, with state a test can read. The search
here is the brute-force reference the MongoDB adapter is checked against."""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from application.catalog.ports import BookableHours, StoredImage
from application.catalog.search import SearchResult, ServiceSearch, SortOrder, near_relevance_key
from application.shared.pagination import Page, PageRequest
from domain.catalog.geo import Place, TravelArea
from domain.catalog.keywords import TITLE, normalize_area
from domain.catalog.profile import SellerProfile, WorkingHours
from domain.catalog.service import SellerCard, Service, ServiceStatus
from domain.catalog.validation import check_stars, rating_average
from domain.catalog.vocabulary import Suggestion, Vocabulary, VocabularyEntry
from domain.shared.errors import Conflict


def distance_of(service: Service, search: ServiceSearch) -> float | None:
    if search.near is None or service.travel_area is None:
        return None
    return service.travel_area.base.distance_km(search.near)


def matches(service: Service, search: ServiceSearch) -> bool:
    if not service.is_listed:
        return False
    if search.near is not None:
        distance = distance_of(service, search)
        if distance is not None and distance > search.radius_km:
            return False
        if not service.covers(search.near, search.near_keys):
            return False
    if search.free_sellers is not None and search.longest_free(service.seller_id) < service.duration_minutes:
        return False
    if search.categories and service.category not in search.categories:
        return False
    if search.keywords and not set(search.keywords) & set(service.keywords):
        return False
    amount = service.price.amount if service.price else None
    if search.min_price is not None and (amount is None or amount < search.min_price):
        return False
    if search.max_price is not None and (amount is None or amount > search.max_price):
        return False
    if search.currency is not None and (service.price is None or service.price.currency != search.currency):
        return False
    if search.area is not None and search.area not in service.area_keys:
        return False
    if search.min_rating is not None and service.rating_average < search.min_rating:
        return False
    if search.seller_id is not None and service.seller_id != search.seller_id:
        return False
    return search.price_model is None or service.price_model is search.price_model


def order_key(search: ServiceSearch) -> tuple[Callable[[Service], Any], bool]:
    """(key, reverse) giving MongoDB's order: a missing price sorts below every price."""

    def price(s: Service) -> tuple[int, int]:
        return (1, s.price.amount) if s.price else (0, 0)

    if search.sort is SortOrder.PRICE_ASC:
        return (lambda s: (price(s), s.id)), False
    if search.sort is SortOrder.PRICE_DESC:
        return (lambda s: (price(s), s.id)), True
    if search.sort is SortOrder.RATING:
        return (lambda s: (s.rating_average, s.rating_count, s.id)), True
    if search.sort is SortOrder.RELEVANCE:
        # The best tier first (tier_of is 0 for the best), then the rank, as the index walks it.
        return (lambda s: (-(search.terms.tier_of(s.keywords) or 0), s.rank, s.id)), True
    return (lambda s: (s.created_at, s.id)), True


def _sorted(found: list[Service], search: ServiceSearch) -> list[Service]:
    key, reverse = order_key(search)
    if search.near is None:
        return sorted(found, key=key, reverse=reverse)

    def distance(s: Service) -> tuple[int, float]:
        d = distance_of(s, search)
        return (1, 0.0) if d is None else (0, d)  # by name only: after every measured distance

    if search.sort is SortOrder.DISTANCE:
        return sorted(found, key=lambda s: (distance(s), s.id))
    if search.sort is SortOrder.RELEVANCE:
        by_id = sorted(found, key=lambda s: s.id, reverse=True)
        return sorted(by_id, key=lambda s: near_relevance_key(search.terms.tier_of(s.keywords) or 0,
                                                              distance_of(s, search), s.rank))
    # The sort's own keys first, then distance, then the id: stable sorts, least significant first.
    by_id = sorted(found, key=lambda s: s.id, reverse=reverse)
    by_distance = sorted(by_id, key=distance)
    return sorted(by_distance, key=lambda s: key(s)[:-1], reverse=reverse)


def brute_force_search(services: Iterable[Service], search: ServiceSearch, page: PageRequest) -> SearchResult:
    services = list(services)
    found = _sorted([s for s in services if matches(s, search)], search)
    loose = search.without_categories()
    counts = Counter(s.category for s in services if matches(s, loose))
    items = found[page.offset:page.offset + page.page_size]
    distances = {s.id: distance_of(s, search) for s in items} if search.near is not None else {}
    return SearchResult(Page(items, len(found), page), dict(counts), distances)


def _copy(service: Service) -> Service:
    """What deepcopy gives, for a fraction of its cost: the lists are the only mutable parts
    (Money, datetimes and enums are immutable)."""
    clone = object.__new__(Service)  # copy.copy's generic __reduce_ex__ path was most of a search's fake cost
    clone.__dict__.update(service.__dict__)
    clone.service_areas, clone.photo_ids, clone.tags = (list(service.service_areas), list(service.photo_ids),
                                                        list(service.tags))
    return clone


class InMemoryServiceRepository:
    def __init__(self) -> None:
        self.services: dict[str, Service] = {}
        self.rating_sums: dict[str, int] = {}
        self._lock = threading.Lock()

    def _snapshot(self) -> list[Service]:
        with self._lock:
            return [copy.deepcopy(s) for s in self.services.values()]

    def add(self, service: Service) -> None:
        with self._lock:
            if service.id in self.services:
                if self.services[service.id] == service:
                    return  # the same add again (a retried write): done already
                raise Conflict("a service with this id exists already")
            self.services[service.id] = copy.deepcopy(service)

    def add_many(self, services: Iterable[Service]) -> None:
        for service in services:
            self.add(service)

    def get(self, service_id: str) -> Service | None:
        with self._lock:
            service = self.services.get(service_id)
            return copy.deepcopy(service) if service else None

    def save(self, service: Service) -> None:
        with self._lock:
            stored = self.services.get(service.id)
            if stored is None or stored.version != service.version:
                raise Conflict("the service was changed by another request; reload and try again")
            service.version += 1
            updated = copy.deepcopy(service)
            # Ratings move only through add_rating, the seller's card with the profile and completed jobs
            # through the orders, as in the MongoDB adapter.
            updated.rating_average, updated.rating_count = stored.rating_average, stored.rating_count
            updated.seller = stored.seller
            updated.seller_completed_jobs = stored.seller_completed_jobs
            self.services[service.id] = updated

    def list_by_seller(self, seller_id: str, statuses: frozenset[ServiceStatus], page: PageRequest) -> Page[Service]:
        mine = sorted((s for s in self._snapshot() if s.seller_id == seller_id and s.status in statuses),
                      key=lambda s: (s.created_at, s.id), reverse=True)
        return Page(mine[page.offset:page.offset + page.page_size], len(mine), page)

    def list_listed_by_seller(self, seller_id: str, limit: int) -> list[Service]:
        listed = sorted((s for s in self._snapshot() if s.seller_id == seller_id and s.is_listed),
                        key=lambda s: (s.created_at, s.id), reverse=True)
        return listed[:limit]

    def set_seller_accepting_jobs(self, seller_id: str, accepting: bool) -> None:
        with self._lock:
            for service in self.services.values():
                if service.seller_id == seller_id:
                    service.seller_accepting_jobs = accepting
                    service.version += 1

    def set_seller_card(self, seller_id: str, card: SellerCard) -> None:
        with self._lock:
            for service in self.services.values():
                if service.seller_id == seller_id:
                    service.seller = card

    def set_seller_travel_area(self, seller_id: str, area: TravelArea | None) -> None:
        with self._lock:
            for service in self.services.values():
                if service.seller_id == seller_id:
                    service.travel_area = area
                    service.version += 1

    # Filter and sort under the lock and copy only the page: copying every service on every
    # search made the fake, not the app, the cost the benchmarks measured (bench/, figure 1).
    def find_page(self, search: ServiceSearch, page: PageRequest) -> list[Service]:
        with self._lock:
            found = _sorted([s for s in self.services.values() if matches(s, search)], search)
            return [_copy(s) for s in found[page.offset:page.offset + page.page_size]]

    def find_page_near(self, search: ServiceSearch, page: PageRequest) -> list[tuple[Service, float | None]]:
        result = brute_force_search(self._snapshot(), search, page)
        return [(s, result.distances_km[s.id]) for s in result.page.items]

    def count_by_category(self, search: ServiceSearch) -> dict[str, int]:
        loose = search.without_categories()
        with self._lock:
            return dict(Counter(s.category for s in self.services.values() if matches(s, loose)))

    def add_rating(self, service_id: str, stars: int) -> None:
        check_stars(stars)
        with self._lock:
            service = self.services.get(service_id)
            if service is not None:
                self.rating_sums[service_id] = self.rating_sums.get(service_id, 0) + stars
                service.rating_count += 1
                service.rating_average = rating_average(self.rating_sums[service_id], service.rating_count)

    def remove_rating(self, service_id: str, stars: int) -> None:
        check_stars(stars)
        with self._lock:
            service = self.services.get(service_id)
            if service is not None and service.rating_count > 0:
                self.rating_sums[service_id] = self.rating_sums.get(service_id, 0) - stars
                service.rating_count -= 1
                service.rating_average = rating_average(self.rating_sums[service_id], service.rating_count)

    def add_seller_completed_job(self, seller_id: str) -> None:
        with self._lock:
            for service in self.services.values():
                if service.seller_id == seller_id:
                    service.seller_completed_jobs += 1

    def suggest_titles(self, prefix: str, limit: int) -> list[Suggestion]:
        wanted = TITLE + prefix
        with self._lock:
            found = [s for s in self.services.values()
                     if s.is_listed and any(k.startswith(wanted) for k in s.keywords)]
        found.sort(key=lambda s: (s.rank, s.id), reverse=True)
        return [Suggestion(s.title, "service", s.category, service_id=s.id) for s in found[:limit]]


class InMemoryLegacyProfileHours:
    """Profiles' own hours of before; tests put some in ``hours``."""

    def __init__(self) -> None:
        self.hours: dict[str, list[WorkingHours]] = {}
        self._lock = threading.Lock()

    def stored(self) -> dict[str, list[WorkingHours]]:
        with self._lock:
            return {seller_id: list(hours) for seller_id, hours in self.hours.items() if hours}

    def drop(self, seller_id: str) -> None:
        with self._lock:
            self.hours.pop(seller_id, None)


class InMemorySellerProfileRepository:
    def __init__(self) -> None:
        self.profiles: dict[str, SellerProfile] = {}
        self.rating_sums: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, seller_id: str) -> SellerProfile | None:
        with self._lock:
            profile = self.profiles.get(seller_id)
            return copy.deepcopy(profile) if profile else None

    def located_sellers(self) -> list[tuple[str, TravelArea]]:
        with self._lock:
            return [(p.seller_id, p.presentation.travel_area) for p in self.profiles.values()
                    if p.presentation.travel_area is not None]

    def add(self, profile: SellerProfile) -> None:
        with self._lock:
            if profile.seller_id in self.profiles:
                raise Conflict("this seller has a profile already")
            self.profiles[profile.seller_id] = copy.deepcopy(profile)

    def save(self, profile: SellerProfile) -> None:
        with self._lock:
            stored = self.profiles.get(profile.seller_id)
            if stored is None or stored.version != profile.version:
                raise Conflict("the profile was changed by another request; reload and try again")
            profile.version += 1
            updated = copy.deepcopy(profile)
            updated.rating_average, updated.rating_count = stored.rating_average, stored.rating_count
            updated.completed_jobs = stored.completed_jobs
            self.profiles[profile.seller_id] = updated

    def add_rating(self, seller_id: str, stars: int) -> None:
        check_stars(stars)
        with self._lock:
            profile = self.profiles.get(seller_id)
            if profile is not None:
                self.rating_sums[seller_id] = self.rating_sums.get(seller_id, 0) + stars
                profile.rating_count += 1
                profile.rating_average = rating_average(self.rating_sums[seller_id], profile.rating_count)

    def remove_rating(self, seller_id: str, stars: int) -> None:
        check_stars(stars)
        with self._lock:
            profile = self.profiles.get(seller_id)
            if profile is not None and profile.rating_count > 0:
                self.rating_sums[seller_id] = self.rating_sums.get(seller_id, 0) - stars
                profile.rating_count -= 1
                profile.rating_average = rating_average(self.rating_sums[seller_id], profile.rating_count)

    def add_completed_job(self, seller_id: str) -> None:
        with self._lock:
            if seller_id in self.profiles:
                self.profiles[seller_id].completed_jobs += 1


class InMemorySellerAccounts:
    def __init__(self, joined: dict[str, datetime] | None = None) -> None:
        self.joined: dict[str, datetime] = dict(joined or {})

    def member_since(self, seller_id: str) -> datetime | None:
        return self.joined.get(seller_id)


class InMemoryGazetteer:
    def __init__(self, places: Iterable[Place] = ()) -> None:
        self.places: dict[str, Place] = {}
        for place in places:
            self.add(place)

    def add(self, place: Place) -> None:
        self.places[normalize_area(place.name)] = place

    def locate(self, text: str) -> Place | None:
        return self.places.get(normalize_area(text))

    def load(self, places: Iterable[Place]) -> int:
        places = list(places)
        for place in places:
            self.add(place)
        return len(places)


class InMemoryPlaceSource:
    def __init__(self, places: Iterable[Place] = ()) -> None:
        self.listed = list(places)

    def places(self) -> list[Place]:
        return list(self.listed)


class InMemoryVocabulary:
    """A vocabulary of the entries given (the shipped file's, in tests that want real words)."""

    def __init__(self, entries: Iterable[VocabularyEntry] = ()) -> None:
        self.built = Vocabulary(entries)

    def vocabulary(self) -> Vocabulary:
        return self.built


class InMemorySearchFieldsBackfill:
    """The in-memory store keeps entities and derives nothing from them; it counts its runs, so a
    test sees who asked for one."""

    def __init__(self) -> None:
        self.runs = 0

    def backfill(self) -> int:
        self.runs += 1
        return 0


class InMemorySellerHours:
    """Seller id -> their bookable hours, as the orders context would answer."""

    def __init__(self) -> None:
        self.hours: dict[str, BookableHours] = {}

    def of(self, seller_id: str) -> BookableHours | None:
        return self.hours.get(seller_id)

    def adopt(self, seller_id: str, hours: list[WorkingHours], time_zone: str) -> bool:
        if seller_id in self.hours:
            return False
        self.hours[seller_id] = BookableHours(time_zone, list(hours))
        return True


class InMemorySellerAvailability:
    """Seller id -> local date -> {part of day or None for the whole day: longest job in minutes}."""

    def __init__(self) -> None:
        self.free: dict[str, dict[date, dict[str | None, int]]] = {}
        self.asked: list[tuple[date, str | None]] = []

    def set(self, seller_id: str, day: date, minutes: int, part_of_day: str | None = None) -> None:
        self.free.setdefault(seller_id, {}).setdefault(day, {})[part_of_day] = minutes

    def longest_free(self, day: date, part_of_day: str | None) -> dict[str, int]:
        self.asked.append((day, part_of_day))
        found = {seller: days.get(day, {}).get(part_of_day, 0) for seller, days in self.free.items()}
        return {seller: minutes for seller, minutes in found.items() if minutes > 0}


class InMemoryPublicLocations:
    """Moves every base the same known distance due north (none by default), so a test of search
    measures from the point it set; the keyed adapter's secrecy has tests of its own."""

    def __init__(self, offset_km: float = 0.0) -> None:
        self.offset_km = offset_km

    def public_area(self, seller_id: str, area: TravelArea) -> TravelArea:
        return area if not self.offset_km else area.around(area.base.moved(self.offset_km, 0.0))


class InMemoryImageStore:
    """Photos' bytes by (owner, image, variant); ``objects`` is there for tests to read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.objects: dict[tuple[str, str, str], StoredImage] = {}

    def put(self, owner_id: str, image_id: str, variants: dict[str, bytes], content_type: str) -> None:
        with self._lock:
            for variant, content in variants.items():
                self.objects.setdefault((owner_id, image_id, variant), StoredImage(content, content_type))

    def get(self, owner_id: str, image_id: str, variant: str) -> StoredImage | None:
        with self._lock:
            return self.objects.get((owner_id, image_id, variant))

    def delete(self, owner_id: str, image_id: str) -> None:
        with self._lock:
            for key in [k for k in self.objects if k[:2] == (owner_id, image_id)]:
                del self.objects[key]

    def image_ids(self, owner_id: str) -> list[str]:
        with self._lock:
            return sorted({image for owner, image, _ in self.objects if owner == owner_id})
