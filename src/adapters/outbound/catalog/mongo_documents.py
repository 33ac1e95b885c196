"""MongoDB documents of the catalog. The search indexes follow one rule, equality then sort then
range (ESR): ``listed`` (active and seller taking jobs), then at most one driving equality field,
then the sort keys ending in ``_id`` (a stable order across pages), then the price range.
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


def _search_index(driver: str | None, sort: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    keys = [("listed", 1)] + ([(driver, 1)] if driver else []) + list(sort)
    if sort is not PRICE_KEYS:
        keys.append(("price_amount", 1))
    return keys


SEARCH_INDEXES: list[list[tuple[str, int]]] = [
    _search_index(driver, sort) for driver in SEARCH_DRIVERS for sort in SORT_KEY_SETS]

# A seller's own services, any status, newest first.
SELLER_INDEX: list[tuple[str, int]] = [("seller_id", 1), ("status", 1), ("created_at", -1), ("_id", -1)]

SERVICE_INDEXES: list[list[tuple[str, int]]] = [*SEARCH_INDEXES, SELLER_INDEX]


def index_name(keys: list[tuple[str, int]]) -> str:
    """MongoDB's default name for an index, which is how the repository hints it."""
    return "_".join(f"{name}_{direction}" for name, direction in keys)


def _mongoengine_fields(keys: list[tuple[str, int]]) -> list[str]:
    # mongoengine names the primary key "id" and spells directions with a sign.
    return [("-" if direction < 0 else "+") + ("id" if name == "_id" else name) for name, direction in keys]


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
        "indexes": [{"fields": _mongoengine_fields(keys)} for keys in SERVICE_INDEXES],
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
    rating_average = FloatField(default=0.0)
    rating_count = IntField(default=0)
    rating_sum = IntField(default=0)
    completed_jobs = IntField(default=0)
    member_since = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    version = IntField(default=0)

    meta = {"collection": "seller_profiles", "indexes": [], "auto_create_index": False}


CATALOG_DOCUMENTS = [ServiceDocument, SellerProfileDocument]
