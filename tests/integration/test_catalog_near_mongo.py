"""Search near a buyer on the local MongoDB-compatible server (the grid cells its radius reaches),
checked against the in-memory brute force on a few thousand generated services around Madrid,
Barcelona and Valencia: coverage by radius and by name, distances, radius edges, and every
combination with the other filters, sorts and the availability filter."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.outbound.catalog.gazetteer_data import ShippedSpanishPlaces, spanish_places
from adapters.outbound.catalog.in_memory import InMemoryGazetteer, InMemorySellerAvailability, brute_force_search
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.grid_cells import cell_of, cells_within
from adapters.outbound.catalog.mongo_repositories import MongoGazetteer, MongoServiceRepository, near_queries
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from application.catalog.search import ServiceSearch
from application.catalog.use_cases import LoadGazetteer, SearchServices
from application.shared.pagination import PageRequest
from domain.catalog.categories import CATEGORIES
from domain.catalog.geo import EARTH_RADIUS_KM, GeoPoint, TravelArea
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.shared.money import Money
from tests.fakes import shipped_vocabulary

pytestmark = pytest.mark.integration

# 2,000 services and two filter combinations per place: about half a minute on the local server.
SERVICE_COUNT = 2_000
CITIES = {"Madrid": (GeoPoint(40.4168, -3.7038), 0.6), "Barcelona": (GeoPoint(41.3874, 2.1686), 0.25),
          "Valencia": (GeoPoint(39.4699, -0.3763), 0.15)}
RADII = [2, 3, 5, 10, 15, 25, 50, 100]
WORDS = ["grifo", "fuga", "enchufe", "limpieza", "cocina", "jardín", "poda", "pintura", "mudanza", "lavadora",
         "caldera", "urgente", "pipe", "leak", "garden"]
BASE = datetime(2026, 1, 1, tzinfo=UTC)
PLACES = spanish_places()
POSTAL_BY_CITY = {city: [p.name for p in PLACES if p.kind == "postal_code" and city.lower() in p.area_keys]
                  for city in CITIES}
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360
# A buyer and two sellers who travel 10 km, one just inside and one just outside (north of it).
EDGE_BUYER = GeoPoint(40.30, -3.90)
EDGE_IN = GeoPoint(EDGE_BUYER.lat + 9.99 / KM_PER_DEGREE, EDGE_BUYER.lng)
EDGE_OUT = GeoPoint(EDGE_BUYER.lat + 10.01 / KM_PER_DEGREE, EDGE_BUYER.lng)
# Another buyer, and sellers exactly at a radius (the farthest point the haversine still puts
# within it) and one step of a double past it: north at the buyer's 5 km, south at their own 10 km.
EXACT_BUYER = GeoPoint(40.30, -4.20)


def _at_and_past(buyer: GeoPoint, km: float, north: bool) -> tuple[GeoPoint, GeoPoint]:
    sign = 1 if north else -1
    inside, outside = 0.0, 2 * km / KM_PER_DEGREE
    while math.nextafter(inside, outside) != outside:
        middle = (inside + outside) / 2
        if GeoPoint(buyer.lat + sign * middle, buyer.lng).distance_km(buyer) <= km:
            inside = middle
        else:
            outside = middle
    return GeoPoint(buyer.lat + sign * inside, buyer.lng), GeoPoint(buyer.lat + sign * outside, buyer.lng)


AT_BUYER_RADIUS, PAST_BUYER_RADIUS = _at_and_past(EXACT_BUYER, 5, north=True)
AT_OWN_RADIUS, PAST_OWN_RADIUS = _at_and_past(EXACT_BUYER, 10, north=False)


def _jitter(rng: random.Random, centre: GeoPoint, km: float) -> GeoPoint:
    r, theta = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return GeoPoint(centre.lat + r * math.cos(theta) / KM_PER_DEGREE,
                    centre.lng + r * math.sin(theta) / (KM_PER_DEGREE * math.cos(math.radians(centre.lat))))


def _sellers(rng: random.Random) -> dict[str, tuple[str, TravelArea | None]]:
    sellers = {}
    for n in range(150):
        city = rng.choices(list(CITIES), weights=[w for _, w in CITIES.values()])[0]
        # One seller in ten names places only: found by postal code or city, with no distance.
        area = None if n % 10 == 0 else TravelArea(_jitter(rng, CITIES[city][0], 20), rng.choice(RADII))
        sellers[f"seller-{n:03d}"] = (city, area)
    return sellers


def _service(rng: random.Random, n: int, seller_id: str, city: str, area: TravelArea | None) -> Service:
    model = rng.choice(list(PriceModel))
    price = None if model is PriceModel.QUOTE else Money(rng.choice([1500, 2500, 4000, rng.randint(1000, 30000)]),
                                                         "EUR")
    named = rng.sample(POSTAL_BY_CITY[city], rng.randint(0, 3)) + ([city] if rng.random() < 0.3 else [])
    created = BASE + timedelta(minutes=rng.randint(0, 200))
    return Service(
        id=f"near-{n:05d}", seller_id=seller_id, title=" ".join(rng.sample(WORDS, 3)).capitalize(),
        description=" ".join(rng.sample(WORDS, 5)), category=rng.choice(CATEGORIES[:6]).slug, price_model=model,
        price=price, duration_minutes=rng.choice([30, 60, 90, 120, 240]), service_areas=named or ["Lugo"],
        tags=[], status=rng.choices(list(ServiceStatus), weights=[9, 1, 1])[0], created_at=created,
        updated_at=created, rating_average=round(rng.uniform(1, 5), 1) if rng.random() < 0.7 else 0.0,
        rating_count=rng.randint(0, 30), seller_accepting_jobs=rng.random() < 0.95, travel_area=area)


def _edge_services() -> list[Service]:
    def edge(service_id: str, base: GeoPoint) -> Service:
        return Service(id=service_id, seller_id=f"seller-{service_id}", title="Reparaciones al borde",
                       description="Justo en el límite", category="plumbing", price_model=PriceModel.FIXED,
                       price=Money(5000, "EUR"), duration_minutes=60, service_areas=["Lugo"], tags=[],
                       status=ServiceStatus.ACTIVE, created_at=BASE, updated_at=BASE,
                       travel_area=TravelArea(base, 10))
    return [edge("edge-in", EDGE_IN), edge("edge-out", EDGE_OUT), edge("at-buyer-radius", AT_BUYER_RADIUS),
            edge("past-buyer-radius", PAST_BUYER_RADIUS), edge("at-own-radius", AT_OWN_RADIUS),
            edge("past-own-radius", PAST_OWN_RADIUS)]


@pytest.fixture(scope="module")
def connection(mongo_url: str):
    mongo = MongoConnection(mongo_url, "catalog_near_integration")
    for name in ("services", "places"):
        mongo.db.drop_collection(name)
    mongo.ensure(CATALOG_DOCUMENTS)
    try:
        yield mongo
    finally:
        disconnect()


@pytest.fixture(scope="module")
def world(connection):
    rng = random.Random(20261111)
    sellers = _sellers(rng)
    ids = list(sellers)
    services = [_service(rng, n, seller_id, *sellers[seller_id])
                for n, seller_id in enumerate(rng.choice(ids) for _ in range(SERVICE_COUNT))]
    services += _edge_services()
    repository = MongoServiceRepository()
    repository.add_many(services)
    gazetteer = MongoGazetteer()
    LoadGazetteer(gazetteer, ShippedSpanishPlaces()).execute()
    free = {seller_id: rng.choice([0, 30, 60, 120, 240, 480]) for seller_id in ids}
    return repository, services, gazetteer, {s: m for s, m in free.items() if m}


def _check(world, search: ServiceSearch, page: PageRequest = PageRequest(1, 25)) -> None:
    repository, services, gazetteer, _ = world
    got = SearchServices(repository, gazetteer, InMemorySellerAvailability(), shipped_vocabulary()).execute(
        search, page)
    if search.near_place is not None:
        place = InMemoryGazetteer(PLACES).locate(search.near_place)
        search = dataclasses.replace(search, near=place.point, near_keys=place.area_keys, near_place=None)
    # The use case reads the words with the vocabulary; the brute force is given them so read.
    want = brute_force_search(services, search.understood_with(shipped_vocabulary().vocabulary()), page)
    assert [s.id for s in got.page.items] == [s.id for s in want.page.items], search
    assert got.page.total == want.page.total, search
    assert got.category_counts == want.category_counts, search
    for service_id, km in want.distances_km.items():
        assert (got.distances_km[service_id] is None) == (km is None)
        if km is not None:
            assert got.distances_km[service_id] == pytest.approx(km, rel=1e-6, abs=1e-6)


PLACES_TO_TRY = [dict(lat=40.4169, lng=-3.7035), dict(lat=41.40, lng=2.17), dict(lat=39.47, lng=-0.38),
                 dict(lat=40.5475, lng=-3.6420), dict(lat=40.9, lng=-2.0), dict(near="28013"),
                 dict(near="Madrid"), dict(near="08002"), dict(near="valencia"), dict(near="46010")]
FILTERS = [{}, dict(categories=["plumbing"]), dict(categories=["plumbing", "cleaning"], max_price=5000),
           dict(q="grifo urgente"), dict(min_rating=3.5, price_model="fixed"), dict(area="28001"),
           dict(min_price=2000, currency="EUR")]
SORTS = [None, "distance", "price_asc", "price_desc", "rating", "newest"]


def _cases():
    rng = random.Random(7)
    combinations = [(filters, sort) for filters in FILTERS for sort in SORTS]
    rng.shuffle(combinations)
    for n, where in enumerate(PLACES_TO_TRY):
        for filters, sort in combinations[2 * n:2 * n + 2]:
            yield dict(**where, **filters, sort=sort, radius_km=rng.choice([None, 5, 20, 60]))
    yield dict(near="28013", q="fuga leak", sort="relevance")
    yield dict(lat=41.39, lng=2.17, q="poda", sort="relevance", radius_km=30)


@pytest.mark.parametrize("args", list(_cases()), ids=str)
def test_near_search_agrees_with_brute_force(world, args):
    _check(world, ServiceSearch.build(**{k: v for k, v in args.items() if v is not None}))


def test_later_pages_near_a_place_agree(world):
    _check(world, ServiceSearch.build(near="Madrid"), PageRequest(2, 25))
    _check(world, ServiceSearch.build(lat=40.42, lng=-3.70, sort="price_asc", radius_km=30), PageRequest(4, 50))


def test_available_sellers_combine_with_near_and_without(world):
    """Each service against its own seller's longest free job (the summaries are the orders
    context's; here a fixed answer), near a place and in a plain search."""
    free = world[3]
    day = date(2026, 11, 28)
    near = ServiceSearch.build(near="28013", categories=["plumbing", "cleaning"], available_on=day,
                               part_of_day="morning")
    _check(world, dataclasses.replace(near, free_sellers=free))
    _check(world, dataclasses.replace(ServiceSearch.build(sort="price_asc", available_on=day), free_sellers=free))


