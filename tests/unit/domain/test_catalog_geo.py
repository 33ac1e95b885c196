from __future__ import annotations

import math

import pytest

from domain.catalog.geo import GeoPoint, TravelArea
from domain.shared.errors import InvalidInput

MADRID = GeoPoint(40.4168, -3.7038)
BARCELONA = GeoPoint(41.3874, 2.1686)


def test_distance_is_the_great_circle_on_mongodbs_sphere():
    assert MADRID.distance_km(BARCELONA) == pytest.approx(505.7, abs=0.5)
    assert MADRID.distance_km(MADRID) == 0
    # One degree of latitude: 2 * pi * 6378.1 / 360.
    assert GeoPoint(0, 0).distance_km(GeoPoint(1, 0)) == pytest.approx(2 * math.pi * 6378.1 / 360)


@pytest.mark.parametrize("lat, lng, field", [(91, 0, "lat"), (-90.5, 0, "lat"), (0, 180.1, "lng"),
                                             (float("nan"), 0, "lat"), (True, 0, "lat"), (0, "3", "lng")])
def test_a_point_off_the_globe_names_its_coordinate(lat, lng, field):
    with pytest.raises(InvalidInput) as error:
        GeoPoint(lat, lng)
    assert error.value.field == field


@pytest.mark.parametrize("radius", [0, 101, 2.5, True])
def test_a_travel_radius_is_1_to_100_whole_km(radius):
    with pytest.raises(InvalidInput) as error:
        TravelArea(MADRID, radius)
    assert error.value.field == "travel_radius_km"


def test_an_area_covers_up_to_its_radius_inclusive():
    area = TravelArea(MADRID, 10)
    north = 10 / (2 * math.pi * 6378.1 / 360)  # degrees of latitude for 10 km
    assert area.covers(GeoPoint(MADRID.lat + north * 0.999, MADRID.lng))
    assert not area.covers(GeoPoint(MADRID.lat + north * 1.001, MADRID.lng))
