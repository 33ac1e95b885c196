"""Where a seller works and where a buyer is: points on the Earth and the distance between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from domain.shared.errors import InvalidInput

# MongoDB's spherical distances use this radius, so the reference computation agrees with it.
EARTH_RADIUS_KM = 6378.1
# The farthest a seller may travel, and so the farthest a search ever looks from a buyer.
MAX_TRAVEL_RADIUS_KM = 100
MIN_RADIUS_KM = 1


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lng: float

    def __post_init__(self) -> None:
        for name, value, limit in (("lat", self.lat, 90), ("lng", self.lng, 180)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InvalidInput("must be a number", field=name)
            if not -limit <= value <= limit:
                raise InvalidInput(f"must be between -{limit} and {limit}", field=name)
        object.__setattr__(self, "lat", float(self.lat))
        object.__setattr__(self, "lng", float(self.lng))

    def moved(self, km: float, bearing_degrees: float) -> GeoPoint:
        """The point ``km`` away along the great circle leaving at ``bearing_degrees`` (0: north)."""
        lat1, lng1 = math.radians(self.lat), math.radians(self.lng)
        angle, bearing = km / EARTH_RADIUS_KM, math.radians(bearing_degrees)
        lat2 = math.asin(math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing))
        lng2 = lng1 + math.atan2(math.sin(bearing) * math.sin(angle) * math.cos(lat1),
                                 math.cos(angle) - math.sin(lat1) * math.sin(lat2))
        return GeoPoint(math.degrees(lat2), (math.degrees(lng2) + 540) % 360 - 180)

    def distance_km(self, other: GeoPoint) -> float:
        """Great-circle (haversine) distance."""
        lat1, lat2 = math.radians(self.lat), math.radians(other.lat)
        dlat, dlng = lat2 - lat1, math.radians(other.lng - self.lng)
        h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def check_radius(value: object, *, field: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInput("must be a number of kilometres", field=field)
    if not MIN_RADIUS_KM <= value <= MAX_TRAVEL_RADIUS_KM:
        raise InvalidInput(f"must be between {MIN_RADIUS_KM} and {MAX_TRAVEL_RADIUS_KM} km", field=field)
    return value


@dataclass(frozen=True)
class TravelArea:
    """A seller's base and how far they travel from it. Postal codes and cities they cover are
    listed on each service (``service_areas``) and extend this area."""

    base: GeoPoint
    radius_km: int

    def __post_init__(self) -> None:
        if not isinstance(self.base, GeoPoint):
            raise InvalidInput("give lat and lng", field="base_location")
        if isinstance(self.radius_km, bool) or not isinstance(self.radius_km, int):
            raise InvalidInput("must be a whole number of kilometres", field="travel_radius_km")
        check_radius(self.radius_km, field="travel_radius_km")

    def covers(self, point: GeoPoint) -> bool:
        return self.base.distance_km(point) <= self.radius_km

    def around(self, point: GeoPoint) -> TravelArea:
        """The same radius around another point: what buyers' searches are measured against
        instead of the base, which is often the seller's home."""
        return TravelArea(point, self.radius_km)


# A seller's base never leaves the API: search measures from a point this far from it, in a
# direction fixed per seller and secret, so no number of searches places a home closer than this.
PUBLIC_POINT_OFFSET_KM = 2.0


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a postal code or a city, and the area keys a service lists to cover it."""

    name: str
    kind: str  # "postal_code" or "city"
    point: GeoPoint
    area_keys: tuple[str, ...]
