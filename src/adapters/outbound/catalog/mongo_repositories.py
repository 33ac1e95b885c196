"""MongoDB adapters of the catalog ports. Search runs on raw pymongo documents with a
projection and maps them straight to entities: no mongoengine instances on the hot path.

No query is hinted. ``query_shapes.index_for`` still checks every shape against the declared
indexes (a shape they do not cover fails loudly in tests), and with one index per shape, led by
its equality fields and then its sort, MongoDB's planner picks that index by itself. A hint would
add nothing there, and the local MongoDB-compatible server answers a hinted query by walking the
whole index and decoding every document in it: a category page at 10,000 services took 0.9 s
hinted and 0.05 s not."""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from pymongo import ReplaceOne, UpdateOne
from pymongo.errors import DuplicateKeyError, OperationFailure

from adapters.outbound.catalog.grid_cells import cell_of, cells_within
from adapters.outbound.catalog.mongo_documents import (
    CELL_FIELD,
    GEO_FIELD,
    NEWEST_KEYS,
    REPLACED_GEO_INDEXES,
    RANK_KEYS,
    PlaceDocument,
    SellerProfileDocument,
    ServiceDocument,
)
from adapters.outbound.mongo.inserts import insert_once
from adapters.outbound.mongo.unit_of_work import ambient_session
from adapters.outbound.catalog.query_shapes import (
    SORT_KEYS,
    by_name_shape,
    driver_of,
    facets_shape,
    index_for,
    items_shape,
    near_by_cells,
    near_index_for,
    page_sort_keys,
    ranked_in_memory,
    suggest_shape,
)
from application.catalog.search import ServiceSearch, SortOrder, near_relevance_key
from application.shared.pagination import Page, PageRequest
from domain.catalog.geo import GeoPoint, Place, TravelArea
from domain.catalog.keywords import FIRST_LEGACY_KEY, TITLE, index_keys, normalize_area
from domain.catalog.profile import Presentation, SellerProfile, WorkingHours
from domain.catalog.service import (
    PRIOR_REVIEWS,
    PRIOR_STARS,
    RANK_CAP,
    PriceModel,
    SellerCard,
    Service,
    ServiceStatus,
    relevance_rank,
)
from domain.catalog.vocabulary import Suggestion
from domain.shared.clock import utc
from domain.catalog.validation import check_stars
from domain.shared.errors import Conflict, InvalidInput
from domain.shared.money import Money

# What a search result needs; the keyword and area arrays (and the search-only cell) stay on the server.
SERVICE_PROJECTION = {"keywords": 0, "area_keys": 0, "listed": 0, "rating_sum": 0, "rank": 0, CELL_FIELD: 0}
# Before uploads, profiles and services held links the seller typed (never fetched, sniffed or
# stripped by us): they are not shown any more, and go from a document at its next save and from
# every document at start (drop_legacy_photo_links), so no copy outlives an erasure.
LEGACY_PHOTO_FIELDS = {"profile": {"photo_url": ""}, "service": {"image_urls": ""}}
INDEX_NOT_FOUND = 27  # MongoDB's error code for dropping an index that is not there
# Sorts services covering the buyer by name only (no travel area, so no distance) after the rest.
BEYOND_ANY_DISTANCE = 1e12


def point_to_raw(point: GeoPoint) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [point.lng, point.lat]}


def point_from_raw(raw: dict[str, Any]) -> GeoPoint:
    lng, lat = raw["coordinates"]
    return GeoPoint(lat, lng)


def area_to_raw(area: TravelArea | None) -> dict[str, Any]:
    """The travel-area fields; absent, not null, without one."""
    return {GEO_FIELD: point_to_raw(area.base), "travel_radius_km": area.radius_km} if area else {}


def service_area_to_raw(area: TravelArea | None) -> dict[str, Any]:
    """A service's travel-area fields: the profile's, and the grid cell that search near a buyer
    looks the service up by (derived from the point, which stays the source of truth)."""
    return {**area_to_raw(area), CELL_FIELD: cell_of(area.base)} if area else {}


def area_from_raw(raw: dict[str, Any]) -> TravelArea | None:
    if not raw.get(GEO_FIELD):
        return None
    return TravelArea(point_from_raw(raw[GEO_FIELD]), raw["travel_radius_km"])


def card_to_raw(card: SellerCard) -> dict[str, Any]:
    return {"display_name": card.display_name, "photo_url": card.photo_url,
            "rating_average": float(card.rating_average), "rating_count": card.rating_count,
            "completed_jobs": card.completed_jobs, "member_since": card.member_since}


def card_from_raw(raw: dict[str, Any] | None) -> SellerCard:
    if not raw:
        return SellerCard()
    since = raw.get("member_since")
    return SellerCard(display_name=raw.get("display_name") or "", photo_url=raw.get("photo_url"),
                      rating_average=raw.get("rating_average", 0.0), rating_count=raw.get("rating_count", 0),
                      completed_jobs=raw.get("completed_jobs", 0), member_since=utc(since) if since else None)


