"""The grid cells a buyer's radius reaches, against brute force: every point within the radius lies
in a cell of the covering (at the edge too), and no cell of it is wholly beyond the radius."""

from __future__ import annotations

import math
import random

import pytest

from adapters.outbound.catalog.grid_cells import (
    GRID,
    ROW_DEGREES,
    SLACK_KM,
    cell_of,
    cells_within,
    columns,
)
from domain.catalog.geo import EARTH_RADIUS_KM, GeoPoint

KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360

CENTRES = {
    "Madrid": GeoPoint(40.4168, -3.7038),
    "on the equator and the prime meridian": GeoPoint(0.0, 0.0),
    "just off both zeros": GeoPoint(-0.03, 0.02),
    "high north, where meridians converge": GeoPoint(70.5, 25.0),
    "near the north pole": GeoPoint(89.7, 10.0),
    "at the south pole": GeoPoint(-90.0, 0.0),
    "on the antimeridian": GeoPoint(-17.5, 179.98),
}


def _destination(centre: GeoPoint, km: float, bearing: float) -> GeoPoint:
    lat1, lng1, d = math.radians(centre.lat), math.radians(centre.lng), km / EARTH_RADIUS_KM
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(bearing))
    lng2 = lng1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(lat1),
                             math.cos(d) - math.sin(lat1) * math.sin(lat2))
    lng = (math.degrees(lng2) + 540) % 360 - 180
    return GeoPoint(max(-90.0, min(90.0, math.degrees(lat2))), lng)


def _farthest_within(centre: GeoPoint, km: float, bearing: float) -> GeoPoint:
    """The last point along a bearing that the haversine still puts within ``km``."""
    inside, outside = 0.0, km * 1.01
    for _ in range(80):
        middle = (inside + outside) / 2
        if _destination(centre, middle, bearing).distance_km(centre) <= km:
            inside = middle
        else:
            outside = middle
    return _destination(centre, inside, bearing)


def _cell_points(cell: str, steps: int = 24) -> list[GeoPoint]:
    _, row, column = cell.split(":")
    row, column = int(row), int(column)
    south, width = -90 + row * ROW_DEGREES, 360 / columns(row)
    west = -180 + column * width
    return [GeoPoint(min(90.0, south + ROW_DEGREES * i / steps), (west + width * j / steps + 180) % 360 - 180)
            for i in range(steps + 1) for j in range(steps + 1)]


@pytest.mark.parametrize("radius_km", [1, 10, 37.5, 100])
@pytest.mark.parametrize("place", list(CENTRES))
def test_every_point_within_the_radius_is_in_a_covering_cell(place, radius_km):
    centre = CENTRES[place]
    covering = set(cells_within(centre, radius_km))
    rng = random.Random(f"{place}{radius_km}")
    points = [_destination(centre, radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi))
              for _ in range(3_000)]
    points += [_farthest_within(centre, radius_km, math.radians(b)) for b in range(0, 360, 5)]
    for point in points:
        if point.distance_km(centre) <= radius_km:
            assert cell_of(point) in covering, (point, cell_of(point))


@pytest.mark.parametrize("radius_km", [1, 10, 100])
@pytest.mark.parametrize("place", list(CENTRES))
def test_no_covering_cell_lies_wholly_beyond_the_radius_and_its_neighbours_that_do_are_left_out(place, radius_km):
    centre = CENTRES[place]
    covering = set(cells_within(centre, radius_km))
    sampling_km = 2 * ROW_DEGREES * KM_PER_DEGREE / 24  # the farthest a cell point is from a sample
    for cell in covering:
        assert min(p.distance_km(centre) for p in _cell_points(cell)) <= radius_km + SLACK_KM + sampling_km, cell
    # The cells one step beyond: what the covering left out must be out of reach everywhere.
    ring = {cell_of(_destination(centre, radius_km + k * 3, math.radians(b))) for b in range(0, 360, 3) for k in (1, 3, 6)}
    for cell in ring - covering:
        assert min(p.distance_km(centre) for p in _cell_points(cell)) > radius_km, cell


def test_cells_are_about_as_wide_as_tall_at_every_latitude():
    for lat in (0.05, 40.45, 70.05, 85.05, 89.95):
        row = math.floor((lat + 90) / ROW_DEGREES)
        width_km = 360 / columns(row) * KM_PER_DEGREE * math.cos(math.radians(lat))
        assert 0.8 < width_km / (ROW_DEGREES * KM_PER_DEGREE) < 1.6, lat


def test_a_cell_names_its_grid_and_the_edges_of_the_world_have_one():
    assert cell_of(GeoPoint(40.4168, -3.7038)).startswith(f"{GRID}:")
    assert cell_of(GeoPoint(90, 180)) == cell_of(GeoPoint(90, -180))
    assert cell_of(GeoPoint(-90, 0)).split(":")[1] == "0"
    assert cell_of(GeoPoint(0.0, 0.0)) != cell_of(GeoPoint(-1e-9, -1e-9))


def test_a_covering_is_small_and_stable():
    madrid = CENTRES["Madrid"]
    assert 4 <= len(cells_within(madrid, 10)) <= 16
    assert len(cells_within(madrid, 100)) <= 400
    assert cells_within(madrid, 10) == sorted(cells_within(madrid, 10))
    assert len(cells_within(CENTRES["at the south pole"], 100)) <= 400
