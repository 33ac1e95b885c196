"""What a buyer asks the catalog: validated filters and a sort, independent of any database."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.catalog.categories import category
from domain.catalog.geo import MAX_TRAVEL_RADIUS_KM, GeoPoint, check_radius
from domain.catalog.keywords import normalize_area, words
from domain.catalog.service import MAX_PRICE_MINOR_UNITS, PriceModel, Service
from domain.catalog.vocabulary import QueryTerms, Suggestion, Vocabulary, terms_for
from domain.shared.errors import InvalidInput
from domain.shared.money import CURRENCY_EXPONENTS
from application.shared.pagination import Page

MAX_QUERY_CHARS = 200
MAX_QUERY_KEYWORDS = 12
MAX_FILTER_CATEGORIES = 20


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    RATING = "rating"
    DISTANCE = "distance"


PARTS_OF_DAY = ("morning", "afternoon", "evening")


@dataclass(frozen=True)
class ServiceSearch:
    """Only listed services (active, seller taking jobs) are ever searched.

    ``terms`` is ``q`` expanded into index keys per relevance tier (``domain/catalog/vocabulary.py``:
    built from the words alone here, with the vocabulary's trades and typo fixes by the use case);
    ``keywords`` holds all of them: a service matches when it has any, and ranks by the best tier
    it is in, then by its rank. Price bounds are minor units, inclusive, and leave
    out services on quote (they have no price).

    Near a buyer (``near``, a point, with ``near_keys`` when it came from a postal code or city):
    only services whose seller's travel radius covers the point, or that list one of
    ``near_keys`` in their areas, within ``radius_km`` of the buyer. Distance is the sort or,
    after any other sort's keys, the tie-break. ``available_on``: only services whose seller
    can start a job that long on that local date (and ``part_of_day``); the use case resolves
    it into ``free_sellers`` (seller id -> longest job in minutes)."""

    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    q: str | None = None
    terms: QueryTerms = field(default_factory=QueryTerms)
    min_price: int | None = None
    max_price: int | None = None
    currency: str | None = None
    area: str | None = None
    min_rating: float | None = None
    seller_id: str | None = None
    price_model: PriceModel | None = None
    sort: SortOrder = SortOrder.NEWEST
    near: GeoPoint | None = None
    near_place: str | None = None  # a postal code or city the use case resolves into near
    near_keys: tuple[str, ...] = ()
    radius_km: float = MAX_TRAVEL_RADIUS_KM
    available_on: date | None = None
    part_of_day: str | None = None
    free_sellers: Mapping[str, int] | None = None

    @property
    def located(self) -> bool:
        return self.near is not None or self.near_place is not None

    @classmethod
    def build(cls, *, categories: list[str] | tuple[str, ...] = (), q: str | None = None,
              min_price: int | None = None, max_price: int | None = None, currency: str | None = None,
              area: str | None = None, min_rating: float | None = None, seller_id: str | None = None,
              price_model: str | None = None, sort: str | None = None, lat: float | None = None,
              lng: float | None = None, near: str | None = None, radius_km: float | None = None,
              available_on: date | None = None, part_of_day: str | None = None) -> ServiceSearch:
        if len(categories) > MAX_FILTER_CATEGORIES:
            raise InvalidInput(f"at most {MAX_FILTER_CATEGORIES} categories", field="category")
        slugs = tuple(sorted({category(c).slug for c in categories}))
        if q is not None and len(q) > MAX_QUERY_CHARS:
            raise InvalidInput(f"must have at most {MAX_QUERY_CHARS} characters", field="q")
        asked = tuple(words(q or ""))
        if len(asked) > MAX_QUERY_KEYWORDS:
            raise InvalidInput(f"use at most {MAX_QUERY_KEYWORDS} words", field="q")
        terms = terms_for(asked)
        keywords = terms.keys
        for name, value in (("min_price", min_price), ("max_price", max_price)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value <= MAX_PRICE_MINOR_UNITS):
                raise InvalidInput(f"must be a whole number of minor units, 0 to {MAX_PRICE_MINOR_UNITS}",
                                   field=name)
        if min_price is not None and max_price is not None and min_price > max_price:
            raise InvalidInput("must not be above max_price", field="min_price")
        if currency is not None and currency not in CURRENCY_EXPONENTS:
            raise InvalidInput(f"unsupported currency {currency!r}", field="currency")
        if min_rating is not None and not 0 <= min_rating <= 5:
            raise InvalidInput("must be between 0 and 5", field="min_rating")
        area_key = None
        if area is not None:
            area_key = normalize_area(area)
            if not 2 <= len(area_key) <= 80:
                raise InvalidInput("a city or postal code of 2 to 80 characters", field="area")
        model = None
        if price_model is not None:
            try:
                model = PriceModel(price_model)
            except ValueError:
                raise InvalidInput("must be one of fixed, hourly, quote", field="price_model") from None
        try:
            order = SortOrder(sort) if sort is not None else None
        except ValueError:
            raise InvalidInput("must be one of " + ", ".join(s.value for s in SortOrder), field="sort") from None
        if order is SortOrder.RELEVANCE and q is None:
            raise InvalidInput("relevance needs a text query q", field="sort")
        point, place = _location(lat, lng, near)
        if order is SortOrder.DISTANCE and point is None and place is None:
            raise InvalidInput("distance needs a place: near, or lat and lng", field="sort")
        if radius_km is not None:
            if point is None and place is None:
                raise InvalidInput("a radius needs a place: near, or lat and lng", field="radius_km")
            check_radius(radius_km, field="radius_km")
        if part_of_day is not None:
            if part_of_day not in PARTS_OF_DAY:
                raise InvalidInput("must be one of " + ", ".join(PARTS_OF_DAY), field="part_of_day")
            if available_on is None:
                raise InvalidInput("a part of the day needs a date, available_on", field="part_of_day")
        if available_on is not None and not isinstance(available_on, date):
            raise InvalidInput("a date, YYYY-MM-DD", field="available_on")
        if order is None or (order is SortOrder.RELEVANCE and not keywords):
            # A q made only of stop words filters nothing, so there is nothing to rank by.
            if keywords:
                order = SortOrder.RELEVANCE
            else:
                order = SortOrder.DISTANCE if point is not None or place is not None else SortOrder.NEWEST
        return cls(categories=slugs, keywords=keywords, q=q if keywords else None, terms=terms,
                   min_price=min_price, max_price=max_price,
                   currency=currency, area=area_key, min_rating=min_rating, seller_id=seller_id,
                   price_model=model, sort=order, near=point, near_place=place,
                   radius_km=radius_km if radius_km is not None else MAX_TRAVEL_RADIUS_KM,
                   available_on=available_on, part_of_day=part_of_day)

    def understood_with(self, vocabulary: Vocabulary) -> ServiceSearch:
        """The query expanded with the vocabulary: the trades it names and its typos fixed."""
        if self.q is None:
            return self
        terms = vocabulary.expand(self.q)
        return dataclasses.replace(self, terms=terms, keywords=terms.keys)

    def without_categories(self) -> ServiceSearch:
        return dataclasses.replace(self, categories=())

    def longest_free(self, seller_id: str) -> int:
        return (self.free_sellers or {}).get(seller_id, 0)


# Near a place, relevance puts nearer services first within a tier, in bands this wide, so that
# the rank (rating, reviews, jobs) still decides between services a few minutes apart.
DISTANCE_BAND_KM = 5.0
# Services covered by name only (no travel area, so no distance) come after measured ones.
BEYOND_ANY_BAND = 10**9


def near_relevance_key(tier: int, distance_km: float | None, rank: int) -> tuple:
    """The order of relevance near a place (ascending): the best tier, the nearer band, the
    better rank, then the nearer service."""
    if distance_km is None:
        return (tier, BEYOND_ANY_BAND, -rank, float(BEYOND_ANY_BAND))
    return (tier, int(distance_km // DISTANCE_BAND_KM), -rank, distance_km)


def _location(lat: float | None, lng: float | None, near: str | None) -> tuple[GeoPoint | None, str | None]:
    if near is not None:
        if lat is not None or lng is not None:
            raise InvalidInput("give either near or lat and lng, not both", field="near")
        if not 2 <= len(normalize_area(near)) <= 80:
            raise InvalidInput("a postal code or city of 2 to 80 characters", field="near")
        return None, near
    if (lat is None) != (lng is None):
        raise InvalidInput("give lat and lng together", field="lng" if lng is None else "lat")
    return (GeoPoint(lat, lng) if lat is not None else None), None


@dataclass(frozen=True)
class SearchResult:
    """A page of services, and per category how many services match every filter except the
    category one, so a client can show how many it would get by switching or adding a chip."""

    page: Page[Service]
    category_counts: dict[str, int] = field(default_factory=dict)
    # For a search near a place: service id -> km from the buyer (None: covered by name only).
    distances_km: dict[str, float | None] = field(default_factory=dict)
    # When nothing matched: what would find something (``NoMatchHints``).
    hints: NoMatchHints | None = None


@dataclass(frozen=True)
class NoMatchHints:
    """What to offer a buyer whose search found nothing: the categories nearest to what they
    typed (with how many services each has), a wider radius that finds some (km, and how many),
    and the filters whose removal alone would find some (filter name -> how many)."""

    categories: dict[str, int] = field(default_factory=dict)
    wider_radius_km: float | None = None
    wider_radius_count: int = 0
    without_filters: dict[str, int] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestions:
    """What the search box offers while a buyer types."""

    items: list[Suggestion] = field(default_factory=list)