def service_to_raw(service: Service) -> dict[str, Any]:
    return {
        "_id": service.id, "seller_id": service.seller_id, "title": service.title,
        "description": service.description, "category": service.category,
        "price_model": service.price_model.value,
        "price_amount": service.price.amount if service.price else None,
        "price_currency": service.price.currency if service.price else None,
        "duration_minutes": service.duration_minutes, "service_areas": list(service.service_areas),
        "area_keys": service.area_keys, "photo_ids": list(service.photo_ids), "tags": list(service.tags),
        "keywords": service.keywords, "status": service.status.value,
        "seller_accepting_jobs": service.seller_accepting_jobs, "listed": service.is_listed,
        "rating_average": float(service.rating_average), "rating_count": service.rating_count,
        "rank": service.rank, "seller_completed_jobs": service.seller_completed_jobs,
        "created_at": service.created_at, "updated_at": service.updated_at, "version": service.version,
        "seller": card_to_raw(service.seller), **service_area_to_raw(service.travel_area),
    }


def service_from_raw(raw: dict[str, Any]) -> Service:
    amount = raw.get("price_amount")
    return Service(
        id=raw["_id"], seller_id=raw["seller_id"], title=raw["title"], description=raw["description"],
        category=raw["category"], price_model=PriceModel(raw["price_model"]),
        price=Money(amount, raw["price_currency"]) if amount is not None else None,
        duration_minutes=raw["duration_minutes"], service_areas=raw.get("service_areas", []),
        photo_ids=raw.get("photo_ids", []), tags=raw.get("tags", []), status=ServiceStatus(raw["status"]),
        created_at=utc(raw["created_at"]), updated_at=utc(raw["updated_at"]),
        rating_average=raw.get("rating_average", 0.0), rating_count=raw.get("rating_count", 0),
        seller_accepting_jobs=raw["seller_accepting_jobs"], version=raw.get("version", 0),
        travel_area=area_from_raw(raw), seller=card_from_raw(raw.get("seller")),
        seller_completed_jobs=raw.get("seller_completed_jobs", 0))


def _search_filter(search: ServiceSearch) -> dict[str, Any]:
    query: dict[str, Any] = {"listed": True}
    if search.categories:
        query["category"] = search.categories[0] if len(search.categories) == 1 else {"$in": list(search.categories)}
    if search.keywords:
        query["keywords"] = {"$in": list(search.keywords)}
    if search.area is not None:
        query["area_keys"] = search.area
    if search.seller_id is not None:
        query["seller_id"] = search.seller_id
    if search.price_model is not None:
        query["price_model"] = search.price_model.value
    if search.currency is not None:
        query["price_currency"] = search.currency
    # Inclusive bounds on the high side of an index key are written as the exclusive bound of the
    # next value (prices are whole minor units, ratings doubles): the same documents on MongoDB,
    # and the local server's compound-index range scan drops the keys equal to an inclusive one
    # (a max_price of 4500 lost every service at exactly 4500).
    price: dict[str, int] = {}
    if search.min_price is not None:
        price["$gte"] = search.min_price
    if search.max_price is not None:
        price["$lt"] = search.max_price + 1
    if price:
        query["price_amount"] = price
    if search.min_rating is not None:
        # rating_average is descending in its indexes: ">= x" is the high side there.
        query["rating_average"] = {"$gt": math.nextafter(float(search.min_rating), -math.inf)}
    if search.free_sellers is not None:
        query["$or"] = _free_sellers_filter(search.free_sellers)
    return query


def _free_sellers_filter(free: dict[str, int]) -> list[dict[str, Any]]:
    """A service of d minutes matches when its seller's longest free job that day is >= d. One
    clause per distinct length, each with its sellers: the clauses hold each free seller once, and
    are few (working hours fall on the quarter hour and buffers on 5 minutes; only time off at an
    odd minute makes another length)."""
    by_minutes: dict[int, list[str]] = defaultdict(list)
    for seller_id, minutes in free.items():
        by_minutes[minutes].append(seller_id)
    return [{"seller_id": {"$in": sorted(ids)}, "duration_minutes": {"$lte": minutes}}
            for minutes, ids in sorted(by_minutes.items())]


# What deciding coverage, the seller's free time and counting need of a document near a buyer.
COVERAGE_FIELDS = ("category", GEO_FIELD, "travel_radius_km", "seller_id", "duration_minutes")


def _near_filter(search: ServiceSearch) -> dict[str, Any]:
    """The search's filters but the free sellers', which ``_near`` checks on each document: the
    local server plans a filter with a top-level ``$or`` as a collection scan (all 10,000 documents
    read for 46 within the radius in the bench), and MongoDB checks that clause on the fetched
    document anyway, so it examines the same either way."""
    return _search_filter(dataclasses.replace(search, free_sellers=None))


