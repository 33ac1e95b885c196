"""Settings a person edits in forms are PATCHed: only the fields sent change (issue #27).

Each resource the web edits gets a round trip: read it, send back every field its PATCH accepts,
and find every field the API shows identical; a field added later is in both reads, so an older
form that leaves it out can never erase it."""

from __future__ import annotations

import pytest

from adapters.inbound.accounts.schemas import UpdateAccountSchema
from adapters.inbound.catalog.schemas import PresentationPatchSchema, ServicePatchSchema
from adapters.inbound.orders.schemas import AvailabilityPatchSchema
from tests.http.helpers import signed_in

PROFILE = {"display_name": "Carlos Fontanería", "headline": "Fontanero en Madrid", "bio": "Arreglo fugas.",
           "years_experience": 20, "languages": ["es", "en"],
           "service_areas": ["Madrid", "28001"], "accepting_jobs": True,
           "base_location": {"lat": 40.4168, "lng": -3.7038}, "travel_radius_km": 25}
SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos y arreglo fugas.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid", "28001"], "tags": ["grifos", "urgente"]}
HOURS = {"time_zone": "Europe/Madrid", "buffer_minutes": 15,
         "weekly_hours": [{"weekday": "monday", "start": "08:00", "end": "14:00"},
                          {"weekday": "monday", "start": "15:00", "end": "19:00"},
                          {"weekday": "saturday", "start": "09:00", "end": "13:00"}]}
# Written by the server, never by a form.
SERVER_KEPT = {"updated_at"}


@pytest.fixture
def seller(client):
    headers = signed_in(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", json=PROFILE, headers=headers).status_code == 200
    return headers


def _writable(shown: dict, schema) -> dict:
    return {name: value for name, value in shown.items() if name in schema.fields and not schema.fields[name].dump_only}


def _same_but_server_kept(before: dict, after: dict) -> None:
    assert set(after) == set(before)
    assert {k: v for k, v in after.items() if k not in SERVER_KEPT} == \
        {k: v for k, v in before.items() if k not in SERVER_KEPT}


class TestSellerProfile:
    def test_a_headline_alone_keeps_the_travel_area_and_every_other_field(self, client, seller):
        before = client.get("/me/seller-profile", headers=seller).json
        response = client.patch("/me/seller-profile", json={"headline": "Fontanero, urgencias 24 h"}, headers=seller)
        assert response.status_code == 200, response.json
        after = client.get("/me/seller-profile", headers=seller).json
        assert after["headline"] == "Fontanero, urgencias 24 h"
        assert after["base_location"] == {"lat": 40.4168, "lng": -3.7038} and after["travel_radius_km"] == 25
        _same_but_server_kept({**before, "headline": after["headline"]}, after)

    @pytest.mark.parametrize("body", ["everything", "nothing"])
    def test_saving_what_was_read_changes_nothing(self, client, seller, body):
        before = client.get("/me/seller-profile", headers=seller).json
        sent = _writable(before, PresentationPatchSchema()) if body == "everything" else {}
        assert body == "nothing" or {"base_location", "travel_radius_km", "headline"} <= set(sent)
        assert client.patch("/me/seller-profile", json=sent, headers=seller).status_code == 200
        _same_but_server_kept(before, client.get("/me/seller-profile", headers=seller).json)

    def test_services_stay_found_near_the_seller_after_a_patch(self, client, seller):
        assert client.post("/services", json=SERVICE, headers=seller).status_code == 201
        near = "/services?lat=40.42&lng=-3.70"
        assert len(client.get(near).json["items"]) == 1
        client.patch("/me/seller-profile", json={"headline": "Otra"}, headers=seller)
        assert len(client.get(near).json["items"]) == 1

    def test_both_halves_null_clear_the_travel_area_and_the_photo_is_not_edited_here(self, client, seller):
        response = client.patch("/me/seller-profile", json={"photo_url": None}, headers=seller)
        assert response.status_code == 422 and "photo_url" in response.json["message"]  # PUT .../photo's
        response = client.patch("/me/seller-profile", json={"base_location": None, "travel_radius_km": None},
                                headers=seller)
        assert response.json["base_location"] is None and response.json["travel_radius_km"] is None
        assert response.json["headline"] == PROFILE["headline"]

    def test_one_half_of_the_travel_area_keeps_the_other(self, client, seller):
        moved = client.patch("/me/seller-profile", json={"base_location": {"lat": 40.0, "lng": -3.0}}, headers=seller)
        assert moved.json["base_location"] == {"lat": 40.0, "lng": -3.0} and moved.json["travel_radius_km"] == 25
        wider = client.patch("/me/seller-profile", json={"travel_radius_km": 40}, headers=seller)
        assert wider.json["base_location"] == {"lat": 40.0, "lng": -3.0} and wider.json["travel_radius_km"] == 40

    @pytest.mark.parametrize("body, field", [
        ({"display_name": None}, "display_name"),
        ({"languages": None}, "languages"),
        ({"accepting_jobs": None}, "accepting_jobs"),
        ({"years_experience": "abc"}, "years_experience"),
        ({"years_experience": 81}, "years_experience"),
        ({"headline": "x" * 141}, "headline"),
        ({"base_location": None, "travel_radius_km": 10}, "base_location"),
        ({"base_location": {"lat": 40.0, "lng": -3.0}, "travel_radius_km": None}, "travel_radius_km"),
        ({"travel_radius_km": 0}, "travel_radius_km"),
        ({"working_hours": []}, "working_hours"),
        ({"rating_average": 5}, "rating_average"),
    ])
    def test_bad_input_is_422_naming_the_field_and_changes_nothing(self, client, seller, body, field):
        before = client.get("/me/seller-profile", headers=seller).json
        response = client.patch("/me/seller-profile", json=body, headers=seller)
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]["json"]
        assert client.get("/me/seller-profile", headers=seller).json == before

    def test_a_travel_half_without_a_stored_area_is_422_naming_the_missing_half(self, client, seller):
        client.patch("/me/seller-profile", json={"base_location": None, "travel_radius_km": None}, headers=seller)
        response = client.patch("/me/seller-profile", json={"travel_radius_km": 10}, headers=seller)
        assert response.status_code == 422 and "base_location" in response.json["errors"]["json"]

    def test_the_first_patch_creates_the_profile_and_needs_a_name(self, client):
        headers = signed_in(client, "nueva@example.com", "seller")
        missing = client.patch("/me/seller-profile", json={"headline": "Hola"}, headers=headers)
        assert missing.status_code == 422 and "display_name" in missing.json["errors"]["json"]
        created = client.patch("/me/seller-profile", json={"display_name": "Nueva", "headline": "Hola"}, headers=headers)
        assert created.status_code == 200 and created.json["headline"] == "Hola"
        assert created.json["accepting_jobs"] is True and created.json["base_location"] is None

    def test_only_sellers(self, client):
        buyer = signed_in(client, "ana@example.com")
        assert client.patch("/me/seller-profile", json={"headline": "x"}, headers=buyer).status_code == 403
        assert client.patch("/me/seller-profile", json={"headline": "x"}).status_code == 401


