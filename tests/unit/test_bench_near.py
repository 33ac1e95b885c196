"""bench/near.py's model of what MongoDB examines for a search near a point with a category and a date."""

import dataclasses
import random
from datetime import date

from adapters.outbound.catalog.grid_cells import cell_of, cells_within
from adapters.outbound.catalog.in_memory import matches
from bench import data, near
from bench.scaling import PAGE

SERVICES = [data.service(n, random.Random(n)) for n in range(3000)]
DAY = date(2026, 12, 1)
FREE = data.free_time_documents(range(300), DAY.isoformat())


def test_sellers_have_travel_areas_around_the_three_cities_and_some_are_booked_all_day():
    assert all(s.travel_area is not None for s in SERVICES)
    near_buyer = [s for s in SERVICES if s.travel_area.base.distance_km(data.BUYER) <= data.BUYER_RADIUS_KM]
    assert 0 < len(near_buyer) < len(SERVICES) / 3
    booked = sum(1 for d in FREE if d["longest_any"] == 0)
    assert 0.1 < booked / len(FREE) < 0.4


def test_the_prediction_reads_and_fetches_the_category_in_the_cells_the_radius_reaches():
    search = near.search_near(data.sample().category, DAY, FREE)
    within, located, found, examined = near.predict_near(SERVICES, search)
    assert found == sum(1 for s in SERVICES if matches(s, search)) > 0
    cells = set(cells_within(data.BUYER, data.BUYER_RADIUS_KM))
    of_category = [s for s in SERVICES if s.is_listed and s.category == data.sample().category
                   and cell_of(s.travel_area.base) in cells]
    of_category_within = [s for s in of_category if s.travel_area.base.distance_km(data.BUYER) <= data.BUYER_RADIUS_KM]
    # No key-checked filter in this search: every key read is fetched.
    assert examined.keys == examined.docs == len(of_category) >= examined.returned == min(found, PAGE)
    assert len(of_category_within) < len(of_category) < 4 * len(of_category_within)
    assert within == len(near.within_radius(SERVICES, search)) < located == len(near.in_cells(SERVICES, search))
    assert located > 5 * len(of_category)


def test_filters_checked_on_the_keys_spare_the_fetch_but_not_the_read():
    search = dataclasses.replace(near.search_near(data.sample().category, DAY, FREE), max_price=3000)
    _, _, found, examined = near.predict_near(SERVICES, search)
    assert found == sum(1 for s in SERVICES if matches(s, search))
    priced = sum(1 for s in near.in_cells(SERVICES, search) if s.category == data.sample().category
                 and s.price is not None and s.price.amount <= 3000)
    assert examined.docs == priced < examined.keys


def test_the_path_asks_what_the_search_holds():
    path = near.path_near("plumbing", DAY)
    assert "category=plumbing" in path and "available_on=2026-12-01" in path and f"radius_km={data.BUYER_RADIUS_KM}" in path