def test_the_radius_edge_is_exact_to_the_tens_of_metres(world):
    repository, _, gazetteer, _ = world
    found = SearchServices(repository, gazetteer, InMemorySellerAvailability(), shipped_vocabulary()).execute(
        ServiceSearch.build(lat=EDGE_BUYER.lat, lng=EDGE_BUYER.lng, categories=["plumbing"]), PageRequest(1, 100))
    ids = {s.id for s in found.page.items}
    assert "edge-in" in ids and "edge-out" not in ids
    assert found.distances_km["edge-in"] == pytest.approx(9.99, abs=0.001)


def test_a_service_exactly_at_a_radius_is_in_and_one_a_double_past_it_is_out(world):
    """The covering cells reach a hair past the buyer's radius; the haversine decides
    the edge, for the buyer's radius and each seller's own, to the last bit as the brute force."""
    assert AT_BUYER_RADIUS.distance_km(EXACT_BUYER) <= 5 < PAST_BUYER_RADIUS.distance_km(EXACT_BUYER)
    assert AT_OWN_RADIUS.distance_km(EXACT_BUYER) <= 10 < PAST_OWN_RADIUS.distance_km(EXACT_BUYER)
    repository, _, gazetteer, _ = world
    search = SearchServices(repository, gazetteer, InMemorySellerAvailability(), shipped_vocabulary())
    near = dict(lat=EXACT_BUYER.lat, lng=EXACT_BUYER.lng, categories=["plumbing"], sort="distance")
    within_5 = search.execute(ServiceSearch.build(**near, radius_km=5), PageRequest(1, 100))
    ids = [s.id for s in within_5.page.items]
    assert "at-buyer-radius" in ids and "past-buyer-radius" not in ids
    assert within_5.distances_km["at-buyer-radius"] == pytest.approx(5, abs=1e-9)
    within_15 = search.execute(ServiceSearch.build(**near, radius_km=15), PageRequest(1, 100))
    ids = [s.id for s in within_15.page.items]
    assert {"at-buyer-radius", "past-buyer-radius", "at-own-radius"} <= set(ids) and "past-own-radius" not in ids
    assert ids.index("past-buyer-radius") == ids.index("at-buyer-radius") + 1  # by distance, then id
    for radius in (5, 15):
        _check(world, ServiceSearch.build(**near, radius_km=radius), PageRequest(1, 100))


