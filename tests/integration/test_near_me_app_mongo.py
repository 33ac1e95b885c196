"""Near me and available when I need it, through the whole app on the local MongoDB-compatible
server: seed-demo loads the gazetteer and sets the demo sellers' hours, the orders context keeps
their free-time summaries, and GET /services finds them by place and date."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.outbound.mongo.connection import disconnect
from tests.conftest import test_settings as settings_for_tests

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(mongo_url: str):
    from bootstrap import create_app

    application = create_app(settings_for_tests(mongodb_uri=mongo_url, mongodb_db="near_me_app_integration",
                                                argon2_memory_kib=64, argon2_time_cost=1))
    application.config["TESTING"] = True
    try:
        result = application.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert "postal codes and cities" in result.output
        yield application.test_client()
    finally:
        disconnect()


def _next(weekday: int) -> str:
    """The next such local day, at least tomorrow: today's past hours are not offered."""
    today = datetime.now(ZoneInfo("Europe/Madrid")).date()
    return (today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)).isoformat()


def _titles(client, query: str) -> list[str]:
    response = client.get(f"/services?{query}")
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def test_demo_plumbing_near_sol_with_distance(client):
    items = client.get("/services?near=28013&category=plumbing").json["items"]
    assert {i["title"] for i in items} == {"Reparación de fugas y grifos", "Desatasco de tuberías y desagües"}
    # Whole km from the sellers' public points, 2 km from their bases (a few hundred metres from Sol).
    assert all(i["distance_km"] in (1.0, 2.0, 3.0) for i in items)
    assert _titles(client, "near=08002&category=plumbing") == []  # nobody comes from Madrid to Barcelona
    assert _titles(client, "lat=39.47&lng=-0.376&category=electrical&sort=price_asc")[0] == \
        "Instalación de enchufes y puntos de luz"
    assert client.get("/services?near=99999").status_code == 422


def test_demo_sellers_are_available_on_weekdays_only(client):
    # Demo hours: weekdays 08:00-14:00 and 15:00-19:00 in Madrid, so 18:00-19:00 holds one hour.
    monday, sunday = _next(0), _next(6)
    assert len(_titles(client, f"near=28013&category=plumbing&available_on={monday}")) == 2
    assert _titles(client, f"near=28013&category=plumbing&available_on={monday}&part_of_day=evening") == \
        ["Reparación de fugas y grifos"]
    assert _titles(client, f"near=28013&available_on={sunday}") == []
