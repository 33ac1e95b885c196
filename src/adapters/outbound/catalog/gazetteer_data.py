"""The Spanish gazetteer shipped with the project (``data/gazetteer_es.csv``): cities, and
postal codes of the main cities. City coordinates are their centres; a postal code's are its
district centre where known, else a point spread around its city's centre (inner codes
nearer), close enough for "who works near me" within a few kilometres."""

from __future__ import annotations

import csv
from pathlib import Path

from domain.catalog.geo import GeoPoint, Place
from domain.catalog.keywords import normalize_area

GAZETTEER_CSV = Path(__file__).with_name("data") / "gazetteer_es.csv"


def spanish_places(path: Path = GAZETTEER_CSV) -> list[Place]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    places = []
    for row in rows:
        # A postal code is also covered by a service that names its city.
        keys = dict.fromkeys([normalize_area(row["name"]), normalize_area(row["city"])])
        places.append(Place(name=row["name"], kind=row["kind"], point=GeoPoint(float(row["lat"]), float(row["lng"])),
                            area_keys=tuple(keys)))
    return places


class ShippedSpanishPlaces:
    def __init__(self, path: Path = GAZETTEER_CSV) -> None:
        self._path = path

    def places(self) -> list[Place]:
        return spanish_places(self._path)
