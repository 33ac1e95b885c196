"""The catalog's MongoDB adapters on the local MongoDB-compatible server, with a few thousand
generated services checked against the brute-force search of the in-memory adapter."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.catalog.in_memory import InMemoryGazetteer, InMemorySellerAvailability, brute_force_search
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS, ServiceDocument
from adapters.outbound.catalog.mongo_repositories import (
    SERVICE_PROJECTION,
    MongoSellerProfileRepository,
    MongoServiceRepository,
    _search_filter,
    service_to_raw,
)
from adapters.outbound.catalog.query_shapes import SORT_KEYS, index_for, items_shape
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from application.catalog.search import ServiceSearch, SortOrder
from application.catalog.use_cases import SearchServices
from application.shared.pagination import PageRequest
from domain.catalog.categories import CATEGORIES
from domain.catalog.profile import Presentation, SellerProfile
from domain.catalog.service import PriceModel, Service, ServiceStatus
from domain.shared.errors import Conflict
from domain.shared.money import Money
from tests.fakes import shipped_vocabulary

pytestmark = pytest.mark.integration

# The local server indexes in Python: 2,000 services keep this module under a minute.
SERVICE_COUNT = 2_000
SELLERS = [f"seller-{n:02d}" for n in range(40)]
AREAS = ["Madrid", "Málaga", "Sevilla", "A Coruña", "28001", "29002", "Bilbao", "Cádiz"]
WORDS = ["grifo", "grifos", "tubería", "fuga", "enchufe", "lámpara", "limpieza", "cocina", "baño", "jardín",
         "poda", "pintura", "pared", "mudanza", "caja", "lavadora", "nevera", "caldera", "aire", "madera",
         "armario", "cucarachas", "cerradura", "tejado", "urgente", "pipe", "leak", "deep", "garden", "boxes"]
BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _service(rng: random.Random, n: int) -> Service:
    model = rng.choice(list(PriceModel))
    currency = rng.choice(["EUR", "EUR", "EUR", "USD"])
    price = None if model is PriceModel.QUOTE else Money(rng.choice([1500, 2500, 4000, 4500, 9900, 12000,
                                                                    rng.randint(1000, 50000)]), currency)
    rated = rng.random() < 0.7
    # Few distinct timestamps: ties are frequent, so the _id tie-break is exercised.
    created = BASE + timedelta(minutes=rng.randint(0, 300))
    return Service(
        id=f"svc-{n:05d}-{rng.randint(0, 10**6):06d}", seller_id=rng.choice(SELLERS),
        title=" ".join(rng.sample(WORDS, 3)).capitalize(), description=" ".join(rng.sample(WORDS, 6)),
        category=rng.choice(CATEGORIES).slug, price_model=model, price=price,
        duration_minutes=rng.choice([30, 60, 120]), service_areas=rng.sample(AREAS, rng.randint(1, 3)),
        tags=rng.sample(["urgente", "24h", "económico", "garantía"], rng.randint(0, 2)),
        status=rng.choices(list(ServiceStatus), weights=[8, 1, 1])[0], created_at=created, updated_at=created,
        rating_average=round(rng.uniform(1, 5), 2) if rated else 0.0, rating_count=rng.randint(1, 60) if rated else 0,
        seller_accepting_jobs=rng.random() < 0.9)


@pytest.fixture(scope="module")
def connection(mongo_url: str):
    mongo = MongoConnection(mongo_url, "catalog_integration")
    mongo.db.drop_collection("services")
    mongo.db.drop_collection("seller_profiles")
    mongo.ensure(CATALOG_DOCUMENTS)
    try:
        yield mongo
    finally:
        disconnect()


@pytest.fixture(scope="module")
def generated(connection) -> tuple[MongoServiceRepository, list[Service]]:
    rng = random.Random(20261123)
    services = [_service(rng, n) for n in range(SERVICE_COUNT)]
    repository = MongoServiceRepository()
    repository.add_many(services)
    return repository, services


def _ids(services: list[Service]) -> list[str]:
    return [s.id for s in services]


def _assert_same(repository: MongoServiceRepository, services: list[Service], search: ServiceSearch,
                 page: PageRequest) -> None:
    search_services = SearchServices(repository, InMemoryGazetteer(), InMemorySellerAvailability(), shipped_vocabulary())
    got = search_services.execute(search, page)
    # The use case reads the words with the vocabulary; the brute force is given them so read.
    want = brute_force_search(services, search.understood_with(shipped_vocabulary().vocabulary()), page)
    assert _ids(got.page.items) == _ids(want.page.items), search
    assert got.page.total == want.page.total, search
    assert got.category_counts == want.category_counts, search


SEARCHES = [
    ServiceSearch.build(),
    ServiceSearch.build(sort="price_asc"),
    ServiceSearch.build(sort="price_desc"),
    ServiceSearch.build(sort="rating"),
    ServiceSearch.build(categories=["plumbing"]),
    ServiceSearch.build(categories=["plumbing", "cleaning", "moving"], sort="price_asc"),
    ServiceSearch.build(q="grifo"),
    ServiceSearch.build(q="GRIFOS tuberia", sort="newest"),
    ServiceSearch.build(q="fontaneria"),
    ServiceSearch.build(q="limpiezas urgentes", categories=["cleaning", "plumbing"]),
    ServiceSearch.build(q="leaks pipes", sort="rating", min_rating=3.5),
    ServiceSearch.build(area="malaga"),
    ServiceSearch.build(area="28001", sort="price_desc", min_price=2000, max_price=20000),
    ServiceSearch.build(min_price=4000, max_price=4500),
    ServiceSearch.build(min_price=1, currency="USD", sort="price_asc"),
    ServiceSearch.build(min_rating=4.2, sort="rating"),
    ServiceSearch.build(seller_id="seller-07"),
    ServiceSearch.build(seller_id="seller-07", q="caja", sort="price_asc"),
    ServiceSearch.build(price_model="quote", area="Sevilla"),
    ServiceSearch.build(price_model="hourly", categories=["gardening"], sort="rating", min_rating=2),
    ServiceSearch.build(q="de la"),
    # Relevance: tier by tier on the index in rank order, against the brute force's one sort.
    ServiceSearch.build(q="fuga de agua en la cocina"),
    ServiceSearch.build(q="fontanro"),
    ServiceSearch.build(q="leaks pipes garden", sort="relevance", min_rating=2.5),
    ServiceSearch.build(q="cucarachas urgente", categories=["pest-control", "cleaning"], max_price=20000),
    ServiceSearch.build(seller_id="seller-07", q="grifo caja"),
]


@pytest.mark.parametrize("search", SEARCHES, ids=lambda s: f"{s.sort}-{s.keywords}-{s.categories}")
def test_search_agrees_with_brute_force_on_first_pages(generated, search):
    repository, services = generated
    for page in (PageRequest(1, 20), PageRequest(3, 7)):
        _assert_same(repository, services, search, page)


def test_random_filter_combinations_agree_with_brute_force(generated):
    repository, services = generated
    rng = random.Random(7)
    for _ in range(12):
        kwargs: dict = {}
        if rng.random() < 0.4:
            kwargs["categories"] = [c.slug for c in rng.sample(CATEGORIES, rng.randint(1, 3))]
        if rng.random() < 0.4:
            kwargs["q"] = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
        if rng.random() < 0.3:
            kwargs["area"] = rng.choice(AREAS)
        if rng.random() < 0.3:
            kwargs["min_price"] = rng.choice([0, 2000, 4000])
        if rng.random() < 0.3:
            kwargs["max_price"] = rng.choice([5000, 20000])
        if rng.random() < 0.2:
            kwargs["min_rating"] = rng.choice([1.5, 3.0, 4.5])
        if rng.random() < 0.2:
            kwargs["seller_id"] = rng.choice(SELLERS)
        if rng.random() < 0.2:
            kwargs["price_model"] = rng.choice(["fixed", "hourly", "quote"])
        sorts = ["newest", "price_asc", "price_desc", "rating"] + (["relevance"] if "q" in kwargs else [])
        search = ServiceSearch.build(**kwargs, sort=rng.choice(sorts))
        _assert_same(repository, services, search, PageRequest(rng.randint(1, 3), rng.choice([5, 20, 50])))


@pytest.mark.parametrize(("sort", "q"), [("price_asc", None), ("relevance", "grifo caja leak"),
                                         ("relevance", "grifo")])
def test_walking_every_page_yields_each_match_once_in_order(generated, sort, q):
    repository, services = generated
    search = ServiceSearch.build(q=q, categories=["plumbing", "painting", "moving"], sort=sort)
    want = brute_force_search(services, search, PageRequest(1, 100))
    seen: list[str] = []
    for number in range(1, want.page.total_pages + 1):
        seen += _ids(repository.find_page(search, PageRequest(number, 100)))
    assert len(seen) == len(set(seen)) == want.page.total > 100
    full = brute_force_search(services, search, PageRequest(1, 100))
    assert seen[:100] == _ids(full.page.items)


def test_a_page_past_the_end_is_empty_but_counts_the_total(generated):
    repository, services = generated
    result = SearchServices(repository, InMemoryGazetteer(), InMemorySellerAvailability(), shipped_vocabulary()).execute(ServiceSearch.build(categories=["plumbing"]), PageRequest(1000, 20))
    assert result.page.items == []
    assert result.page.total == sum(1 for s in services if s.is_listed and s.category == "plumbing")


def _index_of(plan: dict) -> list[str]:
    while plan:
        if "keyPattern" in plan:
            return list(plan["keyPattern"])
        plan = plan.get("inputStage") or {}
    return []


# Searches the local server's planner narrows by index: it uses one only when the filter's fields
# are exactly an index's leading fields, the last possibly a range or $in (``listed``, the driver,
# at most one bounded field). Wider filters scan there (bench/, figure 3, shows which); MongoDB's
# planner narrows them all by the driver's index.
PLANNED = [ServiceSearch.build(categories=["plumbing"]), ServiceSearch.build(categories=["plumbing"], sort="rating"),
           ServiceSearch.build(q="grifo"), ServiceSearch.build(q="GRIFOS tuberia", sort="price_desc"),
           ServiceSearch.build(area="malaga", sort="price_asc"), ServiceSearch.build(seller_id="seller-07"),
           ServiceSearch.build(categories=["plumbing"], min_price=2000, max_price=4500, sort="price_asc"),
           ServiceSearch.build(categories=["plumbing"], min_rating=4.5, sort="rating"),
           ServiceSearch.build(min_rating=4.5, sort="newest"), ServiceSearch.build(min_price=4000, max_price=4500)]


@pytest.mark.parametrize("search", PLANNED, ids=lambda s: f"{s.sort}-{s.keywords}-{s.categories}")
def test_unhinted_searches_run_on_an_index_led_by_their_equality_fields(generated, search):
    """No query is hinted: the server's planner narrows a search by an index that starts with
    the shape's equality fields (``listed`` and the driver), never by scanning the collection."""
    collection = ServiceDocument._get_collection()
    query = _search_filter(search)
    if search.sort is SortOrder.RELEVANCE:
        plan = collection.database.command({"explain": {"aggregate": "services", "pipeline": [{"$match": query}],
                                                        "cursor": {}}})["stages"][0]["$cursor"]["queryPlanner"]
    else:
        plan = collection.find(query, SERVICE_PROJECTION).sort(list(SORT_KEYS[search.sort])).limit(20).explain()[
            "queryPlanner"]
    index = _index_of(plan["winningPlan"])
    assert "COLLSCAN" not in str(plan["winningPlan"]) and index, plan["winningPlan"]
    equality = items_shape(search).equality
    assert set(index[:len(equality)]) == equality, index
    index_for(items_shape(search))  # and MongoDB has the index that also serves the sort


