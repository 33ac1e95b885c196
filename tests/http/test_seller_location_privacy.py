"""A seller's base (often their home) cannot be located from search. Three anonymous searches with
seller_id and lat/lng used to give it away exactly (distances to 10 m from the base itself). Now
search measures from a public point ~2 km from the base in a secret direction, and shows whole
kilometres. The attacker here is stronger than rounding allows for: it bisects radius_km (a float)
to get exact distances to whatever search measures from, then trilaterates by least squares."""

from __future__ import annotations

import json
import math

from tests.http.test_catalog_http import PROFILE, _create, _signup

HOME = {"lat": 40.43217, "lng": -3.68913}  # somewhere in Salamanca, Madrid
KM_PER_DEG_LAT = 110.574


def to_km(lat: float, lng: float) -> tuple[float, float]:
    return (lng - HOME["lng"]) * 111.320 * math.cos(math.radians(HOME["lat"])), (lat - HOME["lat"]) * KM_PER_DEG_LAT


def from_km(x: float, y: float) -> tuple[float, float]:
    return HOME["lat"] + y / KM_PER_DEG_LAT, HOME["lng"] + x / (111.320 * math.cos(math.radians(HOME["lat"])))


def found(client, seller_id: str, lat: float, lng: float, radius_km: float | None = None) -> list[dict]:
    query = f"/services?seller_id={seller_id}&lat={lat}&lng={lng}" + (f"&radius_km={radius_km}" if radius_km else "")
    answer = client.get(query)
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def exact_distance(client, seller_id: str, lat: float, lng: float) -> float:
    """The smallest radius that still finds the service: the distance search measured."""
    low, high = 1.0, 40.0
    assert found(client, seller_id, lat, lng, high) and not found(client, seller_id, lat, lng, low)
    for _ in range(22):
        middle = (low + high) / 2
        low, high = (low, middle) if found(client, seller_id, lat, lng, middle) else (middle, high)
    return high


def least_squares(observations: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Gauss-Newton for the point whose distances to (x, y) best match d."""
    x = sum(o[0] for o in observations) / len(observations)
    y = sum(o[1] for o in observations) / len(observations)
    for _ in range(50):
        a11 = a12 = a22 = b1 = b2 = 0.0
        for ox, oy, d in observations:
            r = math.hypot(x - ox, y - oy) or 1e-9
            jx, jy, residual = (x - ox) / r, (y - oy) / r, r - d
            a11, a12, a22 = a11 + jx * jx, a12 + jx * jy, a22 + jy * jy
            b1, b2 = b1 + jx * residual, b2 + jy * residual
        det = a11 * a22 - a12 * a12
        x, y = x - (a22 * b1 - a12 * b2) / det, y - (a11 * b2 - a12 * b1) / det
    return x, y


def test_no_number_of_searches_locates_the_home_within_a_kilometre(client):
    seller = _signup(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", headers=seller,
                      json={**PROFILE, "base_location": HOME, "travel_radius_km": 30}).status_code == 200
    service = _create(client, seller)
    seller_id = service["seller_id"]

    # Searchers on a ring 8 km around the home, and the coarse distances a buyer sees from 24 points.
    ring = [from_km(8 * math.cos(a), 8 * math.sin(a)) for a in (i * math.pi / 3 for i in range(6))]
    exact = [(*to_km(lat, lng), exact_distance(client, seller_id, lat, lng)) for lat, lng in ring]
    grid = [from_km(x, y) for x in (-9, -3, 3, 9) for y in (-6, 0, 6, 12, 18, -12)]
    shown = [(*to_km(lat, lng), found(client, seller_id, lat, lng)[0]["distance_km"]) for lat, lng in grid]

    best = least_squares(exact)
    coarse = least_squares(shown)
    residual = max(abs(math.hypot(best[0] - ox, best[1] - oy) - d) for ox, oy, d in exact)
    assert residual < 0.05, "the bisection measured one fixed point exactly: the attack itself works"
    for estimate in (best, coarse):
        print(f"\nhome located within {math.hypot(*estimate):.3f} km")
        assert math.hypot(*estimate) >= 1.0, f"the home was located within {math.hypot(*estimate):.3f} km"
    assert all(d == round(d) and d >= 1 for _, _, d in shown), "distances are whole kilometres"


def test_the_base_never_leaves_the_api_in_public_answers(client):
    seller = _signup(client, "carlos@example.com", "seller")
    client.put("/me/seller-profile", headers=seller, json={**PROFILE, "base_location": HOME, "travel_radius_km": 30})
    service = _create(client, seller)
    answers = [client.get(f"/sellers/{service['seller_id']}"), client.get(f"/services/{service['id']}"),
               client.get(f"/services?lat={HOME['lat']}&lng={HOME['lng']}"), client.get("/services"),
               client.get(f"/services?seller_id={service['seller_id']}&near=28001")]
    for answer in answers:
        assert answer.status_code == 200, answer.json
        text = json.dumps(answer.json)
        assert "base_location" not in text and str(HOME["lat"])[:6] not in text and str(HOME["lng"])[:6] not in text


def test_services_stored_with_the_base_get_the_public_point_from_the_operators_command(app, client, fakes):
    from domain.catalog.geo import GeoPoint, TravelArea

    seller = _signup(client, "carlos@example.com", "seller")
    client.put("/me/seller-profile", headers=seller, json={**PROFILE, "base_location": HOME, "travel_radius_km": 30})
    service = _create(client, seller)
    base = GeoPoint(HOME["lat"], HOME["lng"])
    fakes.services.set_seller_travel_area(service["seller_id"], TravelArea(base, 30))  # as an older release wrote

    result = app.test_cli_runner().invoke(args=["catalog-publish-areas"])

    assert result.exit_code == 0 and "public travel areas written for 1 sellers" in result.output
    stored = fakes.services.get(service["id"]).travel_area
    assert stored.radius_km == 30 and abs(stored.base.distance_km(base) - 2.0) < 1e-6
