"""Each seller's public point: ``PUBLIC_POINT_OFFSET_KM`` from the base, at a bearing drawn from
HMAC(key, seller id). Without the key the bearing is unknown, so even exact distances to the public
point (which trilateration recovers) leave the home anywhere on a circle of that radius around it.
The key must not change: two public points of one base, before and after, would meet at the home."""

from __future__ import annotations

import hashlib
import hmac

from domain.catalog.geo import PUBLIC_POINT_OFFSET_KM, TravelArea


class KeyedPublicLocations:
    def __init__(self, key: bytes, offset_km: float = PUBLIC_POINT_OFFSET_KM) -> None:
        self._key = key
        self._offset_km = offset_km

    def public_area(self, seller_id: str, area: TravelArea) -> TravelArea:
        digest = hmac.new(self._key, f"seller-public-point:{seller_id}".encode(), hashlib.sha256).digest()
        bearing = int.from_bytes(digest[:8], "big") / 2**64 * 360.0
        return area.around(area.base.moved(self._offset_km, bearing))
