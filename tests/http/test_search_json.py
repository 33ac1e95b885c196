"""GET /services builds its body with adapters.inbound.catalog.search_json instead of dumping
SearchPageSchema; the documented schema is still the contract. These compare the two on varied
pages, so a field added to one and not the other, or a conversion that differs, fails here."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from flask import Flask

from adapters.inbound.catalog.schemas import SearchPageSchema
from adapters.inbound.catalog.search_json import search_page, search_page_json
from domain.catalog.categories import CATEGORIES
from domain.catalog.service import PriceModel, SellerCard, Service, ServiceStatus
from domain.shared.money import CURRENCY_EXPONENTS, Money
from tests.http.helpers import signed_in


def _service(rng: random.Random, n: int) -> Service:
    model = rng.choice(list(PriceModel))
    price = None if model is PriceModel.QUOTE else Money(rng.randint(1, 10**8), rng.choice(sorted(CURRENCY_EXPONENTS)))
    created = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 10**8), microseconds=rng.randint(0, 999_999))
    if rng.random() < 0.3:  # an offset other than UTC must keep its offset in both
        created = created.astimezone(timezone(timedelta(hours=rng.choice([-5, 1, 2, 5.5]))))
    words = ["Reparación", "fontanería ñ €", 'comillas "dobles"', "línea\nnueva", "x" * rng.randint(1, 50)]
    return Service(
        id=f"svc-{n}-{rng.getrandbits(32):x}", seller_id=f"seller-{rng.randint(1, 5)}", title=rng.choice(words),
        description=" ".join(rng.sample(words, 3)), category=rng.choice(CATEGORIES).slug, price_model=model,
        price=price, duration_minutes=rng.randint(15, 600),
        service_areas=rng.sample(["Madrid", "28001", "Getafe", "Alcalá de Henares"], rng.randint(0, 4)),
        photo_ids=[f"{rng.getrandbits(128):032x}" for _ in range(rng.randint(0, 3))],
        tags=rng.sample(["grifos", "urgente", "fugas"], rng.randint(0, 3)), status=rng.choice(list(ServiceStatus)),
        created_at=created, updated_at=created + timedelta(minutes=rng.randint(0, 10_000)),
        rating_average=rng.choice([0.0, 4.5, 3.3333, 5.0]), rating_count=rng.randint(0, 900),
        seller=SellerCard(display_name=rng.choice(words), photo_url=rng.choice([None, "https://img.example.com/me.jpg"]),
                          rating_average=rng.choice([0.0, 4.25, 5.0]), rating_count=rng.randint(0, 900),
                          completed_jobs=rng.randint(0, 5_000),
                          member_since=rng.choice([None, created - timedelta(days=rng.randint(0, 3_000))])))


BASE = "https://api.example.com"


def _schema_dump(services: list[Service], distances: list[float | None], counts: dict[str, int]) -> dict:
    """What the route returned before: the schema's dump of the services with their distances
    (photo URLs under the app's PUBLIC_BASE_URL)."""
    items = [SimpleNamespace(**vars(s), distance_km=d) for s, d in zip(services, distances, strict=True)]
    facets = [{"slug": c.slug, "name_es": c.name_es, "name_en": c.name_en, "count": counts.get(c.slug, 0)}
              for c in CATEGORIES]
    app = Flask("dump")
    app.extensions["settings"] = SimpleNamespace(public_base_url=BASE)
    with app.app_context():
        return SearchPageSchema().dump({"items": items, "facets": {"categories": facets}})


@pytest.mark.parametrize("seed", range(25))
def test_the_body_is_what_the_schema_dumps(seed):
    rng = random.Random(seed)
    services = [_service(rng, n) for n in range(rng.choice([0, 1, 7, 20, 50]))]
    distances = [rng.choice([None, 0.0, 1.25, 49.99, rng.uniform(0, 100)]) for _ in services]
    counts = {c.slug: rng.randint(0, 10_000) for c in rng.sample(CATEGORIES, rng.randint(0, len(CATEGORIES)))}

    fast = search_page(zip(services, distances, strict=True), counts, BASE)
    expected = _schema_dump(services, distances, counts)

    assert fast == expected
    # Equal values could still encode differently (1 vs 1.0): compare the bytes a client gets.
    assert json.dumps(fast, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("seed", range(25))
def test_the_encoded_body_is_the_schema_dump_in_json(seed):
    """The route sends search_page_json's bytes: the same JSON as Flask's encoder gives for the
    schema's dump (keys sorted alike; text as UTF-8 instead of \\u escapes)."""
    rng = random.Random(seed)
    services = [_service(rng, n) for n in range(rng.choice([0, 1, 7, 20, 50]))]
    distances = [rng.choice([None, 0.0, 1.25, 49.99, round(rng.uniform(0, 100), 2)]) for _ in services]
    counts = {c.slug: rng.randint(0, 10_000) for c in rng.sample(CATEGORIES, rng.randint(0, len(CATEGORIES)))}

    encoded = search_page_json(zip(services, distances, strict=True), counts, BASE)

    expected = _schema_dump(services, distances, counts)
    assert encoded.decode() == json.dumps(expected, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_integers_stored_as_floats_come_out_as_the_schema_says():
    """A rating read back from the database as an int, a duration as a float: the schema
    converts each to its declared type, and so must the fast path."""
    service = _service(random.Random(1), 1)
    service.rating_average, service.duration_minutes, service.rating_count = 4, 90.0, 3.0  # type: ignore[assignment]
    fast = search_page([(service, 2)], {}, BASE)
    expected = _schema_dump([service], [2], {})
    assert json.dumps(fast, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert fast["items"][0]["rating_average"] == 4.0 and isinstance(fast["items"][0]["rating_average"], float)


def test_the_route_answers_with_what_get_service_dumps(client):
    """Over HTTP: each item of the page is the service as GET /services/{id} (ServiceSchema) shows
    it, plus distance_km; the facets name every category in taxonomy order."""
    headers = signed_in(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", json={"display_name": "Carlos", "service_areas": ["Madrid"]},
                      headers=headers).status_code == 200
    for n, model in enumerate(["fixed", "hourly", "quote"]):
        body = {"title": f"Servicio {n}", "description": "Arreglo fugas.", "category": "plumbing",
                "price_model": model, "price": None if model == "quote" else {"amount": 4500 + n, "currency": "EUR"},
                "duration_minutes": 60, "service_areas": ["Madrid"], "tags": ["grifos"]}
        assert client.post("/services", json=body, headers=headers).status_code == 201

    page = client.get("/services?page_size=20").get_json()

    assert set(page) == {"items", "facets", "total", "page", "page_size", "total_pages"} and len(page["items"]) == 3
    assert (page["total"], page["page"], page["page_size"], page["total_pages"]) == (3, 1, 20, 1)
    for item in page["items"]:
        single = client.get(f"/services/{item['id']}").get_json()
        assert item == {**single, "distance_km": None}
    assert [(f["slug"], f["count"]) for f in page["facets"]["categories"]] == [
        (c.slug, 3 if c.slug == "plumbing" else 0) for c in CATEGORIES]


def test_the_page_says_where_it_is_in_the_whole_as_the_schema_does():
    from application.shared.pagination import Page, PageRequest

    services = [_service(random.Random(3), n) for n in range(2)]
    paging = Page(items=services, total=41, request=PageRequest(2, 20))
    fast = search_page([(s, None) for s in services], {}, BASE, paging=paging)
    assert {k: fast[k] for k in ("total", "page", "page_size", "total_pages")} == {
        "total": 41, "page": 2, "page_size": 20, "total_pages": 3}
    rest = {k: v for k, v in fast.items() if k not in ("total", "page", "page_size", "total_pages")}
    assert json.dumps(rest, sort_keys=True) == json.dumps(_schema_dump(services, [None, None], {}), sort_keys=True)
    assert {"total", "page", "page_size", "total_pages"} <= set(SearchPageSchema().fields)
