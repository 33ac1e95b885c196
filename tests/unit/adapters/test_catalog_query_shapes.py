"""Every query shape the catalog repository issues is served by a declared index (MongoDB's
prefix rule: equality, then sort, then range), and the checker does reject an uncovered one."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from adapters.outbound.catalog.mongo_documents import (
    CELL_INDEXES,
    RANK_KEYS,
    RELEVANCE_INDEX,
    SEARCH_INDEXES,
    SELLER_INDEX,
    SERVICE_INDEXES,
    ServiceDocument,
)
from adapters.outbound.catalog.query_shapes import (
    QueryShape,
    UncoveredQuery,
    by_name_shape,
    driver_of,
    facets_shape,
    index_covers,
    index_for,
    items_shape,
    near_index_for,
    near_shape,
    ranked_in_memory,
    suggest_shape,
)
from application.catalog.search import ServiceSearch
from domain.catalog.geo import GeoPoint

# Every documented filter of GET /services, with a value that switches it on.
FILTERS = {
    "categories": ["plumbing", "cleaning"],
    "q": "fontanería urgente",
    "min_price": 1000,
    "max_price": 9000,
    "currency": "EUR",
    "area": "Madrid",
    "min_rating": 4.0,
    "seller_id": "seller-1",
    "price_model": "fixed",
}
SORTS = [None, "newest", "price_asc", "price_desc", "rating", "relevance"]


def documented_searches() -> list[ServiceSearch]:
    searches = []
    for size in range(len(FILTERS) + 1):
        for names in itertools.combinations(FILTERS, size):
            for sort in SORTS:
                if sort == "relevance" and "q" not in names:
                    continue
                searches.append(ServiceSearch.build(**{name: FILTERS[name] for name in names}, sort=sort))
    return searches


def test_every_documented_search_is_served_by_a_declared_index():
    searches = documented_searches()
    assert len(searches) > 2_500
    shapes = {items_shape(s) for s in searches} | {facets_shape(s) for s in searches}
    for shape in shapes:
        index = index_for(shape)
        assert index_covers(index, shape)
        assert index[0] == ("listed", 1)


def test_the_seller_listing_is_served_by_its_index():
    shape = QueryShape(frozenset({"seller_id", "status"}), (("created_at", -1), ("_id", -1)))
    assert index_for(shape) == SELLER_INDEX


def test_the_declared_indexes_are_the_documents_indexes():
    declared = [spec["fields"] for spec in ServiceDocument._meta["index_specs"]]
    assert declared == SERVICE_INDEXES
    assert all(direction in (1, -1) for keys in declared for _, direction in keys)  # no 2dsphere left


def near_searches() -> list[ServiceSearch]:
    """Every documented search again, from a point and from a named place, with distance too."""
    searches = []
    for search in documented_searches():
        for sort in {search.sort.value, "distance"}:
            located = ServiceSearch.build(**_args_of(search), sort=sort, lat=40.4168, lng=-3.7038, radius_km=20)
            searches.append(located)
            searches.append(dataclasses.replace(located, near_keys=("28013", "madrid")))
    return searches


def _args_of(search: ServiceSearch) -> dict:
    args = {"categories": list(search.categories), "min_price": search.min_price, "max_price": search.max_price,
            "currency": search.currency, "area": search.area, "min_rating": search.min_rating,
            "seller_id": search.seller_id,
            "price_model": search.price_model.value if search.price_model else None}
    if search.keywords:
        args["q"] = " ".join(search.keywords)
    return args


def test_every_search_near_a_place_is_served_by_the_cell_indexes_and_the_area_index():
    searches = near_searches()
    assert len(searches) > 5_000
    by_name = {by_name_shape(s) for s in searches} - {None}
    assert by_name == {QueryShape(frozenset({"listed", "area_keys"}))}
    for shape in by_name | {facets_shape(s) for s in searches} | {near_shape(s) for s in searches}:
        assert index_covers(index_for(shape), shape)
    assert all(by_name_shape(s) is None for s in searches if not s.near_keys)


def test_every_search_near_a_place_reads_its_driver_in_the_cells_the_radius_reaches():
    """Equality on listed and the driving field when there is one of those (category, keywords),
    the cells (an $in), then the price, rating and price model checked on the keys; a seller's or
    an area's own search index for those (the distance decided on their few documents)."""
    used = {}
    for search in near_searches():
        index = near_index_for(search)
        driver = driver_of(search)
        used[driver] = index
        names = [name for name, _ in index]
        if driver in (None, "category", "keywords"):
            assert names[:len(near_shape(search).equality)] == ["listed", *([driver] if driver else []), "base_cell"]
        else:
            assert names[:2] == ["listed", driver] and "base_cell" not in names
        assert near_shape(search).ranges <= set(names[len(near_shape(search).equality):])
    assert used[None] == CELL_INDEXES[0] == [("listed", 1), ("base_cell", 1), ("price_amount", 1),
                                              ("rating_average", -1), ("price_model", 1)]
    assert used["category"] == CELL_INDEXES[1] and used["keywords"] == CELL_INDEXES[2]
    assert used["seller_id"] in SEARCH_INDEXES and used["area_keys"] in SEARCH_INDEXES