def near_queries(search: ServiceSearch) -> list[dict[str, Any]]:
    """The located half of a search near a buyer, as sent (the bench explains it): the services
    whose base lies in a grid cell the buyer's radius reaches, with the other filters. The cells
    are a superset of the radius; the haversine in ``_near`` decides. A seller's or an area's
    search has no cells: its own index yields its few services, each decided the same way.

    One query per value of the driver (each category, each keyword), the same index keys in all
    as one ``$in`` would read on MongoDB: the local stand-in serves an equality prefix and one
    ``$in`` from a compound index, but a second ``$in`` sends it through every listed service.
    A service found under two keywords comes twice; ``_near`` keeps it once."""
    assert search.near is not None
    filters = _near_filter(search)
    if not near_by_cells(search):
        return [filters]
    located = {**filters, CELL_FIELD: {"$in": cells_within(search.near, search.radius_km)}}
    driver = driver_of(search)
    values = {"category": search.categories, "keywords": search.keywords}.get(driver or "", ())
    if not values:
        return [located]
    return [{**located, driver: value} for value in values]


def _by_name_filter(search: ServiceSearch, filters: dict[str, Any]) -> dict[str, Any]:
    """Services with no travel area that list the buyer's place (an ``area`` filter is on the
    same field, so both are then ANDed)."""
    named: dict[str, Any] = {"area_keys": {"$in": list(search.near_keys)}}
    if "area_keys" in filters:
        named = {"$and": [{"area_keys": filters["area_keys"]}, named]}
    return {**{k: v for k, v in filters.items() if k != "area_keys"}, **named, GEO_FIELD: {"$exists": False}}


def _rank(raw: dict[str, Any]) -> int:
    return relevance_rank(raw.get("rating_average") or 0.0, raw.get("rating_count") or 0,
                          raw.get("seller_completed_jobs") or 0)


def _near_sort(search: ServiceSearch) -> dict[str, int]:
    """Any sort but relevance (``_order_near`` orders that one by ``near_relevance_key``)."""
    if search.sort is SortOrder.DISTANCE:
        return {"_d": 1, "_id": 1}
    keys = list(SORT_KEYS[search.sort])
    *primary, (_, id_direction) = keys
    return {**dict(primary), "_d": 1, "_id": id_direction}


def _order_near(found: list[tuple[dict[str, Any], float | None]], search: ServiceSearch) -> None:
    """Sorts in place as MongoDB's $sort would by ``_near_sort``: a missing value (a price on
    quote) below every value, services covered by name only (no distance) after the rest. Stable
    sorts from the least significant key, so a descending key keeps the others' order. Relevance
    near a place: ``near_relevance_key`` (the tier, the distance band, the rank)."""
    if search.sort is SortOrder.RELEVANCE:
        found.sort(key=lambda row: row[0]["_id"], reverse=True)
        found.sort(key=lambda row: near_relevance_key(search.terms.tier_of(row[0].get("keywords") or ()) or 0,
                                                      row[1], _rank(row[0])))
        return

    def value(name: str) -> Callable[[tuple[dict[str, Any], float | None]], Any]:
        if name == "_d":
            return lambda row: BEYOND_ANY_DISTANCE if row[1] is None else row[1]
        return lambda row: (0, 0) if row[0].get(name) is None else (1, row[0][name])

    for name, direction in reversed(_near_sort(search).items()):
        found.sort(key=value(name), reverse=direction < 0)


def relevance_queries(search: ServiceSearch) -> list[dict[str, Any]]:
    """The page queries of relevance, as sent (the bench explains them): one per tier of the
    query's keys, best first, each the search's filters with the tier's keys as the keywords
    ``$in``; sorted by ``RANK_KEYS``, so MongoDB merges the index ranges of the tier's keys in
    rank order and stops at the limit."""
    base = _search_filter(search)
    return [{**base, "keywords": {"$in": list(tier)}} for tier in search.terms.tiers]


# Keeps the stored rank in step with its inputs (``Service.rank``): the same operations, in the
# same order, as ``relevance_rank``.
RANK_UPDATE: dict[str, Any] = {"$set": {"rank": {"$add": [
    {"$multiply": [{"$round": [{"$divide": [
        {"$multiply": [100, {"$add": [{"$multiply": [{"$ifNull": ["$rating_average", 0.0]},
                                                    {"$ifNull": ["$rating_count", 0]}]},
                                      PRIOR_STARS * PRIOR_REVIEWS]}]},
        {"$add": [{"$ifNull": ["$rating_count", 0]}, PRIOR_REVIEWS]}]}, 0]}, 1_000_000]},
    {"$multiply": [{"$min": [{"$ifNull": ["$rating_count", 0]}, RANK_CAP]}, 1_000]},
    {"$min": [{"$ifNull": ["$seller_completed_jobs", 0]}, RANK_CAP]},
]}}}