def test_category_counts_count_listed_services(generated):
    repository, services = generated
    want: dict[str, int] = {}
    for s in services:
        if s.is_listed:
            want[s.category] = want.get(s.category, 0) + 1
    assert repository.count_by_category(ServiceSearch()) == want


def test_stored_documents_satisfy_the_declared_document(generated):
    _, services = generated
    ServiceDocument._from_son(service_to_raw(services[0])).validate()


def test_profile_lifecycle_ratings_and_jobs(connection):
    profiles = MongoSellerProfileRepository()
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    profile = SellerProfile.create(seller_id="seller-profile-1", presentation=Presentation(display_name="Carlos"),
                                   member_since=now - timedelta(days=400), now=now)
    profiles.add(profile)
    with pytest.raises(Conflict):
        profiles.add(profile)
    profiles.add_rating("seller-profile-1", 5)
    profiles.add_rating("seller-profile-1", 4)
    profiles.add_rating("seller-profile-1", 4)
    profiles.add_completed_job("seller-profile-1")
    stored = profiles.get("seller-profile-1")
    stale = profiles.get("seller-profile-1")
    assert (stored.rating_average, stored.rating_count, stored.completed_jobs) == (4.33, 3, 1)
    stored.present(Presentation(display_name="Carlos R.", bio="Fontanero", accepting_jobs=False), now)
    profiles.save(stored)
    again = profiles.get("seller-profile-1")
    assert again.presentation.display_name == "Carlos R." and not again.accepting_jobs
    assert (again.rating_count, again.completed_jobs, again.member_since) == (3, 1, now - timedelta(days=400))
    with pytest.raises(Conflict):
        profiles.save(stale)


