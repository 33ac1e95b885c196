"""Issue #11's figure: search near a point with a category and a date, beside the plain category
search, and what MongoDB examines for it.

The page is one ``$geoWithin`` of the buyer's radius with the other filters, on the 2dsphere index
led by ``listed`` and ``category`` (``query_shapes.near_index_for``): MongoDB reads as keys and
fetches only the category's listed services within the radius; the free-time clause and each
seller's own travel radius are checked on those documents, and the matches are sorted in memory
(whatever the sort, they are bounded by the radius). The category counts beside it ignore the
category, so they read every listed service within the radius (``GEO_INDEX``, led by ``listed``
alone), as they did under ``$geoNear``. Examined per returned grows with the density of the
category around the buyer, not with the catalog."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adapters.outbound.catalog.in_memory import matches
from adapters.outbound.catalog.mongo_repositories import near_query
from application.catalog.search import ServiceSearch
from bench import data
from bench.scaling import PAGE, Examined
from domain.catalog.service import Service


def search_near(category: str, day: date, free_docs: Iterable[dict]) -> ServiceSearch:
    """The search the use case builds for the near figure, with the day resolved as it resolves it."""
    search = ServiceSearch.build(categories=[category], lat=data.BUYER.lat, lng=data.BUYER.lng,
                                 radius_km=data.BUYER_RADIUS_KM, available_on=day)
    free = {d["seller_id"]: d["longest_any"] for d in free_docs if d["longest_any"] > 0}
    return dataclasses.replace(search, free_sellers=free)


def path_near(category: str, day: date) -> str:
    return (f"/services?category={category}&lat={data.BUYER.lat}&lng={data.BUYER.lng}"
            f"&radius_km={data.BUYER_RADIUS_KM}&available_on={day.isoformat()}&page_size={PAGE}")


@dataclass(frozen=True)
class NearRow:
    size: int
    within_radius: int     # listed services within the buyer's radius: what the category counts read
    matches: int
    predicted: Examined    # the page's query by MongoDB's rules (module doc)
    observed: Examined | None = None  # the local server's explain of the same query (matches, not a page)


def within_radius(services: list[Service], search: ServiceSearch) -> list[Service]:
    assert search.near is not None
    return [s for s in services if s.is_listed and s.travel_area is not None
            and s.travel_area.base.distance_km(search.near) <= search.radius_km]


def predict_near(services: list[Service], search: ServiceSearch) -> tuple[int, int, Examined]:
    """(listed services within the radius, matches, what the page's query examines by MongoDB's rules)."""
    within = within_radius(services, search)
    of_category = [s for s in within if s.category in search.categories]
    found = sum(1 for s in of_category if matches(s, search))
    return len(within), found, Examined(len(of_category), len(of_category), min(found, PAGE))


def observe_near(collection, search: ServiceSearch) -> Examined:
    """What the local server examined for the page's query, as the adapter sends it."""
    stats = collection.find(near_query(search)).explain()["executionStats"]
    return Examined(stats["totalKeysExamined"], stats["totalDocsExamined"], stats["nReturned"])


def near_row(services: list[Service], size: int, search: ServiceSearch, collection=None) -> NearRow:
    within, found, predicted = predict_near(services, search)
    return NearRow(size, within, found, predicted, observe_near(collection, search) if collection is not None else None)