def test_a_cell_driver_without_its_cell_index_fails_the_checker():
    near = dict(lat=40.4168, lng=-3.7038, radius_km=20)
    without_category = [i for i in SERVICE_INDEXES if i != CELL_INDEXES[1]]
    with pytest.raises(UncoveredQuery):
        near_index_for(ServiceSearch.build(categories=["plumbing"], **near), indexes=without_category)
    with pytest.raises(UncoveredQuery):
        near_index_for(ServiceSearch.build(**near), indexes=SEARCH_INDEXES)
    # The cell after the key-checked fields would not bound the walk: refused.
    late_cell = [("listed", 1), ("category", 1), ("price_amount", 1), ("base_cell", 1)]
    with pytest.raises(UncoveredQuery):
        near_index_for(ServiceSearch.build(categories=["plumbing"], **near), indexes=[late_cell])
    # A seller's search never needs one: its own index serves it.
    assert near_index_for(ServiceSearch.build(seller_id="s-1", **near), indexes=SEARCH_INDEXES)[:2] == [
        ("listed", 1), ("seller_id", 1)]


def test_no_index_mixes_two_array_fields():
    arrays = {"keywords", "area_keys"}
    assert all(len(arrays & {name for name, _ in index}) <= 1 for index in SERVICE_INDEXES)


def test_a_shape_without_an_index_fails_the_checker():
    by_tags = QueryShape(frozenset({"listed", "tags"}), (("created_at", -1), ("_id", -1)))
    with pytest.raises(UncoveredQuery):
        index_for(by_tags)


@pytest.mark.parametrize("index, shape, covered", [
    ([("a", 1), ("b", 1), ("s", -1)], QueryShape(frozenset({"b", "a"}), (("s", -1),)), True),
    ([("a", 1), ("b", 1), ("s", -1)], QueryShape(frozenset({"a", "b"}), (("s", 1),)), True),  # walked backwards
    ([("a", 1), ("s", -1), ("t", 1)], QueryShape(frozenset({"a"}), (("s", -1), ("t", -1))), False),  # mixed
    ([("a", 1), ("s", -1), ("b", 1)], QueryShape(frozenset({"a", "b"}), (("s", -1),)), False),  # sort before eq
    ([("a", 1), ("s", -1)], QueryShape(frozenset({"a"}), (("s", -1),), frozenset({"r"})), False),  # no range key
    ([("a", 1), ("r", 1), ("s", -1)], QueryShape(frozenset({"a"}), (("s", -1),), frozenset({"r"})), False),  # R<S
    ([("a", 1), ("s", -1), ("r", 1)], QueryShape(frozenset({"a"}), (("s", -1),), frozenset({"r"})), True),
    ([("b", 1), ("a", 1)], QueryShape(frozenset({"a"})), False),  # not a prefix
])
def test_prefix_rule(index, shape, covered):
    assert index_covers(index, shape) is covered


@pytest.mark.parametrize("q", ["grifos", "grifo fuga", "fuga de agua en el baño"])
def test_relevance_of_any_number_of_words_walks_the_keywords_index_in_rank_order(q):
    search = ServiceSearch.build(q=q, sort="relevance")
    assert not ranked_in_memory(search)
    assert items_shape(search).sort == RANK_KEYS
    assert index_for(items_shape(search)) == RELEVANCE_INDEX


def test_a_sellers_own_search_with_words_is_ranked_in_memory():
    search = ServiceSearch.build(q="grifo fuga", seller_id="u1", sort="relevance")
    assert ranked_in_memory(search)
    assert items_shape(search).sort == ()


def test_the_search_box_reads_title_keys_by_prefix_on_the_keywords_index():
    assert [name for name, _ in index_for(suggest_shape())][:2] == ["listed", "keywords"]
