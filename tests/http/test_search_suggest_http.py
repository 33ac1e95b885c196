"""Issue #21 over HTTP on the app with fakes: the search box's suggestions, bad input as a 4xx
naming the field, and a search that found nothing saying what would find something."""

from __future__ import annotations

import pytest

from tests.http.helpers import signed_in

PROFILE = {"display_name": "Carlos", "service_areas": ["Madrid"],
           "base_location": {"lat": 40.4168, "lng": -3.7038}, "travel_radius_km": 10}


def _service(title: str, category: str, amount: int = 4500, **extra) -> dict:
    return {"title": title, "description": "Trabajo garantizado.", "category": category, "price_model": "fixed",
            "price": {"amount": amount, "currency": "EUR"}, "duration_minutes": 60, "service_areas": ["Madrid"],
            **extra}


@pytest.fixture
def catalog(client):
    headers = signed_in(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", json=PROFILE, headers=headers).status_code == 200
    ids = {}
    for title, category in [("Fontanería urgente", "plumbing"), ("Fontanería de confianza", "plumbing"),
                            ("Electricista autorizado", "electrical")]:
        ids[title] = client.post("/services", json=_service(title, category), headers=headers).json["id"]
    return ids


def test_suggestions_offer_trades_then_services(client, catalog):
    response = client.get("/search/suggest?q=fonta")
    assert response.status_code == 200
    items = response.json["items"]
    assert [(i["kind"], i["text"]) for i in items[:3]] == [("trade", "fontanera"), ("trade", "fontanero"),
                                                          ("category", "Fontanería")]
    services = [i for i in items if i["kind"] == "service"]
    assert {i["service_id"] for i in services} == {catalog["Fontanería urgente"], catalog["Fontanería de confianza"]}
    assert all(i["category"] == "plumbing" for i in services)
    assert len(items) <= 8


def test_suggestions_understand_english_and_several_words(client, catalog):
    assert [i["text"] for i in client.get("/search/suggest?q=plumb").json["items"]][:2] == ["plumber", "Plumbing"]
    assert "cortar césped" in [i["text"] for i in client.get("/search/suggest?q=cortar%20c").json["items"]]


@pytest.mark.parametrize("query", ["", "q=", "q=" + "x" * 101, "q=a&extra=1"])
def test_bad_suggestion_input_is_a_4xx_naming_the_field(client, query):
    response = client.get(f"/search/suggest?{query}")
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) & {"q", "extra"}, response.json


def test_a_single_letter_suggests_nothing_rather_than_everything(client, catalog):
    assert client.get("/search/suggest?q=f").json["items"] == []


def test_nothing_found_names_the_filters_and_radius_that_would_find_something(client, catalog):
    body = client.get("/services?q=fontanero&max_price=1000").json
    assert body["items"] == []
    assert body["hints"]["without_filters"] == [{"filter": "price", "count": 2}]

    # 8 km north of a seller who travels 10: a 5 km search misses them, twice that finds them.
    far = client.get("/services?q=electricista&lat=40.4888&lng=-3.7038&radius_km=5").json
    assert far["items"] == [] and (far["hints"]["wider_radius_km"], far["hints"]["wider_radius_count"]) == (10, 1)


def test_nothing_found_suggests_the_nearest_categories_and_the_typo_understood(client, catalog):
    chosen_elsewhere = client.get("/services?q=fontanero&category=electrical").json
    assert chosen_elsewhere["items"] == []
    assert chosen_elsewhere["hints"]["categories"] == [{"slug": "plumbing", "count": 2}]

    unknown = client.get("/services?q=cerrajero").json  # a trade nobody offers yet
    assert unknown["items"] == [] and unknown["hints"]["categories"] == []
    # A problem in no title, of a trade someone offers, at a price nobody asks: no category helps.
    assert client.get("/services?q=fontanero&max_price=1000").json["hints"]["categories"] == []
    # A word of a trade's jobs that no service names: that trade's services, without the words.
    assert client.get("/services?q=cuadro").json["hints"]["categories"] == [{"slug": "electrical", "count": 1}]
    # With a category chosen: the other categories where the same words find something.
    near_miss = client.get("/services?q=cuadro%20el%C3%A9ctrico%20xyz&category=plumbing").json
    assert near_miss["items"] == [] and near_miss["hints"]["categories"] == [{"slug": "electrical", "count": 1}]
    typo = client.get("/services?q=electrisista&category=plumbing").json
    assert {"typed": "electrisista", "understood": "electricista"} in typo["hints"]["corrections"]
    assert typo["hints"]["categories"] == [{"slug": "electrical", "count": 1}]


def test_a_search_that_found_something_has_no_hints(client, catalog):
    body = client.get("/services?q=fontanro").json
    assert {item["title"] for item in body["items"]} == {"Fontanería urgente", "Fontanería de confianza"}
    assert "hints" not in body