def test_the_gazetteer_loads_once_and_finds_places_by_any_spelling(world):
    _, _, gazetteer, _ = world
    assert LoadGazetteer(gazetteer, ShippedSpanishPlaces()).execute() == len(PLACES)
    assert gazetteer._collection().count_documents({}) == len(PLACES) > 300
    sol = gazetteer.locate(" 28013 ")
    assert sol.kind == "postal_code" and sol.area_keys == ("28013", "madrid")
    assert gazetteer.locate("MÁLAGA").point == GeoPoint(36.7213, -4.4214)
    assert gazetteer.locate("99999") is None
    for city in ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga"):
        assert gazetteer.locate(city) is not None


def test_a_restarted_app_finds_its_indexes_there(world, connection):
    """Every start ensures the indexes again: the cell ones must not conflict with themselves."""
    for document in CATALOG_DOCUMENTS:
        document.ensure_indexes()
    names = set(connection.db["services"].index_information())
    assert "listed_1_category_1_base_cell_1_price_amount_1_rating_average_-1_price_model_1" in names
    assert not any("2dsphere" in name for name in names)


def test_a_near_search_reads_only_the_services_in_the_cells_its_radius_reaches(world):
    """The local server's own explain of the page's query at 10 km: it reads the index keys of
    the category's listed services in the covering cells, no more, and fetches only those
    (under a 2dsphere index it read every service on the S2 face, all of Spain)."""
    repository, services, _, _ = world
    search = ServiceSearch.build(lat=40.4169, lng=-3.7035, radius_km=10, categories=["plumbing"])
    cells = set(cells_within(search.near, 10))
    in_cells = [s for s in services if s.is_listed and s.category == "plumbing" and s.travel_area is not None
                and cell_of(s.travel_area.base) in cells]
    listed_located = [s for s in services if s.is_listed and s.travel_area is not None]
    [query] = near_queries(search)
    stats = repository._collection().find(query).explain()["executionStats"]
    assert stats["totalKeysExamined"] <= len(in_cells) and stats["totalDocsExamined"] <= len(in_cells)
    assert stats["nReturned"] == len(in_cells) > 0
    assert len(in_cells) * 10 < len(listed_located)
    within = [s for s in in_cells if s.travel_area.base.distance_km(search.near) <= 10]
    assert within and len(in_cells) <= 4 * len(within)


@pytest.mark.parametrize("driver", [dict(q="grifo urgente"), dict(categories=["plumbing", "cleaning"])], ids=str)
def test_several_driver_values_near_a_buyer_are_each_read_from_the_cells_alone(world, driver):
    """One query per keyword or category: the local server serves each from the cell index (two
    $in in one query sent it through every listed service); keys read are the index entries of
    each value in the cells, no more."""
    repository, services, _, _ = world
    search = ServiceSearch.build(lat=40.4169, lng=-3.7035, radius_km=10, **driver)
    cells = set(cells_within(search.near, 10))
    in_cells = [s for s in services if s.is_listed and s.travel_area is not None and cell_of(s.travel_area.base) in cells]
    values = search.keywords or search.categories
    entries = sum(1 for s in in_cells for v in values if v in (s.keywords if search.keywords else [s.category]))
    queries = near_queries(search)
    assert len(queries) == len(values) >= 2  # two categories; two words, each a title and a text key per stem
    stats = [repository._collection().find(q).explain()["executionStats"] for q in queries]
    assert 0 < sum(s["totalKeysExamined"] for s in stats) <= entries
    assert sum(s["totalDocsExamined"] for s in stats) <= entries < len(in_cells) * 2
