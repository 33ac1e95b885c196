"""MongoDB documents of the catalog. The search indexes follow one rule, equality then sort then
range (ESR): ``listed`` (active and seller taking jobs), then at most one driving equality field,
then the sort keys ending in ``_id`` (a stable order across pages), then the fields a filter may
bound without driving: the price range, the minimum rating and the price model. Those trailing
keys are checked on the index entry, so MongoDB fetches only documents that pass them.
``query_shapes.py`` checks every query the repository issues against these declarations."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    FloatField,
    IntField,
    ListField,
    StringField,
)

# The driving equality field of a search, after ``listed``. Never two array fields in one index
# (MongoDB refuses to index parallel arrays), so keywords and area_keys each drive their own.
SEARCH_DRIVERS: tuple[str | None, ...] = (None, "category", "keywords", "area_keys", "seller_id")

NEWEST_KEYS = (("created_at", -1), ("_id", -1))
PRICE_KEYS = (("price_amount", 1), ("_id", 1))
RATING_KEYS = (("rating_average", -1), ("rating_count", -1), ("_id", -1))
SORT_KEY_SETS = (NEWEST_KEYS, PRICE_KEYS, RATING_KEYS)


# Filters checked on the index entry after the sort keys (a bound there cannot narrow the walk, but
# it spares the fetch of every document it rejects). A sort on one of them bounds it directly.
KEY_CHECKED_FIELDS = (("price_amount", 1), ("rating_average", -1), ("price_model", 1))


def _search_index(driver: str | None, sort: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    keys = [("listed", 1)] + ([(driver, 1)] if driver else []) + list(sort)
    sorted_on = {name for name, _ in sort}
    keys += [key for key in KEY_CHECKED_FIELDS if key[0] not in sorted_on]
    return keys


SEARCH_INDEXES: list[list[tuple[str, int]]] = [
    _search_index(driver, sort) for driver in SEARCH_DRIVERS for sort in SORT_KEY_SETS]

# A seller's own services, any status, newest first.
SELLER_INDEX: list[tuple[str, int]] = [("seller_id", 1), ("status", 1), ("created_at", -1), ("_id", -1)]

# Search near a buyer: $geoNear walks this, nearest first, within the largest travel radius.
# ``listed`` before the point so only listed services are visited; the category after it so a
# category filter is checked on index keys. The one 2dsphere index on base_point ($geoNear
# names it with ``key``; it takes no hint).
GEO_FIELD = "base_point"
GEO_INDEX: list[tuple[str, int | str]] = [("listed", 1), (GEO_FIELD, "2dsphere"), ("category", 1)]

# Search near a buyer with a category or keywords: $geoWithin the buyer's radius on an index led
# by ``listed`` and that field, then the point, so MongoDB reads only that field's services within
# the radius (with GEO_INDEX it would read every listed service there). A seller's or an area's
# services are few and mostly in one place: their search indexes serve them, the point checked
# on the document.
GEO_DRIVERS = ("category", "keywords")
GEO_DRIVER_INDEXES: list[list[tuple[str, int | str]]] = [
    [("listed", 1), (driver, 1), (GEO_FIELD, "2dsphere")] for driver in GEO_DRIVERS]
GEO_INDEXES: list[list[tuple[str, int | str]]] = [GEO_INDEX, *GEO_DRIVER_INDEXES]

SERVICE_INDEXES: list[list[tuple[str, int]]] = [*SEARCH_INDEXES, SELLER_INDEX]


def index_name(keys: list[tuple[str, int | str]]) -> str:
    """MongoDB's default name for an index, which is how the repository hints it."""
    return "_".join(f"{name}_{direction}" for name, direction in keys)


def _mongoengine_fields(keys: list[tuple[str, int | str]]) -> list[str]:
    # mongoengine names the primary key "id", spells directions with a sign and 2dsphere with "(".
    def spelled(name: str, direction: int | str) -> str:
        if direction == "2dsphere":
            return "(" + name
        return ("-" if direction < 0 else "+") + ("id" if name == "_id" else name)

    return [spelled(name, direction) for name, direction in keys]


class ServiceDocument(Document):
    id = StringField(primary_key=True)
    seller_id = StringField(required=True)
    title = StringField(required=True)
    description = StringField(required=True)
    category = StringField(required=True)
    price_model = StringField(required=True, choices=("fixed", "hourly", "quote"))
    price_amount = IntField()  # minor units; absent for services on quote
    price_currency = StringField()
    duration_minutes = IntField(required=True)
    service_areas = ListField(StringField())
    area_keys = ListField(StringField())
    base_point = DictField()  # GeoJSON Point [lng, lat]; absent when the seller set no travel area
    travel_radius_km = IntField()
    image_urls = ListField(StringField())
    tags = ListField(StringField())
    keywords = ListField(StringField())
    status = StringField(required=True, choices=("active", "paused", "deleted"))
    seller_accepting_jobs = BooleanField(required=True)
    listed = BooleanField(required=True)
    rating_average = FloatField(default=0.0)
    rating_count = IntField(default=0)
    rating_sum = IntField(default=0)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    version = IntField(default=0)

    meta = {
        "collection": "services",
        "indexes": [*({"fields": _mongoengine_fields(keys)} for keys in SERVICE_INDEXES),
                    # The version the server would pick, said explicitly: asked again at the next
                    # start, the same index is then "already there", not a conflicting spec.
                    *({"fields": _mongoengine_fields(keys), "2dsphereIndexVersion": 3} for keys in GEO_INDEXES)],
        "auto_create_index": False,
    }


class SellerProfileDocument(Document):
    id = StringField(primary_key=True)  # the seller's user id
    display_name = StringField(required=True)
    headline = StringField()
    bio = StringField()
    photo_url = StringField()
    years_experience = IntField(default=0)
    languages = ListField(StringField())
    service_areas = ListField(StringField())
    working_hours = ListField(DictField())
    accepting_jobs = BooleanField(required=True)
    base_point = DictField()
    travel_radius_km = IntField()
    rating_average = FloatField(default=0.0)
    rating_count = IntField(default=0)
    rating_sum = IntField(default=0)
    completed_jobs = IntField(default=0)
    member_since = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    version = IntField(default=0)

    meta = {"collection": "seller_profiles", "indexes": [], "auto_create_index": False}


class PlaceDocument(Document):
    """The gazetteer: a Spanish postal code or city by its normalised name."""

    id = StringField(primary_key=True)  # normalize_area(name)
    name = StringField(required=True)
    kind = StringField(required=True, choices=("postal_code", "city"))
    point = DictField(required=True)  # GeoJSON Point [lng, lat]
    area_keys = ListField(StringField())

    meta = {"collection": "places", "indexes": [], "auto_create_index": False}


CATALOG_DOCUMENTS = [ServiceDocument, SellerProfileDocument, PlaceDocument]
