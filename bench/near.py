"""Issue #11's figure: search near a point with a category and a date, beside the plain category
search, and what MongoDB examines for it.

``$geoNear`` walks the 2dsphere index (``listed``, ``base_point``, ``category``) outward from the
buyer up to the buyer's radius; the category is checked on the index key, so only services of the
category within the radius are fetched; the free-time clause and each seller's own travel radius
are checked on those documents, and the matches are sorted in memory (whatever the sort, they are
bounded by the radius). So MongoDB reads every listed service within the buyer's radius as keys,
fetches the category's, and returns at most a page: examined per returned grows with the
density of services around the buyer, not with the catalog, and is not near 1 by design."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adapters.outbound.catalog.in_memory import matches
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
    within_radius: int     # listed services within the buyer's radius: the 2dsphere keys MongoDB reads
    matches: int
    predicted: Examined    # by MongoDB's rules (module doc)


def predict_near(services: list[Service], search: ServiceSearch) -> tuple[int, int, Examined]:
    assert search.near is not None
    within = [s for s in services if s.is_listed and s.travel_area is not None
              and s.travel_area.base.distance_km(search.near) <= search.radius_km]
    fetched = [s for s in within if s.category in search.categories]
    found = sum(1 for s in fetched if matches(s, search))
    return len(within), found, Examined(len(within), len(fetched), min(found, PAGE))


def near_row(services: list[Service], size: int, search: ServiceSearch) -> NearRow:
    """The local server's explain of $geoNear reports the whole collection whatever it reads, so
    the row holds MongoDB's rules only (its latency is measured beside)."""
    within, found, predicted = predict_near(services, search)
    return NearRow(size, within, found, predicted)
