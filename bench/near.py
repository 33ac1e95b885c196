"""Issue #11's figure: search near a point with a category and a date, beside the plain category
search, and what MongoDB examines for it.

The page is one ``find`` of the category's listed services whose base lies in a grid cell the
buyer's radius reaches (``base_cell: {$in: cells}``, ``grid_cells.cells_within``), with the other
filters, on the regular index led by ``listed``, ``category`` and ``base_cell``
(``query_shapes.near_index_for``): MongoDB reads as keys the category's listed services in those
cells, and fetches those passing the filters checked on the keys after the cell (price range,
rating, price model; the figure's search has none, so every key is fetched). The free-time clause,
the distance and each seller's own travel radius are checked on those documents, and the matches
are sorted in memory (whatever the sort, they are bounded by the radius). The cells reach past the
circle (about 2.5 times its area at 10 km with 0.1-degree rows, 1.15 times at 100 km). The
category counts beside it ignore the category, so they read every listed service in the cells
(the index led by ``listed`` and the cell). Examined per returned grows with the category's
density around the buyer, not with the catalog."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adapters.outbound.catalog.grid_cells import cell_of, cells_within
from adapters.outbound.catalog.in_memory import matches
from adapters.outbound.catalog.mongo_repositories import near_queries
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
    within_radius: int     # listed services within the buyer's radius
    in_cells: int          # listed services in the covering cells: what the category counts read
    matches: int
    predicted: Examined    # the page's query by MongoDB's rules (module doc)
    observed: Examined | None = None  # the local server's explain of the same query (matches, not a page)


def within_radius(services: list[Service], search: ServiceSearch) -> list[Service]:
    assert search.near is not None
    return [s for s in services if s.is_listed and s.travel_area is not None
            and s.travel_area.base.distance_km(search.near) <= search.radius_km]


def in_cells(services: list[Service], search: ServiceSearch) -> list[Service]:
    """The listed services whose base lies in a cell the buyer's radius reaches."""
    assert search.near is not None
    cells = set(cells_within(search.near, search.radius_km))
    return [s for s in services if s.is_listed and s.travel_area is not None and cell_of(s.travel_area.base) in cells]


def _key_checked(search: ServiceSearch) -> ServiceSearch:
    """The part of a search the index's keys after the cell answer (ESR's trailing fields)."""
    return ServiceSearch(min_price=search.min_price, max_price=search.max_price, min_rating=search.min_rating,
                         price_model=search.price_model)


def predict_near(services: list[Service], search: ServiceSearch) -> tuple[int, int, int, Examined]:
    """(listed services within the radius, listed services in the cells, matches, what the page's
    query examines by MongoDB's rules: keys are the index entries of the category in the cells,
    documents those of them passing the key-checked filters)."""
    located = in_cells(services, search)
    keys = [s for s in located if s.category in search.categories]
    fetched = [s for s in keys if matches(s, _key_checked(search))]
    found = sum(1 for s in fetched if matches(s, search))
    return len(within_radius(services, search)), len(located), found, Examined(len(keys), len(fetched), min(found, PAGE))


def observe_near(collection, search: ServiceSearch) -> Examined:
    """What the local server examined for the page's query, as the adapter sends it."""
    stats = [collection.find(query).explain()["executionStats"] for query in near_queries(search)]
    return Examined(*(sum(s[name] for s in stats) for name in ("totalKeysExamined", "totalDocsExamined", "nReturned")))


def near_row(services: list[Service], size: int, search: ServiceSearch, collection=None) -> NearRow:
    within, located, found, predicted = predict_near(services, search)
    return NearRow(size, within, located, found, predicted,
                   observe_near(collection, search) if collection is not None else None)