class TtlCache:
    """Values by key for a few seconds, at most ``size`` of them (the oldest dropped first)."""

    def __init__(self, ttl_seconds: float, size: int = 2_000, now: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._size, self._now = ttl_seconds, size, now
        self._lock = threading.Lock()
        self._kept: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and self._now() < kept[0]:
                return list(kept[1])
        value = compute()
        with self._lock:
            if len(self._kept) >= self._size:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = (self._now() + self._ttl, value)
        return list(value)


class CatalogCounts:
    """The count per category of the whole catalog (every listed service), kept for a few seconds.

    Every browse page and the category list ask for it, and it reads every listed service: at
    100,000 services that is 100,000 index keys on MongoDB and seconds on the local server, per
    request. Searches with any other filter count only what their filters leave and are not
    kept. This process's own writes drop the copy at once; another worker's show within
    ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float, now: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._now = now
        self._lock = threading.Lock()
        self._counting = threading.Lock()
        self._kept: tuple[float, dict[str, int]] | None = None
        self._generation = 0

    def get(self, count: Callable[[], dict[str, int]]) -> dict[str, int]:
        if self._ttl <= 0:
            return count()
        kept = self._fresh()
        if kept is not None:
            return kept
        # One count at a time per worker: when the copy expires under load, the worker's other
        # threads wait for that count instead of each reading the whole catalog at once.
        with self._counting:
            kept = self._fresh()
            if kept is not None:
                return kept
            with self._lock:
                generation = self._generation
            expires = self._now() + self._ttl
            counts = count()
            with self._lock:
                # A write during the count may be missing from it: keep it only if none happened.
                if generation == self._generation:
                    self._kept = (expires, counts)
            return dict(counts)

    def _fresh(self) -> dict[str, int] | None:
        with self._lock:
            kept = self._kept
        return dict(kept[1]) if kept is not None and self._now() < kept[0] else None

    def forget(self) -> None:
        with self._lock:
            self._kept = None
            self._generation += 1


def _catalog_wide(search: ServiceSearch) -> bool:
    """True when the counts ignore nothing but the categories: the whole listed catalog."""
    return search.without_categories() == ServiceSearch(sort=search.sort)


class MongoServiceRepository:
    SUGGESTIONS_TTL_SECONDS = 30.0

    def __init__(self, counts_ttl_seconds: float = 0.0, now: Callable[[], float] = time.monotonic) -> None:
        self._counts = CatalogCounts(counts_ttl_seconds, now)
        self._suggestions = TtlCache(self.SUGGESTIONS_TTL_SECONDS, now=now)

    def _collection(self):
        return ServiceDocument._get_collection()

    def add(self, service: Service) -> None:
        try:
            insert_once(self._collection(), service_to_raw(service))
        except DuplicateKeyError as error:
            raise Conflict("a service with this id exists already") from error
        finally:
            self._counts.forget()

    def add_many(self, services: Iterable[Service]) -> None:
        raws = [service_to_raw(s) for s in services]
        if raws:
            try:
                self._collection().insert_many(raws, ordered=False)
            finally:
                self._counts.forget()

    def get(self, service_id: str) -> Service | None:
        if not isinstance(service_id, str):
            return None
        raw = self._collection().find_one({"_id": service_id}, SERVICE_PROJECTION)
        return service_from_raw(raw) if raw else None

    def save(self, service: Service) -> None:
        fields = service_to_raw(service)
        fields.pop("_id")
        # Ratings move only through add_rating, the travel area and the seller's card only with the profile: a
        # concurrent edit must not roll them back.
        for owned_elsewhere in ("rating_average", "rating_count", "rank", "seller_completed_jobs", GEO_FIELD,
                                "travel_radius_km", CELL_FIELD, "seller"):
            fields.pop(owned_elsewhere, None)
        fields["version"] = service.version + 1
        try:
            result = self._collection().update_one({"_id": service.id, "version": service.version},
                                                   {"$set": fields, "$unset": LEGACY_PHOTO_FIELDS["service"]})
        finally:
            self._counts.forget()
        if result.matched_count == 0:
            raise Conflict("the service was changed by another request; reload and try again")
        service.version += 1

    def list_by_seller(self, seller_id: str, statuses: frozenset[ServiceStatus], page: PageRequest) -> Page[Service]:
        query = {"seller_id": seller_id, "status": {"$in": sorted(s.value for s in statuses)}}
        collection = self._collection()
        cursor = (collection.find(query, SERVICE_PROJECTION).sort(list(NEWEST_KEYS))
                  .skip(page.offset).limit(page.page_size))
        items = [service_from_raw(raw) for raw in cursor]
        return Page(items, collection.count_documents(query), page)

    def list_listed_by_seller(self, seller_id: str, limit: int) -> list[Service]:
        search = ServiceSearch(seller_id=seller_id)
        query = _search_filter(search)
        index_for(items_shape(search))
        cursor = self._collection().find(query, SERVICE_PROJECTION).sort(list(NEWEST_KEYS)).limit(limit)
        return [service_from_raw(raw) for raw in cursor]

    def set_seller_accepting_jobs(self, seller_id: str, accepting: bool) -> None:
        # One pipeline update: each service's flag and "listed" change together, and the version
        # moves, so an edit read before this change fails on save instead of restoring the old flag.
        listed = {"$and": [accepting, {"$eq": ["$status", ServiceStatus.ACTIVE.value]}]}
        try:
            self._collection().update_many(
                {"seller_id": seller_id},
                [{"$set": {"seller_accepting_jobs": accepting, "listed": listed,
                           "version": {"$add": ["$version", 1]}}}])
        finally:
            self._counts.forget()

    def set_seller_travel_area(self, seller_id: str, area: TravelArea | None) -> None:
        change: dict[str, Any] = {"$inc": {"version": 1}}
        if area is None:
            change["$unset"] = {GEO_FIELD: "", "travel_radius_km": "", CELL_FIELD: ""}
        else:
            change["$set"] = service_area_to_raw(area)
        self._collection().update_many({"seller_id": seller_id}, change)

    def set_seller_card(self, seller_id: str, card: SellerCard) -> None:
        # Not versioned: save() never writes the card, so an edit read before this cannot undo it.
        self._collection().update_many({"seller_id": seller_id}, {"$set": {"seller": card_to_raw(card)}},
                                       session=ambient_session())

    def _near(self, search: ServiceSearch, projection: dict[str, int]) -> list[tuple[dict[str, Any], float | None]]:
        """Every service covering the buyer, with its distance (None: covered by name only).

        The grid cells the buyer's radius reaches with the other filters, on the index led by the
        search's equality fields and the cell (``query_shapes.near_index_for``), so MongoDB reads
        only those fields' services in those cells; the distance, the buyer's radius and each
        document's own travel radius are then decided here (a query cannot compare a distance
        with a per-document radius).
        Near a named place, services with no travel area that list it come by name from the
        ``area_keys`` index. The results are bounded by the radius, so they are few enough to
        order in memory."""
        if search.near is None:
            raise ValueError("resolve the buyer's place into a point before searching near it")
        near_index_for(search)  # fails loudly if the declarations lost the index this shape needs
        keys = set(search.near_keys)

        def free(raw: dict[str, Any]) -> bool:
            return search.free_sellers is None or search.longest_free(raw["seller_id"]) >= raw["duration_minutes"]

        collection = self._collection()
        found: list[tuple[dict[str, Any], float | None]] = []
        seen: set[str] = set()
        for raw in (raw for query in near_queries(search) for raw in collection.find(query, projection)):
            if raw["_id"] in seen:
                continue
            seen.add(raw["_id"])
            if GEO_FIELD not in raw:
                continue  # a seller's or an area's service with no travel area: by name below, or not at all
            km = point_from_raw(raw[GEO_FIELD]).distance_km(search.near)
            if (km <= search.radius_km and free(raw)
                    and (km <= raw["travel_radius_km"] or keys.intersection(raw.get("area_keys", ())))):
                found.append((raw, km))
        shape = by_name_shape(search)
        if shape is not None:
            index_for(shape)
            named = collection.find(_by_name_filter(search, _near_filter(search)), projection)
            found += [(raw, None) for raw in named if free(raw)]
        return found

    def find_page_near(self, search: ServiceSearch, page: PageRequest) -> list[tuple[Service, float | None]]:
        # Whole documents at once: MongoDB fetches each match anyway, and a second read of the
        # page by id would fetch its documents twice. Area keys decide coverage by name, keywords relevance.
        needed = {"area_keys"} if search.near_keys else set()
        if search.sort is SortOrder.RELEVANCE:
            needed.add("keywords")
        found = self._near(search, {k: v for k, v in SERVICE_PROJECTION.items() if k not in needed})
        _order_near(found, search)
        return [(service_from_raw(raw), km) for raw, km in found[page.offset:page.offset + page.page_size]]

    def find_page(self, search: ServiceSearch, page: PageRequest) -> list[Service]:
        query = _search_filter(search)
        index_for(items_shape(search))
        collection = self._collection()
        if search.sort is SortOrder.RELEVANCE:
            raws = self._ranked(search, page) if ranked_in_memory(search) else self._by_tiers(search, page)
        else:
            raws = (collection.find(query, SERVICE_PROJECTION).sort(list(page_sort_keys(search)))
                    .skip(page.offset).limit(page.page_size))
        return [service_from_raw(raw) for raw in raws]

    def _by_tiers(self, search: ServiceSearch, page: PageRequest) -> list[dict[str, Any]]:
        """Relevance from index order (``relevance_queries``): each tier's query walks the
        keywords index in rank order and stops at the page's end. A service of an earlier tier
        comes again in a later one (it has keys of both): it is kept once, where it came first,
        so each tier asks for the whole page's end, at most what the earlier tiers gave more."""
        wanted = page.offset + page.page_size
        taken: dict[str, dict[str, Any]] = {}
        for query in relevance_queries(search):
            for raw in self._collection().find(query, SERVICE_PROJECTION).sort(list(RANK_KEYS)).limit(wanted):
                taken.setdefault(raw["_id"], raw)
            if len(taken) >= wanted:
                break
        return list(taken.values())[page.offset:wanted]

    def _ranked(self, search: ServiceSearch, page: PageRequest) -> list[dict[str, Any]]:
        """A seller's own search with words: their few matching services, ranked here."""
        projection = {k: v for k, v in SERVICE_PROJECTION.items() if k != "keywords"}
        raws = list(self._collection().find(_search_filter(search), projection))
        raws.sort(key=lambda raw: raw["_id"], reverse=True)
        raws.sort(key=lambda raw: (search.terms.tier_of(raw["keywords"]), -_rank(raw)))
        page_raws = raws[page.offset:page.offset + page.page_size]
        return [{k: v for k, v in raw.items() if k != "keywords"} for raw in page_raws]

    def suggest_titles(self, prefix: str, limit: int) -> list[Suggestion]:
        """One query on the keywords index: the title keys starting with the prefix, in key
        order, at most ``limit`` services read; kept a few seconds per prefix, as every keystroke
        asks again."""
        if limit <= 0:
            return []
        return self._suggestions.get((prefix, limit), lambda: self._suggest(prefix, limit))

    def _suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        index_for(suggest_shape())
        start = TITLE + prefix
        query = {"listed": True, "keywords": {"$gte": start, "$lt": start + "\U0010ffff"}}
        projection = {"title": 1, "category": 1, "rating_average": 1, "rating_count": 1, "seller_completed_jobs": 1}
        raws = list(self._collection().find(query, projection).limit(limit))
        raws.sort(key=lambda raw: (_rank(raw), raw["_id"]), reverse=True)
        return [Suggestion(raw["title"], "service", raw["category"], service_id=raw["_id"]) for raw in raws]

    def count_by_category(self, search: ServiceSearch) -> dict[str, int]:
        """A second aggregation rather than $facet: the counts ignore the category filter, so
        they need their own $match, and a $facet sub-pipeline cannot use an index."""
        loose = search.without_categories()
        group = {"$group": {"_id": "$category", "count": {"$sum": 1}}}
        if search.near is not None:
            fields = (*COVERAGE_FIELDS, "area_keys") if loose.near_keys else COVERAGE_FIELDS
            return dict(Counter(raw["category"] for raw, _ in self._near(loose, dict.fromkeys(fields, 1))))
        index_for(facets_shape(search))

        def count() -> dict[str, int]:
            rows = self._collection().aggregate([{"$match": _search_filter(loose)}, group])
            return {row["_id"]: row["count"] for row in rows}

        return self._counts.get(count) if _catalog_wide(loose) else count()

    def add_rating(self, service_id: str, stars: int) -> None:
        check_stars(stars)
        # Inside the reviews' unit of work: lands with the review that is published, or not at all.
        self._collection().update_one({"_id": service_id}, [*_fold_rating_update(stars), RANK_UPDATE],
                                      session=ambient_session())

    def remove_rating(self, service_id: str, stars: int) -> None:
        check_stars(stars)
        self._collection().update_one({"_id": service_id, "rating_count": {"$gt": 0}},
                                      [*_fold_rating_update(-stars, -1), RANK_UPDATE], session=ambient_session())

    def add_seller_completed_job(self, seller_id: str) -> None:
        # Inside the orders' completing unit of work, beside the profile's own counter.
        self._collection().update_many(
            {"seller_id": seller_id},
            [{"$set": {"seller_completed_jobs": {"$add": [{"$ifNull": ["$seller_completed_jobs", 0]}, 1]}}},
             RANK_UPDATE], session=ambient_session())


