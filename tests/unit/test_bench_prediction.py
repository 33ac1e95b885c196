"""bench/scaling.py's model of what MongoDB examines for a page, on generated data."""

import random

import pytest

from adapters.outbound.catalog.in_memory import matches
from adapters.outbound.catalog.query_shapes import items_shape
from application.catalog.search import ServiceSearch
from bench import data
from bench.scaling import PAGE, PRICE_RANGE, combinations, predict
from tests.fakes import shipped_vocabulary

SERVICES = [data.service(n, random.Random(n)) for n in range(600)]
SAMPLE = data.sample()


def _predict(search: ServiceSearch):
    return predict(SERVICES, search, items_shape(search))


def test_equality_and_sort_in_the_index_read_exactly_the_page():
    search = ServiceSearch.build(categories=[SAMPLE.category], sort="newest")
    examined = _predict(search)
    assert examined.returned == PAGE and examined.keys == examined.docs == PAGE


def test_a_range_after_the_sort_keys_reads_keys_it_skips_but_fetches_only_what_fits():
    search = ServiceSearch.build(categories=[SAMPLE.category], **PRICE_RANGE, sort="newest")
    examined = _predict(search)
    found = sum(1 for s in SERVICES if matches(s, search))
    assert examined.returned == min(PAGE, found)
    assert examined.keys > examined.docs == examined.returned


def test_a_range_on_the_sort_key_is_an_index_bound():
    examined = _predict(ServiceSearch.build(**PRICE_RANGE, sort="price_asc"))
    assert examined.keys == examined.docs == examined.returned == PAGE


def test_a_filter_outside_the_index_is_checked_on_fetched_documents():
    # keywords drive; the area is a second array, in no index with them.
    examined = _predict(ServiceSearch.build(q=SAMPLE.topic, area="Madrid", sort="newest"))
    assert examined.keys == examined.docs > examined.returned


@pytest.mark.parametrize("filters", [{"min_rating": 4.5}, {"price_model": "hourly"},
                                     {"min_rating": 4.0, "price_model": "fixed", **PRICE_RANGE}])
def test_min_rating_and_price_model_are_checked_on_index_keys_sparing_the_fetch(filters):
    examined = _predict(ServiceSearch.build(categories=[SAMPLE.category], **filters, sort="newest"))
    assert examined.keys > examined.docs == examined.returned > 0


def test_min_rating_under_the_rating_sort_bounds_the_walk():
    examined = _predict(ServiceSearch.build(categories=[SAMPLE.category], min_rating=4.5, sort="rating"))
    assert examined.keys == examined.docs == examined.returned > 0


@pytest.mark.parametrize("q", [f"{SAMPLE.topic} {SAMPLE.second_topic}", "fuga de agua"])
def test_relevance_reads_about_a_page_per_tier_it_reaches_not_every_match(q):
    search = ServiceSearch.build(q=q, sort="relevance").understood_with(shipped_vocabulary().vocabulary())
    found = sum(1 for s in SERVICES if matches(s, search))
    examined = _predict(search)
    assert found > PAGE
    # The tiers before the one that fills the page hold few: about a page is read, not every match.
    assert examined.returned == PAGE and examined.docs <= 1.5 * PAGE


def test_relevance_reads_the_same_at_every_size():
    """Bounded: four times the services, the same documents per returned one."""
    bigger = SERVICES + [data.service(n, random.Random(n)) for n in range(600, 2400)]
    search = ServiceSearch.build(q=f"{SAMPLE.topic} {SAMPLE.second_topic}", sort="relevance")
    small, large = _predict(search), predict(bigger, search, items_shape(search))
    assert small.returned == large.returned == PAGE
    assert large.docs <= small.docs and large.keys <= small.keys * 1.5


@pytest.mark.parametrize(("label", "search"), combinations(SAMPLE))
def test_every_combination_returns_what_a_brute_force_search_finds(label, search):
    found = sum(1 for s in SERVICES if matches(s, search))
    assert _predict(search).returned == min(PAGE, found), label