class TestServices:
    def test_saving_what_was_read_changes_nothing(self, client, seller):
        service_id = client.post("/services", json=SERVICE, headers=seller).json["id"]
        before = client.get(f"/services/{service_id}").json
        sent = _writable(before, ServicePatchSchema())
        assert set(sent) == set(SERVICE)
        assert client.patch(f"/services/{service_id}", json=sent, headers=seller).status_code == 200
        assert client.patch(f"/services/{service_id}", json={}, headers=seller).status_code == 200
        _same_but_server_kept(before, client.get(f"/services/{service_id}").json)


class TestAvailability:
    def test_saving_what_was_read_changes_nothing(self, client, seller):
        assert client.put("/me/availability", json=HOURS, headers=seller).status_code == 200
        client.post("/me/time-off", json={"start": "2030-08-01T00:00:00+02:00", "end": "2030-08-15T00:00:00+02:00",
                                          "note": "vacaciones"}, headers=seller)
        before = client.get("/me/availability", headers=seller).json
        sent = _writable(before, AvailabilityPatchSchema())
        assert set(sent) == {"time_zone", "buffer_minutes", "weekly_hours"}
        for body in (sent, {}):
            assert client.patch("/me/availability", json=body, headers=seller).status_code == 200
            assert client.get("/me/availability", headers=seller).json == before

    def test_one_field_keeps_the_others(self, client, seller):
        client.put("/me/availability", json=HOURS, headers=seller)
        response = client.patch("/me/availability", json={"buffer_minutes": 30}, headers=seller)
        assert response.status_code == 200
        assert response.json["weekly_hours"] == HOURS["weekly_hours"] and response.json["time_zone"] == "Europe/Madrid"
        hours = client.patch("/me/availability", json={"weekly_hours": HOURS["weekly_hours"][:1]}, headers=seller)
        assert hours.json["buffer_minutes"] == 30 and hours.json["weekly_hours"] == HOURS["weekly_hours"][:1]

    def test_a_first_patch_starts_from_what_get_showed(self, client):
        headers = signed_in(client, "nueva@example.com", "seller")
        shown = client.get("/me/availability", headers=headers).json
        response = client.patch("/me/availability", json={"weekly_hours": HOURS["weekly_hours"]}, headers=headers)
        assert response.status_code == 200 and response.json["time_zone"] == shown["time_zone"]

    @pytest.mark.parametrize("body, field", [
        ({"time_zone": None}, "time_zone"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"buffer_minutes": None}, "buffer_minutes"),
        ({"buffer_minutes": "quince"}, "buffer_minutes"),
        ({"weekly_hours": None}, "weekly_hours"),
        ({"weekly_hours": [{"weekday": "monday", "start": "14:00", "end": "09:00"}]}, "weekly_hours"),
        ({"time_off": []}, "time_off"),
    ])
    def test_bad_input_is_422_naming_the_field(self, client, seller, body, field):
        client.put("/me/availability", json=HOURS, headers=seller)
        response = client.patch("/me/availability", json=body, headers=seller)
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]["json"]


