"""A fixed grid on the Earth, and the grid cells a buyer's radius can reach.

Search near a buyer looks services up by the cell of their base point (``base_cell``, a plain
string on a regular compound index) instead of a 2dsphere index: the local MongoDB stand-in answers
every ``$geoWithin`` by reading every document on the same S2 face (all of Spain), and on MongoDB an
``$in`` of a few cells reads a bounded multiple of the services within the radius.

Rows are ``ROW_DEGREES`` of latitude (~11 km); each row is cut into as many columns as keep a cell
about as wide as it is tall at the row's middle latitude, so cells do not shrink to slivers near
the poles and a covering stays a few hundred cells at most, anywhere. The grid is storage layout,
not domain: the adapter computes it. Row height measured on uniform points over Spain: the cells a radius
reaches hold about 2.5 times the services within it at 10 km and 1.15 times at 100 km, in 7 and
~290 cells (0.05 degrees: 1.85 and 1.07 times, but ~1,100 cells at 100 km; 0.2: 3.0 and 1.3)."""

from __future__ import annotations

import math
from functools import lru_cache

from domain.catalog.geo import EARTH_RADIUS_KM, GeoPoint

GRID = "g1"
ROW_DEGREES = 0.1
ROWS = round(180 / ROW_DEGREES)
# Cell bounds are widened by this much when deciding a covering, so a point that rounding put in
# the neighbouring cell (it lies on the shared edge) is still reached through either cell.
EDGE_DEGREES = 1e-9
# A covering keeps every cell whose nearest point is within the radius plus this: the distance
# below and the domain's haversine may disagree in the last bits, and a cell too many costs only
# its keys, a cell too few loses services.
SLACK_KM = 1e-3


@lru_cache(maxsize=ROWS)
def columns(row: int) -> int:
    middle = -90 + (row + 0.5) * ROW_DEGREES
    return max(1, round(360 / ROW_DEGREES * math.cos(math.radians(middle))))


def _row_of(lat: float) -> int:
    return min(ROWS - 1, max(0, math.floor((lat + 90) / ROW_DEGREES)))


def _column_of(row: int, lng: float) -> int:
    n = columns(row)
    return math.floor((lng + 180) / 360 * n) % n


def _name(row: int, column: int) -> str:
    return f"{GRID}:{row}:{column}"


def cell_of(point: GeoPoint) -> str:
    row = _row_of(point.lat)
    return _name(row, _column_of(row, point.lng))


def _nearest_km(centre: GeoPoint, row: int, column: int) -> float:
    """The great-circle distance from ``centre`` to the nearest point of a cell (0 inside it).

    For any latitude the nearest longitude of the cell is its edge nearest to the centre (the
    distance grows with the longitude difference), so the nearest point lies on that meridian;
    along it cos(distance) = A sin(lat) + B cos(lat), largest at atan2(A, B) or at an end."""
    width = 360 / columns(row)
    south = math.radians(-90 + row * ROW_DEGREES - EDGE_DEGREES)
    north = math.radians(-90 + (row + 1) * ROW_DEGREES + EDGE_DEGREES)
    west = -180 + column * width - EDGE_DEGREES
    offset = (centre.lng - west) % 360
    span = width + 2 * EDGE_DEGREES
    dlng = 0.0 if offset <= span else min(offset - span, 360 - offset)
    lat = math.radians(centre.lat)
    a, b = math.sin(lat), math.cos(lat) * math.cos(math.radians(dlng))
    peak = math.atan2(a, b)
    if south <= peak <= north:
        best = math.hypot(a, b)
    else:
        best = max(a * math.sin(south) + b * math.cos(south), a * math.sin(north) + b * math.cos(north))
    return EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, best)))


def _candidate_columns(centre: GeoPoint, angle: float, row: int) -> range | list[int]:
    """The columns of a row within the radius's longitude span (all of them when the circle holds
    a pole); each is then decided by its nearest point."""
    n = columns(row)
    reach = math.sin(angle)
    if math.cos(math.radians(centre.lat)) <= reach:
        return range(n)
    half = math.degrees(math.asin(reach / math.cos(math.radians(centre.lat))))
    width = 360 / n
    first = math.floor((centre.lng - half + 180) / width) - 1
    last = math.floor((centre.lng + half + 180) / width) + 1
    if last - first + 1 >= n:
        return range(n)
    return sorted({k % n for k in range(first, last + 1)})


def cells_within(centre: GeoPoint, radius_km: float) -> list[str]:
    """Every cell holding a point within ``radius_km`` of ``centre`` (and a few at the edge, by
    ``SLACK_KM``); never one whose nearest point is farther. Sorted, so equal searches send equal
    queries."""
    limit = radius_km + SLACK_KM
    angle = min(math.pi, limit / EARTH_RADIUS_KM)
    reach_degrees = math.degrees(angle)
    cells = []
    for row in range(_row_of(centre.lat - reach_degrees), _row_of(centre.lat + reach_degrees) + 1):
        for column in _candidate_columns(centre, angle, row):
            if _nearest_km(centre, row, column) <= limit:
                cells.append(_name(row, column))
    return sorted(cells)
