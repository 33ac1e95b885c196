"""bench/near.py's model of what MongoDB examines for a search near a point with a category and a date."""

import random
from datetime import date

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


def test_the_prediction_reads_and_fetches_only_the_category_within_the_radius():
    search = near.search_near(data.sample().category, DAY, FREE)
    within, found, examined = near.predict_near(SERVICES, search)
    assert found == sum(1 for s in SERVICES if matches(s, search)) > 0
    of_category = sum(1 for s in SERVICES if s.is_listed and s.category == data.sample().category
                      and s.travel_area.base.distance_km(data.BUYER) <= data.BUYER_RADIUS_KM)
    assert examined.keys == examined.docs == of_category >= examined.returned == min(found, PAGE)
    assert within == len(near.within_radius(SERVICES, search)) > 5 * of_category


def test_the_path_asks_what_the_search_holds():
    path = near.path_near("plumbing", DAY)
    assert "category=plumbing" in path and "available_on=2026-12-01" in path and f"radius_km={data.BUYER_RADIUS_KM}" in path
