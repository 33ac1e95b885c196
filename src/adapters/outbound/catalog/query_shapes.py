"""Which index serves which search. The repository asks ``index_for`` for every query it sends
(it does not hint it: MongoDB's planner picks the one index led by the shape's equality fields
and sort), so a search the declarations do not cover fails loudly in tests, never as a silent
collection scan in production. Coverage follows MongoDB's prefix rule: the index starts
with exactly the equality fields (any order), then the sort keys (all in the declared direction
or all reversed), and any range field the shape bounds comes after those."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.outbound.catalog.mongo_documents import (
    CELL_DRIVERS,
    CELL_FIELD,
    NEWEST_KEYS,
    PRICE_KEYS,
    RANK_KEYS,
    RATING_KEYS,
    SERVICE_INDEXES,
)
from application.catalog.search import ServiceSearch, SortOrder

IndexKeys = Sequence[tuple[str, int]]


@dataclass(frozen=True)
class QueryShape:
    equality: frozenset[str]
    sort: tuple[tuple[str, int], ...] = ()
    ranges: frozenset[str] = frozenset()


class UncoveredQuery(LookupError):
    """No declared index serves this query shape: a missing declaration, a bug to fix."""


def index_covers(index: IndexKeys, shape: QueryShape) -> bool:
    keys = list(index)
    head, rest = keys[:len(shape.equality)], keys[len(shape.equality):]
    if {name for name, _ in head} != shape.equality:
        return False
    if shape.sort:
        segment, rest = rest[:len(shape.sort)], rest[len(shape.sort):]
        if [name for name, _ in segment] != [name for name, _ in shape.sort]:
            return False
        same = all(d == want for (_, d), (_, want) in zip(segment, shape.sort, strict=True))
        reversed_ = all(d == -want for (_, d), (_, want) in zip(segment, shape.sort, strict=True))
        if not (same or reversed_):
            return False
    return shape.ranges <= {name for name, _ in rest}


def index_for(shape: QueryShape, indexes: Sequence[IndexKeys] = SERVICE_INDEXES) -> list[tuple[str, int]]:
    for index in indexes:
        if index_covers(index, shape):
            return list(index)
    raise UncoveredQuery(f"no declared index covers {shape}")


def driver_of(search: ServiceSearch) -> str | None:
    """The one equality filter (after ``listed``) that narrows the index range; the others are
    checked on the documents that range yields. Most selective first."""
    if search.seller_id is not None:
        return "seller_id"
    if search.keywords:
        return "keywords"
    if search.area is not None:
        return "area_keys"
    if search.categories:
        return "category"
    return None


SORT_KEYS = {
    SortOrder.NEWEST: NEWEST_KEYS,
    SortOrder.PRICE_ASC: PRICE_KEYS,
    SortOrder.PRICE_DESC: tuple((name, -d) for name, d in PRICE_KEYS),
    SortOrder.RATING: RATING_KEYS,
}


def equality_of(search: ServiceSearch) -> frozenset[str]:
    driver = driver_of(search)
    return frozenset({"listed"} | ({driver} if driver else set()))


def ranked_in_memory(search: ServiceSearch) -> bool:
    """Relevance walks the keywords index in rank order, one query per tier. A seller's own
    search with words is driven by the seller (a few services), ranked in memory."""
    return search.sort is SortOrder.RELEVANCE and driver_of(search) != "keywords"


def page_sort_keys(search: ServiceSearch) -> tuple[tuple[str, int], ...]:
    """The index order the page query (each tier's, for relevance) walks (not asked when
    ``ranked_in_memory``)."""
    return RANK_KEYS if search.sort is SortOrder.RELEVANCE else SORT_KEYS[search.sort]


def suggest_shape() -> QueryShape:
    """The search box's services: a prefix range of title keys, read in the index's order."""
    return QueryShape(frozenset({"listed"}), ranges=frozenset({"keywords"}))


def items_shape(search: ServiceSearch) -> QueryShape:
    """The page query: ranked in memory (a seller's own search with words), or walking an index
    in the sort's order (each relevance tier: the keywords index in rank order)."""
    if ranked_in_memory(search):
        return QueryShape(equality_of(search))
    sort = page_sort_keys(search)
    # A bound on the leading sort key is a bound on the walk itself; any other is checked on the keys.
    return QueryShape(equality_of(search), sort, key_checked_of(search) - {sort[0][0]})


def key_checked_of(search: ServiceSearch) -> frozenset[str]:
    """The filters (other than the driver) an index entry can answer after the sort keys."""
    fields = set()
    if search.min_price is not None or search.max_price is not None:
        fields.add("price_amount")
    if search.min_rating is not None:
        fields.add("rating_average")
    if search.price_model is not None:
        fields.add("price_model")
    return frozenset(fields)


def near_by_cells(search: ServiceSearch) -> bool:
    """Whether a search near a buyer looks services up by the grid cells its radius reaches: with
    no driver, a category or keywords. A seller's or an area's services are few and mostly in one
    place, so their own search index serves them and the distance is decided on each document."""
    return driver_of(search) in CELL_DRIVERS


def near_shape(search: ServiceSearch) -> QueryShape:
    """The query near a buyer: the same equality fields as the plain search, plus the cells
    (an ``$in``, equality to MongoDB) when it looks up by cell; the price, rating and price model
    checked on the keys; no sort (the matches, bounded by the radius, are sorted in memory
    whatever the sort)."""
    cells = frozenset({CELL_FIELD}) if near_by_cells(search) else frozenset()
    return QueryShape(equality_of(search) | cells, ranges=key_checked_of(search))


def near_index_for(search: ServiceSearch, indexes: Sequence[IndexKeys] = SERVICE_INDEXES) -> list[tuple[str, int]]:
    """The index MongoDB's planner has for a search near a buyer: the one led by ``listed``, the
    driver and the cell or, for a seller or an area, their search index."""
    return index_for(near_shape(search), indexes)


def by_name_shape(search: ServiceSearch) -> QueryShape | None:
    """Near a postal code or city, services with no travel area that list it are found by name
    (``area_keys``), beside the distance search; None when the buyer gave bare coordinates."""
    return QueryShape(frozenset({"listed", "area_keys"})) if search.near_keys else None


def facets_shape(search: ServiceSearch) -> QueryShape:
    """The count per category: every filter but the categories, grouped, no sort."""
    return QueryShape(equality_of(search.without_categories()))
