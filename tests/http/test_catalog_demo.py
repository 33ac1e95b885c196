from __future__ import annotations


def test_seed_demo_gives_each_seller_a_profile_and_services_once(app, fakes):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "3 services created" in first.output
    profiles = dict(fakes.seller_profiles.profiles)
    services = dict(fakes.services.services)
    assert len(profiles) == 4 and len(services) == 12
    assert len({s.category for s in services.values()}) >= 6
    carlos = next(p for p in profiles.values() if p.presentation.display_name == "Carlos Fontanería")
    assert {s.category for s in services.values() if s.seller_id == carlos.seller_id} >= {"plumbing"}
    # Pictures drawn at seed time: a portrait per seller, a scene per service, stored like any upload.
    assert all(p.photo_id for p in profiles.values()) and all(len(s.photo_ids) == 1 for s in services.values())
    assert len({image for _, image, _ in fakes.images.objects}) == 4 + 12

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "profile kept, services kept, photos kept" in again.output
    assert len({image for _, image, _ in fakes.images.objects}) == 4 + 12
    assert len(fakes.seller_profiles.profiles) == 4 and len(fakes.services.services) == 12


def test_demo_services_are_searchable(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    response = client.get("/services?q=fontaneria")
    assert response.status_code == 200 and response.json["items"]
    assert client.get("/services?area=malaga").json["items"]


def test_a_restart_never_overwrites_what_a_demo_seller_changed(app, client, fakes):
    """`make run` seeds at every start: what the seller changed since stays as they left it (#27)."""
    from adapters.inbound.cli.demo import DEMO_PASSWORD

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    token = client.post("/auth/login", json={"email": "carlos.plumber@example.com", "password": DEMO_PASSWORD})
    carlos = {"Authorization": f"Bearer {token.json['access_token']}"}
    changed = client.patch("/me/seller-profile", headers=carlos, json={
        "headline": "Fontanero jubilado", "base_location": None, "travel_radius_km": None})
    assert changed.status_code == 200, changed.json
    for service in client.get("/me/services", headers=carlos).json["items"]:
        assert client.delete(f"/services/{service['id']}", headers=carlos).status_code == 204
    assert client.patch("/me/availability", headers=carlos, json={"weekly_hours": []}).status_code == 200
    assert client.get("/me/seller-profile", headers=carlos).json["photo"] is not None  # the demo's portrait
    assert client.delete("/me/seller-profile/photo", headers=carlos).status_code in (200, 204)
    profile_before = client.get("/me/seller-profile", headers=carlos).json
    assert profile_before["photo"] is None
    hours_before = client.get("/me/availability", headers=carlos).json

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert client.get("/me/seller-profile", headers=carlos).json == profile_before
    assert client.get("/me/services", headers=carlos).json["items"] == []
    assert client.get("/me/availability", headers=carlos).json == hours_before