class MongoServiceCellsBackfill:
    """Gives every located service written before cells existed the grid cell of its base point:
    until then search near a buyer cannot find it. Drops the 2dsphere indexes the cells replaced,
    which only slow writes now. Idempotent, and each write is conditional on the point it read, so
    a seller moving meanwhile keeps the cell their move wrote. Runs at every start (``bootstrap``)
    and as ``flask catalog-backfill-cells``, so it must be cheap when there is nothing to do: a
    missing cell is a null key of the cell index led by ``listed``, one equality per value of
    ``listed``, and only services with no travel area (no cell ever) are read besides the stale
    ones, never the whole collection. (A later grid would name a new field, not reuse this one.)

    It also rewrites the search keys of services written before keys carried their field (bare
    stems, at or after ``FIRST_LEGACY_KEY``, where every current key sorts before it: one index
    range per value of ``listed``, empty once done), with the rank and the seller's completed
    jobs relevance orders by; each write is conditional on the keys it read, so an edit meanwhile
    keeps its own."""

    BATCH = 500

    def _collection(self):
        return ServiceDocument._get_collection()

    def backfill(self) -> int:
        return self._backfill_cells() + self._backfill_keys()

    def _backfill_keys(self) -> int:
        collection = self._collection()
        fields = {"title": 1, "description": 1, "tags": 1, "category": 1, "keywords": 1, "seller_id": 1}
        changed = 0
        for listed in (True, False):
            stale = list(collection.find({"listed": listed, "keywords": {"$gte": FIRST_LEGACY_KEY}}, fields))
            for start in range(0, len(stale), self.BATCH):
                batch = stale[start:start + self.BATCH]
                sellers = {raw["seller_id"] for raw in batch}
                jobs = {raw["_id"]: raw.get("completed_jobs", 0) for raw in SellerProfileDocument._get_collection()
                        .find({"_id": {"$in": sorted(sellers)}}, {"completed_jobs": 1})}
                writes = [UpdateOne({"_id": raw["_id"], "keywords": raw["keywords"]},
                                    [{"$set": {"keywords": {"$literal": index_keys(
                                        category=raw["category"], title=raw["title"], tags=raw.get("tags") or [],
                                        description=raw["description"])},
                                               "seller_completed_jobs": jobs.get(raw["seller_id"], 0)}},
                                     RANK_UPDATE]) for raw in batch]
                changed += collection.bulk_write(writes, ordered=False).modified_count
        return changed

    def _backfill_cells(self) -> int:
        collection = self._collection()
        changed, writes = 0, []
        for listed in (True, False):
            for raw in collection.find({"listed": listed, CELL_FIELD: None}, {GEO_FIELD: 1}):
                if GEO_FIELD not in raw:
                    continue
                cell = cell_of(point_from_raw(raw[GEO_FIELD]))
                writes.append(UpdateOne({"_id": raw["_id"], GEO_FIELD: raw[GEO_FIELD]}, {"$set": {CELL_FIELD: cell}}))
                if len(writes) == self.BATCH:
                    changed += collection.bulk_write(writes, ordered=False).modified_count
                    writes = []
        if writes:
            changed += collection.bulk_write(writes, ordered=False).modified_count
        present = set(collection.index_information())
        for name in REPLACED_GEO_INDEXES:
            if name in present:
                try:
                    collection.drop_index(name)
                except OperationFailure as error:
                    # Every worker runs this at start: another one may have dropped it meanwhile.
                    if error.code != INDEX_NOT_FOUND:
                        raise
        return changed


