"""Every query shape the catalog repository issues is served by a declared index (MongoDB's
prefix rule: equality, then sort, then range), and the checker does reject an uncovered one."""

from __future__ import annotations

import itertools

import pytest

from adapters.outbound.catalog.mongo_documents import SELLER_INDEX, SERVICE_INDEXES, ServiceDocument
from adapters.outbound.catalog.query_shapes import (
    QueryShape,
    UncoveredQuery,
    facets_shape,
    index_covers,
    index_for,
    items_shape,
)
from application.catalog.search import ServiceSearch

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
