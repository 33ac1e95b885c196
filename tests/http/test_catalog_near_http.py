"""GET /services near a place and on a date, and sellers' travel areas, over HTTP on the app
wired with fakes (the gazetteer holds the shipped places; the free-time summaries are the
orders context's fake, read through the real adapter and use case)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.orders.free_time import DayFreeTime, PartOfDay
from tests.http.test_catalog_http import PROFILE, _create, _message, _signup

SOL = {"lat": 40.4169, "lng": -3.7035}
AREA = {"base_location": SOL, "travel_radius_km": 10}
SATURDAY = "2026-11-28"  # the fake clock's now is Monday 23 November 2026


@pytest.fixture
def seller(client):
    headers = _signup(client, "carlos@example.com", "seller")
    response = client.put("/me/seller-profile", json={**PROFILE, **AREA}, headers=headers)
    assert response.status_code == 200, response.json
    return headers


@pytest.mark.parametrize("query, parameter", [
    ("lat=91&lng=0", "lat"), ("lat=40&lng=200", "lng"), ("lat=40", "lng"), ("lng=-3", "lat"),
    ("lat=40&lng=-3&radius_km=0", "radius_km"), ("near=Madrid&radius_km=1000", "radius_km"),
    ("radius_km=10", "radius_km"), ("near=99999", "near"), ("near=Atlantis", "near"),
    ("near=28013&lat=40&lng=-3", "near"), ("sort=distance", "sort"), ("lat=nan&lng=0", "lat"),
    ("available_on=2026-11-20", "available_on"), ("available_on=2027-06-01", "available_on"),
    ("available_on=28/11/2026", "available_on"), (f"available_on={SATURDAY}&part_of_day=night", "part_of_day"),
    ("part_of_day=morning", "part_of_day"),
])
def test_bad_near_and_date_values_are_422_naming_the_parameter(client, query, parameter):
    response = client.get(f"/services?{query}")
    assert response.status_code == 422 and parameter in _message(response), response.json


@pytest.mark.parametrize("body, field", [
    ({"base_location": SOL}, "travel_radius_km"), ({"travel_radius_km": 10}, "base_location"),
    ({**AREA, "travel_radius_km": 0}, "travel_radius_km"), ({**AREA, "travel_radius_km": 101}, "travel_radius_km"),
    ({**AREA, "base_location": {"lat": 91, "lng": 0}}, "lat"), ({**AREA, "base_location": {"lat": 40}}, "lng"),
])
def test_a_bad_travel_area_is_422_naming_the_field(client, body, field):
    headers = _signup(client, "elena@example.com", "seller")
    response = client.put("/me/seller-profile", json={**PROFILE, **body}, headers=headers)
    assert response.status_code == 422 and field in _message(response), response.json


def test_the_seller_sees_their_base_and_buyers_never_do(client, seller):
    mine = client.get("/me/seller-profile", headers=seller).json
    assert mine["base_location"] == SOL and mine["travel_radius_km"] == 10
    public = client.get(f"/sellers/{mine['seller_id']}").json
    assert "base_location" not in public and public["travel_radius_km"] == 10


def test_search_near_a_postal_code_carries_each_distance(client, seller):
    other = _signup(client, "elena@example.com", "seller")
    client.put("/me/seller-profile", json={**PROFILE, "display_name": "Elena"}, headers=other)
    covered = _create(client, seller)
    by_name = _create(client, other, service_areas=["28013"], title="Limpieza en Sol", category="cleaning")
    _create(client, other, service_areas=["Sevilla"])
    response = client.get("/services?near=28013")
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["id"] for i in items] == [covered["id"], by_name["id"]]
    # 0.445 km from the base, which is never measured: a whole km from the public point, 2 km from it.
    assert items[0]["distance_km"] in (1.0, 2.0, 3.0) and items[1]["distance_km"] is None
    counts = {f["slug"]: f["count"] for f in response.json["facets"]["categories"]}
    assert counts["plumbing"] == 1 and counts["cleaning"] == 1
    far = client.get("/services?lat=40.4820&lng=-3.3635&category=plumbing").json["items"]  # Alcalá, 30 km
    assert far == []
    assert "distance_km" in client.get("/services").json["items"][0]


def test_available_on_keeps_what_the_seller_has_time_for(client, seller, fakes):
    short = _create(client, seller, duration_minutes=60)
    _create(client, seller, duration_minutes=240)
    seller_id = short["seller_id"]
    saturday = date.fromisoformat(SATURDAY)
    fakes.free_time.put([DayFreeTime(seller_id, saturday, "Europe/Madrid",
                                     {PartOfDay.MORNING: 90, PartOfDay.AFTERNOON: 300, PartOfDay.EVENING: 0},
                                     {PartOfDay.MORNING: 90, PartOfDay.AFTERNOON: 300, PartOfDay.EVENING: 0})])
    afternoon = client.get(f"/services?available_on={SATURDAY}&part_of_day=afternoon&near=Madrid").json["items"]
    assert len(afternoon) == 2
    morning = client.get(f"/services?available_on={SATURDAY}&part_of_day=morning").json["items"]
    assert [i["id"] for i in morning] == [short["id"]]
    assert client.get(f"/services?available_on={SATURDAY}&part_of_day=evening").json["items"] == []
    assert client.get("/services?available_on=2026-11-29").json["items"] == []


def test_openapi_documents_the_new_parameters(client):
    parameters = {p["name"] for p in client.get("/openapi.json").json["paths"]["/services"]["get"]["parameters"]}
    assert {"near", "lat", "lng", "radius_km", "available_on", "part_of_day"} <= parameters


def test_demo_sellers_are_found_near_their_city(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    madrid = client.get("/services?near=28013&category=plumbing").json["items"]
    assert madrid and all(i["distance_km"] is not None and i["distance_km"] < 15 for i in madrid)
    assert client.get("/services?near=Valencia&category=electrical").json["items"]


def test_the_cells_backfill_command_runs_the_use_case_on_the_services_store(app, fakes):
    before = fakes.search_fields_backfill.runs
    result = app.test_cli_runner().invoke(args=["catalog-backfill-cells"])
    assert result.exit_code == 0 and "grid cells written for 0 services" in result.output
    assert fakes.search_fields_backfill.runs == before + 1