def _fold_rating_update(stars: int, count: int = 1) -> list[dict[str, Any]]:
    """One atomic pipeline update: the sum is kept so the average never drifts. A negative
    ``stars``/``count`` takes a rating out (a hidden review); no rating left is an average of 0."""
    return [
        {"$set": {"rating_sum": {"$add": [{"$ifNull": ["$rating_sum", 0]}, stars]},
                  "rating_count": {"$add": [{"$ifNull": ["$rating_count", 0]}, count]}}},
        {"$set": {"rating_average": {"$cond": [{"$gt": ["$rating_count", 0]},
                                               {"$round": [{"$divide": ["$rating_sum", "$rating_count"]}, 2]},
                                               0.0]}}},
    ]


def profile_to_raw(profile: SellerProfile) -> dict[str, Any]:
    p = profile.presentation
    return {
        "_id": profile.seller_id, "display_name": p.display_name, "headline": p.headline, "bio": p.bio,
        "photo_id": profile.photo_id, "years_experience": p.years_experience, "languages": list(p.languages),
        "service_areas": list(p.service_areas),
        "accepting_jobs": p.accepting_jobs, **area_to_raw(p.travel_area),
        "rating_average": float(profile.rating_average),
        "rating_count": profile.rating_count, "completed_jobs": profile.completed_jobs,
        "member_since": profile.member_since, "updated_at": profile.updated_at, "version": profile.version,
    }