def test_service_save_toggle_seller_and_ratings(connection):
    services = MongoServiceRepository()
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    mine = [Service(id=f"own-{n}", seller_id="seller-own", title="Poda de setos", description="Poda",
                    category="gardening", price_model=PriceModel.HOURLY, price=Money(2500, "EUR"),
                    duration_minutes=60, service_areas=["Bilbao"], tags=[],
                    status=ServiceStatus.ACTIVE, created_at=now + timedelta(seconds=n), updated_at=now)
            for n in range(3)]
    services.add_many(mine)
    first = services.get("own-0")
    first.pause(now)
    services.save(first)
    with pytest.raises(Conflict):
        services.save(first.__class__(**{**vars(first), "version": 0}))
    assert _ids(services.list_listed_by_seller("seller-own", 50)) == ["own-2", "own-1"]
    stale = services.get("own-1")
    services.set_seller_accepting_jobs("seller-own", False)
    assert services.list_listed_by_seller("seller-own", 50) == []
    with pytest.raises(Conflict):
        services.save(stale)  # would have listed it again with the old flag
    services.set_seller_accepting_jobs("seller-own", True)
    assert _ids(services.list_listed_by_seller("seller-own", 50)) == ["own-2", "own-1"]
    assert services.get("own-0").status is ServiceStatus.PAUSED  # a paused one stays hidden
    page = services.list_by_seller("seller-own", frozenset({ServiceStatus.PAUSED}), PageRequest(1, 10))
    assert (_ids(page.items), page.total) == (["own-0"], 1)
    services.add_rating("own-1", 5)
    services.add_rating("own-1", 2)
    rated = services.get("own-1")
    assert (rated.rating_average, rated.rating_count) == (3.5, 2)
    rated.edit(rated.details, now)
    services.save(rated)  # an edit does not roll the rating back
    assert services.get("own-1").rating_count == 2


