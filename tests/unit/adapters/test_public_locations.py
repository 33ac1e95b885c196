"""The public point search measures from: stable per seller, 2 km from the base, in a direction
only the key tells."""

from __future__ import annotations

import pytest

from adapters.outbound.catalog.public_locations import KeyedPublicLocations
from domain.catalog.geo import GeoPoint, TravelArea

HOME = TravelArea(GeoPoint(40.43217, -3.68913), 15)


def test_two_km_from_the_base_the_same_each_time_and_the_radius_kept():
    locations = KeyedPublicLocations(b"k" * 32)
    first, again = locations.public_area("carlos", HOME), locations.public_area("carlos", HOME)
    assert first == again and first.radius_km == 15
    assert first.base.distance_km(HOME.base) == pytest.approx(2.0, abs=1e-6)


def test_the_direction_differs_by_seller_and_by_key():
    one, other = KeyedPublicLocations(b"k" * 32), KeyedPublicLocations(b"j" * 32)
    points = {one.public_area("carlos", HOME).base, one.public_area("elena", HOME).base,
              other.public_area("carlos", HOME).base}
    assert len(points) == 3