def profile_from_raw(raw: dict[str, Any]) -> SellerProfile:
    presentation = Presentation(
        display_name=raw["display_name"], headline=raw.get("headline") or "", bio=raw.get("bio") or "",
        years_experience=raw.get("years_experience", 0),
        languages=raw.get("languages", []), service_areas=raw.get("service_areas", []),
        accepting_jobs=raw["accepting_jobs"], travel_area=area_from_raw(raw))
    return SellerProfile(seller_id=raw["_id"], presentation=presentation, member_since=utc(raw["member_since"]),
                         updated_at=utc(raw["updated_at"]), rating_average=raw.get("rating_average", 0.0),
                         rating_count=raw.get("rating_count", 0), completed_jobs=raw.get("completed_jobs", 0),
                         version=raw.get("version", 0), photo_id=raw.get("photo_id"))


class MongoSellerProfileRepository:
    def _collection(self):
        return SellerProfileDocument._get_collection()

    def get(self, seller_id: str) -> SellerProfile | None:
        if not isinstance(seller_id, str):
            return None
        # In a unit of work, read in its session: the copy onto services must see the unit's own counters.
        raw = self._collection().find_one({"_id": seller_id}, {"rating_sum": 0}, session=ambient_session())
        return profile_from_raw(raw) if raw else None

    def located_sellers(self) -> list[tuple[str, TravelArea]]:
        cursor = self._collection().find({GEO_FIELD: {"$exists": True}}, {GEO_FIELD: 1, "travel_radius_km": 1})
        return [(raw["_id"], TravelArea(point_from_raw(raw[GEO_FIELD]), raw["travel_radius_km"])) for raw in cursor]

    def add(self, profile: SellerProfile) -> None:
        try:
            self._collection().insert_one(profile_to_raw(profile))
        except DuplicateKeyError as error:
            raise Conflict("this seller has a profile already") from error

    def save(self, profile: SellerProfile) -> None:
        fields = profile_to_raw(profile)
        for owned_elsewhere in ("_id", "rating_average", "rating_count", "completed_jobs", "member_since"):
            fields.pop(owned_elsewhere)
        fields["version"] = profile.version + 1
        change: dict[str, Any] = {"$set": fields, "$unset": dict(LEGACY_PHOTO_FIELDS["profile"])}
        if profile.presentation.travel_area is None:
            change["$unset"].update({GEO_FIELD: "", "travel_radius_km": ""})
        result = self._collection().update_one({"_id": profile.seller_id, "version": profile.version}, change)
        if result.matched_count == 0:
            raise Conflict("the profile was changed by another request; reload and try again")
        profile.version += 1

    def add_rating(self, seller_id: str, stars: int) -> None:
        check_stars(stars)
        self._collection().update_one({"_id": seller_id}, _fold_rating_update(stars), session=ambient_session())

    def remove_rating(self, seller_id: str, stars: int) -> None:
        check_stars(stars)
        self._collection().update_one({"_id": seller_id, "rating_count": {"$gt": 0}},
                                      _fold_rating_update(-stars, -1), session=ambient_session())

    def add_completed_job(self, seller_id: str) -> None:
        # Inside the orders' completing unit of work: counted with the completion, or not at all.
        self._collection().update_one({"_id": seller_id}, {"$inc": {"completed_jobs": 1}}, session=ambient_session())