def test_catalog_wide_counts_are_kept_a_few_seconds_and_dropped_by_own_writes(generated):
    _, services = generated
    now = [1000.0]
    worker = MongoServiceRepository(counts_ttl_seconds=10, now=lambda: now[0])
    other_worker = MongoServiceRepository()
    before = worker.count_by_category(ServiceSearch.build(categories=["plumbing"]))
    template = next(s for s in services if s.is_listed and s.category == "plumbing")
    extra = [dataclasses.replace(template, id=f"counted-{n}") for n in range(2)]
    try:
        other_worker.add(extra[0])
        assert worker.count_by_category(ServiceSearch()) == before  # another worker's write: not yet
        now[0] += 11
        assert worker.count_by_category(ServiceSearch())["plumbing"] == before["plumbing"] + 1
        worker.add(extra[1])
        assert worker.count_by_category(ServiceSearch())["plumbing"] == before["plumbing"] + 2
        # Narrower searches are never kept: they count what their own filters leave.
        assert worker.count_by_category(ServiceSearch.build(price_model=template.price_model.value)) == (
            other_worker.count_by_category(ServiceSearch.build(price_model=template.price_model.value)))
    finally:
        ServiceDocument._get_collection().delete_many({"_id": {"$in": [s.id for s in extra]}})
