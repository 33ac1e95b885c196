"""The whole app on the local MongoDB-compatible server: the catalog's real adapters wired by
bootstrap, indexes created, demo data seeded and searched over HTTP."""

from __future__ import annotations

import json

import pytest

from tests.conftest import app_on_mongo

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(mongo_url: str):
    with app_on_mongo(mongo_url, "catalog_app_integration") as application:
        yield application


def test_seeded_catalog_is_searchable_and_profiles_are_public(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "services kept" in again.output
    client = app.test_client()

    categories = {c["slug"]: c["active_services"] for c in client.get("/categories").json}
    assert sum(categories.values()) == 12 and categories["plumbing"] == 2

    found = client.get("/services?q=FONTANERIA&page_size=1")
    assert found.status_code == 200
    assert json.loads(found.headers["X-Pagination"])["total"] == 2
    seller_id = found.json["items"][0]["seller_id"]

    public = client.get(f"/sellers/{seller_id}").json
    assert public["display_name"] == "Carlos Fontanería" and len(public["services"]) == 3
    assert public["member_since"] and public["completed_jobs"] == 0

    token = client.post("/auth/login", json={"email": "carlos.plumber@example.com",
                                             "password": "demo-password-1"}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    profile = client.get("/me/seller-profile", headers=headers).json
    hidden = client.put("/me/seller-profile", headers=headers,
                        json={k: profile[k] for k in ("display_name", "headline", "bio", "languages", "service_areas",
                                                      "working_hours", "years_experience")} | {"accepting_jobs": False})
    assert hidden.status_code == 200
    assert client.get("/services?q=fontaneria").json["items"] == []
    assert client.get(f"/sellers/{seller_id}").json["services"] == []
    mine = client.get("/me/services", headers=headers)
    assert len(mine.json["items"]) == 3
    assert client.post(f"/services/{mine.json['items'][0]['id']}/pause", headers=headers).json["status"] == "paused"


def test_hours_a_stored_profile_kept_of_its_own_move_to_the_schedule(app):
    """Profiles written before hours had one home hold `working_hours`: moved once, then gone."""
    from adapters.outbound.catalog.mongo_documents import SellerProfileDocument

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client = app.test_client()
    token = client.post("/auth/login", json={"email": "marta.garden@example.com",
                                             "password": "demo-password-1"}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    seller_id = client.get("/me", headers=headers).json["id"]
    before = client.get("/me/availability", headers=headers).json
    with app.app_context():
        profiles = SellerProfileDocument._get_collection()
        profiles.update_one({"_id": seller_id},
                            {"$set": {"working_hours": [{"day": "sat", "opens": "08:00", "closes": "13:00"}]}})
        moved = runner.invoke(args=["catalog-move-profile-hours"])
        assert moved.exit_code == 0 and "1 dropped" in moved.output, moved.output
        assert "working_hours" not in profiles.find_one({"_id": seller_id})
    # Marta had bookable hours: those win, and the profile shows them.
    assert client.get("/me/availability", headers=headers).json == before
    shown = client.get(f"/sellers/{seller_id}").json
    assert {h["day"] for h in shown["working_hours"]} == {"mon", "tue", "wed", "thu", "fri"}
    assert shown["working_hours_time_zone"] == "Europe/Madrid"
