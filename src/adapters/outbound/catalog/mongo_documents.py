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
# Relevance: each tier of a query's keys (``domain/catalog/vocabulary.py``) is walked on the
# keywords index in rank order, so only the keywords driver has it.
RANK_KEYS = (("rank", -1), ("_id", -1))


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
RELEVANCE_INDEX: list[tuple[str, int]] = _search_index("keywords", RANK_KEYS)

# A seller's own services, any status, newest first.
SELLER_INDEX: list[tuple[str, int]] = [("seller_id", 1), ("status", 1), ("created_at", -1), ("_id", -1)]

# Search near a buyer: the base point's grid cell (``grid_cells.py``), a plain string, after
# ``listed`` and the driver, then the key-checked filters, so MongoDB reads that driver's services in
# the cells the radius reaches (an ``$in``) and fetches only those passing the key-checked filters.
# Why not 2dsphere: the local stand-in answers $geoWithin by reading every document of the S2 face
# (all of Spain) and ignores the index prefix; a regular index answers an $in of cells from its keys.
# A seller's or an area's few services use their search index. One array (keywords) per index.
GEO_FIELD = "base_point"
CELL_FIELD = "base_cell"
CELL_DRIVERS: tuple[str | None, ...] = (None, "category", "keywords")
CELL_INDEXES: list[list[tuple[str, int]]] = [
    [("listed", 1), *([(driver, 1)] if driver else []), (CELL_FIELD, 1), *KEY_CHECKED_FIELDS]
    for driver in CELL_DRIVERS]
# The 2dsphere indexes the cells replaced, by name: the backfill drops them where they linger.
REPLACED_GEO_INDEXES = ("listed_1_base_point_2dsphere_category_1", "listed_1_category_1_base_point_2dsphere",
                        "listed_1_keywords_1_base_point_2dsphere")

SERVICE_INDEXES: list[list[tuple[str, int]]] = [*SEARCH_INDEXES, RELEVANCE_INDEX, SELLER_INDEX, *CELL_INDEXES]


def index_name(keys: list[tuple[str, int]]) -> str:
    """MongoDB's default name for an index, which is how the repository hints it."""
    return "_".join(f"{name}_{direction}" for name, direction in keys)


def _mongoengine_fields(keys: list[tuple[str, int]]) -> list[str]:
    # mongoengine names the primary key "id" and spells directions with a sign.
    def spelled(name: str, direction: int) -> str:
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
    base_cell = StringField()  # the grid cell of base_point, which stays the source of truth
    travel_radius_km = IntField()
    photo_ids = ListField(StringField())
    tags = ListField(StringField())
    keywords = ListField(StringField())
    status = StringField(required=True, choices=("active", "paused", "deleted"))
    seller_accepting_jobs = BooleanField(required=True)
    listed = BooleanField(required=True)
    rating_average = FloatField(default=0.0)
    rating_count = IntField(default=0)
    rating_sum = IntField(default=0)
    # Relevance's tie-break (``Service.rank``), kept by every write of its inputs, and one of them.
    rank = IntField(default=0)
    seller_completed_jobs = IntField(default=0)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    version = IntField(default=0)
    # The seller's name, photo and reputation as result cards show them (a copy of the profile).
    seller = DictField()

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
    photo_id = StringField()
    years_experience = IntField(default=0)
    languages = ListField(StringField())
    service_areas = ListField(StringField())
    # Hours profiles once kept of their own; `flask catalog-move-profile-hours` moves them to the
    # bookable schedule (orders context) and removes them.
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
