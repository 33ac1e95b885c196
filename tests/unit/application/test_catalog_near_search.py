"""Search near a buyer and by date, on the in-memory adapters: validation of the new criteria,
coverage by radius and by name, distance order and tie-breaks, and the availability filter."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.outbound.catalog.in_memory import (
    InMemoryGazetteer,
    InMemorySellerAvailability,
)
from application.catalog.search import ServiceSearch, SortOrder
from application.catalog.use_cases import LoadGazetteer, SearchServices
from application.shared.pagination import PageRequest
from domain.catalog.errors import UnknownPlace
from domain.catalog.geo import GeoPoint, Place, TravelArea
from domain.shared.access import Actor, Role
from domain.shared.errors import InvalidInput
from tests.unit.application.test_catalog_use_cases import CARLOS, ELENA, World
from tests.fakes import shipped_vocabulary

SOL = GeoPoint(40.4169, -3.7035)
SOL_PLACE = Place("28013", "postal_code", GeoPoint(40.4190, -3.7080), ("28013", "madrid"))
ALCALA = GeoPoint(40.4820, -3.3635)  # about 30 km east of Sol
SATURDAY = date(2026, 11, 28)


@pytest.mark.parametrize("args, field", [
    ({"lat": 91, "lng": 0}, "lat"),
    ({"lat": 40, "lng": -181}, "lng"),
    ({"lat": 40}, "lng"),
    ({"lng": -3}, "lat"),
    ({"lat": 40, "lng": -3, "radius_km": 0}, "radius_km"),
    ({"lat": 40, "lng": -3, "radius_km": 1000}, "radius_km"),
    ({"radius_km": 10}, "radius_km"),
    ({"near": "28013", "lat": 40, "lng": -3}, "near"),
    ({"near": "x"}, "near"),
    ({"sort": "distance"}, "sort"),
    ({"part_of_day": "morning"}, "part_of_day"),
    ({"available_on": SATURDAY, "part_of_day": "night"}, "part_of_day"),
])
def test_bad_near_and_date_criteria_name_the_field(args, field):
    with pytest.raises(InvalidInput) as error:
        ServiceSearch.build(**args)
    assert error.value.field == field


def test_a_located_search_sorts_by_distance_unless_asked_otherwise():
    assert ServiceSearch.build(lat=40, lng=-3).sort is SortOrder.DISTANCE
    assert ServiceSearch.build(near="Madrid", q="grifo").sort is SortOrder.RELEVANCE
    assert ServiceSearch.build(near="Madrid", sort="price_asc").sort is SortOrder.PRICE_ASC
    assert ServiceSearch.build().sort is SortOrder.NEWEST


class NearWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.gazetteer = InMemoryGazetteer([SOL_PLACE])
        self.availability = InMemorySellerAvailability()

    def search(self, page: PageRequest = PageRequest(), **args):
        return SearchServices(self.services, self.gazetteer, self.availability, shipped_vocabulary()).execute(
            ServiceSearch.build(**args), page)


@pytest.fixture
def near() -> NearWorld:
    world = NearWorld()
    world.put_profile(CARLOS, travel_area=TravelArea(SOL, 10))
    world.put_profile(ELENA, travel_area=TravelArea(ALCALA, 40))
    return world


def test_profiles_copy_their_travel_area_onto_services_new_and_old(near):
    service = near.create(CARLOS)
    assert service.travel_area == TravelArea(SOL, 10)
    near.put_profile(CARLOS, travel_area=TravelArea(SOL, 25))
    assert near.services.get(service.id).travel_area == TravelArea(SOL, 25)
    near.put_profile(CARLOS)
    assert near.services.get(service.id).travel_area is None


def test_only_sellers_who_travel_that_far_are_found_with_their_distance(near):
    carlos = near.create(CARLOS)
    elena = near.create(ELENA)
    result = near.search(near="28013")
    assert [s.id for s in result.page.items] == [carlos.id, elena.id]
    assert result.distances_km[carlos.id] == pytest.approx(0.44, abs=0.01)
    assert result.distances_km[elena.id] == pytest.approx(30.0, abs=0.2)
    # From Alcalá Carlos (10 km) does not come; Elena (40 km) does.
    assert [s.id for s in near.search(lat=ALCALA.lat, lng=ALCALA.lng).page.items] == [elena.id]
    # The buyer's radius bounds them all.
    assert [s.id for s in near.search(near="28013", radius_km=5).page.items] == [carlos.id]


def test_a_service_that_names_the_place_covers_it_without_a_radius(near):
    near.put_profile(CARLOS)  # no travel area: only the areas named on the service
    named = near.create(CARLOS, service_areas=["28013"])
    elsewhere = near.create(CARLOS, service_areas=["Sevilla"])
    by_city = near.create(CARLOS, service_areas=["Madrid"])
    found = near.search(near="28013")
    assert {s.id for s in found.page.items} == {named.id, by_city.id}
    assert found.distances_km[named.id] is None and elsewhere.id not in found.distances_km
    assert near.search(lat=SOL.lat, lng=SOL.lng).page.total == 0  # bare coordinates name no place


def test_distance_breaks_ties_after_price_and_rating(near):
    far_one = near.create(ELENA)
    near_one = near.create(CARLOS)  # same price; from 5 km east of Sol, Carlos's base is nearer
    for sort in ("price_asc", "price_desc", "rating"):
        result = near.search(lat=40.4169, lng=-3.6445, sort=sort)
        assert [s.id for s in result.page.items] == [near_one.id, far_one.id], sort


def test_an_unknown_place_is_refused_naming_near(near):
    with pytest.raises(UnknownPlace) as error:
        near.search(near="99999")
    assert error.value.field == "near"


def test_available_on_keeps_services_their_seller_has_time_for(near):
    short = near.create(CARLOS, duration_minutes=60)
    long = near.create(CARLOS, duration_minutes=240)
    elenas = near.create(ELENA, duration_minutes=30)
    near.availability.set("carlos", SATURDAY, 120)
    near.availability.set("carlos", SATURDAY, 300, "afternoon")
    assert {s.id for s in near.search(available_on=SATURDAY).page.items} == {short.id}
    afternoon = near.search(available_on=SATURDAY, part_of_day="afternoon", near="28013")
    assert {s.id for s in afternoon.page.items} == {short.id, long.id}
    assert elenas.id not in {s.id for s in afternoon.page.items}
    assert near.availability.asked == [(SATURDAY, None), (SATURDAY, "afternoon")]
    nobody = near.search(available_on=date(2026, 11, 29))
    assert nobody.page.total == 0 and nobody.category_counts == {}


def test_the_gazetteer_loads_from_its_source():
    from adapters.outbound.catalog.in_memory import InMemoryPlaceSource

    gazetteer = InMemoryGazetteer()
    assert LoadGazetteer(gazetteer, InMemoryPlaceSource([SOL_PLACE])).execute() == 1
    assert gazetteer.locate(" 28013 ") == SOL_PLACE


def test_relevance_near_a_place_puts_nearer_bands_first_then_the_better_rated(near):
    """Within a tier: Carlos (at Sol) before Elena (30 km away) though she is better rated; two
    sellers a kilometre apart are one band, where the rating decides."""
    pepe = Actor("pepe", frozenset({Role.BUYER, Role.SELLER}))
    near.put_profile(pepe, travel_area=TravelArea(GeoPoint(40.4259, -3.7035), 10))  # 1 km north of Sol
    carlos = near.create(CARLOS, title="Fontanero en el centro")
    pepe_service = near.create(pepe, title="Fontanero de barrio")
    elena = near.create(ELENA, title="Fontanera en Alcalá")
    for _ in range(20):
        near.services.add_rating(elena.id, 5)
        near.services.add_rating(pepe_service.id, 5)
    result = near.search(q="fontanero", lat=SOL.lat, lng=SOL.lng)
    assert [s.id for s in result.page.items] == [pepe_service.id, carlos.id, elena.id]