class TestMyAccount:
    def test_saving_what_was_read_changes_nothing(self, client, seller):
        client.patch("/me", json={"phone": "+34 600 000 000"}, headers=seller)
        before = client.get("/me", headers=seller).json
        sent = _writable(before, UpdateAccountSchema())
        assert set(sent) == {"display_name", "phone"}
        for body in (sent, {}):
            assert client.patch("/me", json=body, headers=seller).status_code == 200
            assert client.get("/me", headers=seller).json == before


class TestOneSetOfHours:
    """The profile shows the hours bookings use; the seller edits them in one place (#18)."""

    def test_the_profile_shows_the_bookable_hours(self, client, seller):
        seller_id = client.get("/me", headers=seller).json["id"]
        assert client.get(f"/sellers/{seller_id}").json["working_hours"] == []
        assert client.get(f"/sellers/{seller_id}").json["working_hours_time_zone"] is None
        client.patch("/me/availability", json=HOURS, headers=seller)
        shown = [{"day": "mon", "opens": "08:00", "closes": "14:00"}, {"day": "mon", "opens": "15:00", "closes": "19:00"},
                 {"day": "sat", "opens": "09:00", "closes": "13:00"}]
        for profile in (client.get(f"/sellers/{seller_id}").json, client.get("/me/seller-profile", headers=seller).json):
            assert profile["working_hours"] == shown and profile["working_hours_time_zone"] == "Europe/Madrid"

    def test_a_put_may_send_back_the_hours_it_read_but_never_other_ones(self, client, seller):
        client.patch("/me/availability", json=HOURS, headers=seller)
        read = client.get("/me/seller-profile", headers=seller).json
        same = client.put("/me/seller-profile", headers=seller, json={
            **{k: read[k] for k in PROFILE}, "working_hours": list(reversed(read["working_hours"]))})
        assert same.status_code == 200, same.json
        other = client.put("/me/seller-profile", headers=seller, json={
            **PROFILE, "working_hours": [{"day": "sun", "opens": "10:00", "closes": "12:00"}]})
        assert other.status_code == 422 and "working_hours" in other.json["errors"]["json"]
        assert "/me/availability" in other.json["message"]
        assert client.get("/me/availability", headers=seller).json["weekly_hours"] == HOURS["weekly_hours"]

    def test_hours_a_profile_kept_of_its_own_move_to_the_schedule_once(self, app, client, fakes, seller):
        from domain.catalog.profile import WorkingHours

        seller_id = client.get("/me", headers=seller).json["id"]
        other = signed_in(client, "elena@example.com", "seller")
        other_id = client.get("/me", headers=other).json["id"]
        client.patch("/me/availability", json=HOURS, headers=other)
        fakes.legacy_profile_hours.hours = {
            seller_id: [WorkingHours("tue", "09:10", "13:50"), WorkingHours("tue", "13:00", "18:00"),
                        WorkingHours("sat", "10:00", "14:00")],
            other_id: [WorkingHours("sun", "10:00", "14:00")],
        }
        result = app.test_cli_runner().invoke(args=["catalog-move-profile-hours"])
        assert result.exit_code == 0 and "1 became bookable hours, 1 dropped" in result.output, result.output
        moved = client.get("/me/availability", headers=seller).json
        assert moved["time_zone"] == "Europe/Madrid"
        assert moved["weekly_hours"] == [{"weekday": "tuesday", "start": "09:15", "end": "18:00"},
                                         {"weekday": "saturday", "start": "10:00", "end": "14:00"}]
        # A seller with bookable hours keeps them: bookings already use them.
        assert client.get("/me/availability", headers=other).json["weekly_hours"] == HOURS["weekly_hours"]
        assert fakes.legacy_profile_hours.hours == {}
        again = app.test_cli_runner().invoke(args=["catalog-move-profile-hours"])
        assert "0 became bookable hours, 0 dropped" in again.output