class MongoLegacyProfileHours:
    """Profiles' own hours of before (``working_hours``), read raw until moved to the schedules."""

    def _collection(self):
        return SellerProfileDocument._get_collection()

    def stored(self) -> dict[str, list[WorkingHours]]:
        found: dict[str, list[WorkingHours]] = {}
        for raw in self._collection().find({"working_hours.0": {"$exists": True}}, {"working_hours": 1}):
            hours = []
            for h in raw["working_hours"]:
                try:
                    hours.append(WorkingHours(h.get("day"), h.get("opens"), h.get("closes")))
                except InvalidInput:
                    continue  # a range no form could have written is not worth moving
            found[raw["_id"]] = hours
        return found

    def drop(self, seller_id: str) -> None:
        self._collection().update_one({"_id": seller_id}, {"$unset": {"working_hours": ""}})


class MongoGazetteer:
    def _collection(self):
        return PlaceDocument._get_collection()

    def locate(self, text: str) -> Place | None:
        if not isinstance(text, str):
            return None
        raw = self._collection().find_one({"_id": normalize_area(text)})
        if raw is None:
            return None
        return Place(name=raw["name"], kind=raw["kind"], point=point_from_raw(raw["point"]),
                     area_keys=tuple(raw.get("area_keys", [])))

    def load(self, places: Iterable[Place]) -> int:
        """Insert or replace every place by its normalised name: running it again changes nothing."""
        writes = [ReplaceOne({"_id": normalize_area(p.name)},
                             {"name": p.name, "kind": p.kind, "point": point_to_raw(p.point),
                              "area_keys": list(p.area_keys)}, upsert=True) for p in places]
        if writes:
            self._collection().bulk_write(writes, ordered=False)
        return len(writes)


def drop_legacy_photo_links() -> int:
    """Idempotent; how many documents still had one."""
    changed = 0
    for document, kind in ((ServiceDocument, "service"), (SellerProfileDocument, "profile")):
        (field,) = LEGACY_PHOTO_FIELDS[kind]
        changed += document._get_collection().update_many(
            {field: {"$exists": True}}, {"$unset": LEGACY_PHOTO_FIELDS[kind]}).modified_count
    return changed
