"""Issue #21's proof: what Spanish and English buyers type (trades, problems, typos, plurals,
accents) finds the right category first, through GET /services on the real local MongoDB server.

The catalog is seeded as sellers write: one or two services per category, titles and
descriptions in their own words, and distractors (a handyman who also does "small plumbing and
electrical repairs", a cleaner after building works). The queries are in ``search_queries.csv``
beside this file: query, the category its first result must be in, and what it tries."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.outbound.catalog.mongo_repositories import MongoServiceRepository, service_to_raw
from adapters.outbound.catalog.mongo_documents import ServiceDocument
from domain.catalog.keywords import FIRST_LEGACY_KEY, keywords_of
from domain.catalog.service import PriceModel, Service, ServiceDetails
from domain.shared.money import Money
from tests.conftest import app_on_mongo

pytestmark = pytest.mark.integration

DB = "search_queries"
QUERIES = Path(__file__).with_name("search_queries.csv")
WHEN = datetime(2026, 1, 1, tzinfo=UTC)

# (category, title, description, tags): as sellers write them.
CATALOG = [
    ("plumbing", "Fontanería urgente 24 horas", "Reparamos fugas, grifos, cisternas y desatascos en Madrid.",
     ["urgente"]),
    ("plumbing", "Cambio de bañera por plato de ducha", "Obra completa en un día, con fontanería incluida.", []),
    ("plumbing", "Plumbing repairs for expats", "English-speaking: leaks, taps and toilets fixed today.", []),
    ("electrical", "Electricista autorizado", "Boletines, cuadros eléctricos, enchufes y averías.", []),
    ("electrical", "Instalación de puntos de luz y lámparas", "Cuelgo lámparas y cambio interruptores.", []),
    ("cleaning", "Limpieza de hogar por horas", "Limpieza semanal de pisos y casas, plancha incluida.", []),
    ("cleaning", "Limpieza fin de obra", "Dejamos la vivienda lista tras una reforma o una mudanza.", []),
    ("gardening", "Mantenimiento de jardines", "Corte de césped, poda de setos y riego automático.", []),
    ("gardening", "Poda de árboles en altura", "Trabajos verticales con seguro y retirada de restos.", []),
    ("painting", "Pintor profesional", "Pintamos pisos, quitamos gotelé y lacamos puertas.", []),
    ("painting", "Pintura de fachadas", "Fachadas y patios de comunidades de vecinos.", []),
    ("moving", "Mudanzas económicas", "Mudanzas locales y nacionales, con embalaje y guardamuebles.", []),
    ("moving", "Portes y pequeños transportes", "Furgoneta con conductor para portes por horas.", []),
    ("appliance-repair", "Reparación de lavadoras y lavavajillas",
     "Técnico de todas las marcas: lavadoras, secadoras y neveras.", []),
    ("appliance-repair", "Servicio técnico de frigoríficos", "Frigoríficos que no enfrían, congeladores y hornos.", []),
    ("heating-air-conditioning", "Revisión y reparación de calderas", "Calderas de gas, termos y calentadores.", []),
    ("heating-air-conditioning", "Instalación de aire acondicionado", "Splits, bombas de calor y aerotermia.", []),
    ("carpentry", "Carpintería a medida", "Armarios empotrados, puertas de madera y estanterías.", []),
    ("pest-control", "Control de plagas", "Fumigación de cucarachas, ratas y chinches con garantía.", []),
    ("handyman", "Manitas para el hogar",
     "Cuelgo cuadros, monto muebles de Ikea, arreglo persianas y pequeñas reparaciones de fontanería y "
     "electricidad.", []),
    ("locksmith", "Cerrajero 24 horas", "Apertura de puertas, cambio de cerraduras y bombines.", []),
    ("roofing", "Reparación de tejados y goteras", "Impermeabilización de terrazas y limpieza de canalones.", []),
    ("masonry", "Reformas integrales de baño y cocina", "Albañilería, alicatados, tabiques y pladur.", []),
    ("flooring", "Instalación de tarima y parquet", "Acuchillado y barnizado de parqué, suelo laminado y vinilo.", []),
    ("windows-glass", "Cristalería y ventanas de aluminio",
     "Cambio de cristales rotos, doble acristalamiento y mamparas.", []),
]


def _catalog() -> list[Service]:
    services = []
    for n, (category, title, description, tags) in enumerate(CATALOG):
        details = ServiceDetails(title=title, description=description, category=category,
                                 price_model=PriceModel.FIXED, price=Money(4000 + n * 100, "EUR"),
                                 duration_minutes=60, service_areas=["Madrid"], tags=tags)
        services.append(Service.create(service_id=f"svc-{n:02d}", seller_id=f"seller-{n % 7}", details=details,
                                       seller_accepting_jobs=True, now=WHEN + timedelta(minutes=n)))
    return services


def _queries() -> list[tuple[str, str, str]]:
    with QUERIES.open(newline="", encoding="utf-8") as handle:
        return [(row["query"], row["category"], row["what"]) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def client(mongo_url: str):
    with app_on_mongo(mongo_url, DB) as app:
        collection = ServiceDocument._get_collection()
        collection.delete_many({})
        MongoServiceRepository().add_many(_catalog())
        yield app.test_client()


def test_the_table_holds_at_least_sixty_queries_in_both_languages():
    rows = _queries()
    assert len(rows) >= 60
    assert sum("English" in what for _, _, what in rows) >= 20
    assert sum("typo" in what for _, _, what in rows) >= 10


@pytest.mark.parametrize(("query", "category", "what"), _queries(), ids=[q for q, _, _ in _queries()])
def test_the_first_result_is_in_the_expected_category(client, query, category, what):
    response = client.get("/services", query_string={"q": query, "page_size": 5})
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert items, f"{query!r} ({what}) found nothing"
    assert items[0]["category"] == category, (query, what, [(i["category"], i["title"]) for i in items])


def test_a_search_for_nothing_known_says_what_would_find_something(client):
    body = client.get("/services", query_string={"q": "fontanero", "max_price": 1000}).json
    assert body["items"] == []
    assert {"filter": "price", "count": 3} in body["hints"]["without_filters"]
    nothing = client.get("/services", query_string={"q": "xilofonista"}).json
    assert nothing["items"] == [] and "hints" in nothing
    assert client.get("/services", query_string={"q": "fontanero"}).json.get("hints") is None


def test_the_search_box_suggests_trades_and_services_from_what_is_typed(client):
    response = client.get("/search/suggest", query_string={"q": "fonta"})
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["text"] for i in items if i["kind"] == "trade"][:2] == ["fontanera", "fontanero"]
    assert {i["service_id"] for i in items if i["kind"] == "service"} == {"svc-00"}  # "Fontanería urgente"
    assert response.headers["Cache-Control"] == "public, max-age=30"


def test_services_stored_with_bare_stems_get_field_keys_at_start(mongo_url):
    """A release before these keys wrote bare stems: the start rewrites them (and the rank), the
    trade's words then find them, and a second start has nothing left to do."""
    legacy = _catalog()[0]
    raw = service_to_raw(legacy)
    raw.update(_id="svc-legacy", keywords=keywords_of([legacy.title, legacy.description, "Fontanería", "Plumbing"]))
    raw.pop("rank"), raw.pop("seller_completed_jobs")
    with app_on_mongo(mongo_url, DB):
        ServiceDocument._get_collection().insert_one(raw)
    with app_on_mongo(mongo_url, DB) as app:
        stored = ServiceDocument._get_collection().find_one({"_id": "svc-legacy"})
        assert all(key < FIRST_LEGACY_KEY for key in stored["keywords"]) and "!c:plumbing" in stored["keywords"]
        assert stored["rank"] == legacy.rank
        found = app.test_client().get("/services", query_string={"q": "fontanero", "page_size": 50}).json["items"]
        assert "svc-legacy" in {item["id"] for item in found}
        assert app.test_cli_runner().invoke(args=["catalog-backfill-cells"]).output.count(" 0 services") == 1
