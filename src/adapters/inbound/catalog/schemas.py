from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields, validate
from marshmallow.utils import get_value
from flask_smorest.fields import Upload

from adapters.inbound.catalog.search_json import photo_json
from adapters.inbound.http.schemas import MoneySchema, PatchSchema
from application.catalog.search import MAX_QUERY_CHARS, PARTS_OF_DAY, SortOrder
from domain.catalog.geo import MAX_TRAVEL_RADIUS_KM, MIN_RADIUS_KM
from application.shared.pagination import MAX_PAGE_SIZE
from domain.catalog.profile import MAX_BIO, MAX_HEADLINE, Weekday
from domain.catalog.service import (
    MAX_AREAS,
    MAX_DESCRIPTION,
    MAX_DURATION_MINUTES,
    MAX_PRICE_MINOR_UNITS,
    MAX_TAGS,
    MAX_TITLE,
    MIN_DURATION_MINUTES,
    PriceModel,
    ServiceStatus,
)
from domain.catalog.images import MAX_SERVICE_PHOTOS, VARIANTS, image_path
from domain.shared.money import CURRENCY_EXPONENTS

_URL = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=500))


class CategorySchema(Schema):
    slug = fields.String(attribute="category.slug")
    name_es = fields.String(attribute="category.name_es")
    name_en = fields.String(attribute="category.name_en")
    active_services = fields.Integer(metadata={"description": "services buyers can find now"})


class ServiceInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=3, max=MAX_TITLE))
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_DESCRIPTION))
    category = fields.String(required=True, validate=validate.Length(max=60),
                             metadata={"description": "a slug from GET /categories"})
    price_model = fields.Enum(PriceModel, by_value=True, required=True)
    price = fields.Nested(MoneySchema, allow_none=True, load_default=None,
                          metadata={"description": "required for fixed and hourly, absent for quote"})
    duration_minutes = fields.Integer(required=True, strict=True,
                                      validate=validate.Range(min=MIN_DURATION_MINUTES, max=MAX_DURATION_MINUTES))
    service_areas = fields.List(fields.String(validate=validate.Length(min=2, max=80)), required=True,
                                validate=validate.Length(min=1, max=MAX_AREAS),
                                metadata={"description": "cities or postal codes"})
    tags = fields.List(fields.String(validate=validate.Length(min=2, max=30)), load_default=list,
                       validate=validate.Length(max=MAX_TAGS))


class ServicePatchSchema(PatchSchema, ServiceInSchema):
    """Every field optional; only those sent change."""


def _base_url() -> str:
    return current_app.extensions["settings"].public_base_url


class PhotoSchema(Schema):
    id = fields.String(required=True)
    thumb_url = fields.String(required=True, metadata={"description": f"{VARIANTS['thumb']} px on its longest side"})
    card_url = fields.String(required=True, metadata={"description": f"{VARIANTS['card']} px"})
    large_url = fields.String(required=True, metadata={"description": f"{VARIANTS['large']} px"})


class _Photos(fields.List):
    """The owner's photo ids (``attribute``) as PhotoSchema objects."""

    def __init__(self, owner_attribute: str, **kwargs) -> None:
        super().__init__(fields.Nested(PhotoSchema), dump_only=True, **kwargs)
        self._owner = owner_attribute

    def _serialize(self, value, attr, obj, **kwargs):
        owner, base = get_value(obj, self._owner), _base_url()
        return [photo_json(owner, photo, base) for photo in value or ()]


class _PhotoUrls(fields.List):
    """The same ids as their card-size URLs: the simple list older clients read."""

    def __init__(self, owner_attribute: str, **kwargs) -> None:
        super().__init__(fields.String(), dump_only=True, **kwargs)
        self._owner = owner_attribute

    def _serialize(self, value, attr, obj, **kwargs):
        owner, base = get_value(obj, self._owner), _base_url()
        return [base + image_path(owner, photo, "card") for photo in value or ()]


class _Photo(fields.Nested):
    def __init__(self, owner_attribute: str, **kwargs) -> None:
        super().__init__(PhotoSchema, allow_none=True, dump_only=True, **kwargs)
        self._owner = owner_attribute

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else photo_json(get_value(obj, self._owner), value, _base_url())


class _PhotoUrl(fields.String):
    def __init__(self, owner_attribute: str, **kwargs) -> None:
        super().__init__(allow_none=True, dump_only=True, **kwargs)
        self._owner = owner_attribute

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else _base_url() + image_path(get_value(obj, self._owner), value, "large")


class _UnderBaseUrl(fields.String):
    """A path the API serves, as an absolute URL under PUBLIC_BASE_URL."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else _base_url() + value


class SellerCardSchema(Schema):
    display_name = fields.String()
    photo_url = _UnderBaseUrl(allow_none=True)
    rating_average = fields.Float()
    rating_count = fields.Integer()
    completed_jobs = fields.Integer()
    member_since = fields.DateTime(allow_none=True)


class ServiceSchema(Schema):
    id = fields.String()
    seller_id = fields.String()
    title = fields.String()
    description = fields.String()
    category = fields.String()
    price_model = fields.Enum(PriceModel, by_value=True)
    price = fields.Nested(MoneySchema, allow_none=True)
    duration_minutes = fields.Integer()
    status = fields.Enum(ServiceStatus, by_value=True)
    service_areas = fields.List(fields.String())
    photos = _Photos("seller_id", attribute="photo_ids", metadata={
        "description": f"in the seller's order, the first on cards; at most {MAX_SERVICE_PHOTOS}"})
    image_urls = _PhotoUrls("seller_id", attribute="photo_ids", metadata={"description": "the photos' card-size URLs"})
    tags = fields.List(fields.String())
    rating_average = fields.Float()
    rating_count = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    seller = fields.Nested(SellerCardSchema, metadata={
        "description": "who offers it, as a result card shows them: name, photo and reputation"})


class PageArgsSchema(Schema):
    # Deep pages cost a skip over every earlier match; past this, narrow the filters instead.
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class MyServicesArgsSchema(PageArgsSchema):
    status = fields.Enum(ServiceStatus, by_value=True,
                         metadata={"description": "only this status; by default active and paused"})


class SearchArgsSchema(PageArgsSchema):
    category = fields.List(fields.String(validate=validate.Length(max=60)),
                           metadata={"description": "repeat for several: ?category=plumbing&category=cleaning"})
    q = fields.String(validate=validate.Length(max=MAX_QUERY_CHARS),
                      metadata={"description": "words in title, description, category or tags, or a trade or "
                                               "problem (fontanero, fuga de agua, plumber); case, accents, plurals "
                                               "and one-letter typos ignored, Spanish or English"})
    min_price = fields.Integer(validate=validate.Range(min=0, max=MAX_PRICE_MINOR_UNITS),
                               metadata={"description": "minor units, inclusive; leaves out services on quote"})
    max_price = fields.Integer(validate=validate.Range(min=0, max=MAX_PRICE_MINOR_UNITS))
    currency = fields.String(validate=validate.OneOf(sorted(CURRENCY_EXPONENTS)))
    area = fields.String(validate=validate.Length(min=2, max=80), metadata={"description": "city or postal code"})
    min_rating = fields.Float(validate=validate.Range(min=0, max=5))
    seller_id = fields.String(validate=validate.Length(min=1, max=64))
    price_model = fields.Enum(PriceModel, by_value=True)
    sort = fields.Enum(SortOrder, by_value=True,
                       metadata={"description": "relevance (default with q, needs q), distance (default near a "
                                                "place, needs one), newest (default), price_asc, price_desc, "
                                                "rating; near a place, distance breaks ties of the others"})
    near = fields.String(validate=validate.Length(min=2, max=80),
                         metadata={"description": "a Spanish postal code or city; only services that cover it"})
    lat = fields.Float(validate=validate.Range(min=-90, max=90), allow_nan=False,
                       metadata={"description": "with lng, instead of near: the buyer's point"})
    lng = fields.Float(validate=validate.Range(min=-180, max=180), allow_nan=False)
    radius_km = fields.Float(validate=validate.Range(min=MIN_RADIUS_KM, max=MAX_TRAVEL_RADIUS_KM), allow_nan=False,
                             metadata={"description": f"how far from the buyer; by default {MAX_TRAVEL_RADIUS_KM}"})
    available_on = fields.Date(metadata={"description": "YYYY-MM-DD, the seller's local date: only services "
                                                        "whose seller has a free slot of their duration then"})
    part_of_day = fields.String(validate=validate.OneOf(PARTS_OF_DAY),
                                metadata={"description": "with available_on: morning (before 12:00), "
                                                         "afternoon (12:00-17:59) or evening (from 18:00)"})


class CategoryFacetSchema(Schema):
    slug = fields.String()
    name_es = fields.String()
    name_en = fields.String()
    count = fields.Integer()


class FacetsSchema(Schema):
    categories = fields.List(fields.Nested(CategoryFacetSchema),
                             metadata={"description": "per category, matches for every filter except category"})


class SearchItemSchema(ServiceSchema):
    distance_km = fields.Float(allow_none=True, metadata={
        "description": "near a place: roughly how many km (whole, at least 1) from it to where the seller works "
                       "from, measured to a point about 2 km from their base, which is never shown (null: the "
                       "service names the place)"})


class CategoryHintSchema(Schema):
    slug = fields.String()
    count = fields.Integer(metadata={"description": "services this category has (with the other filters)"})


class FilterHintSchema(Schema):
    filter = fields.String(metadata={"description": "price (min_price and max_price), min_rating, price_model, "
                                                    "area, available_on (with part_of_day) or currency"})
    count = fields.Integer(metadata={"description": "services found without that filter"})


class CorrectionSchema(Schema):
    typed = fields.String()
    understood = fields.String()


class NoMatchHintsSchema(Schema):
    categories = fields.List(fields.Nested(CategoryHintSchema), metadata={"description": (
        "with a category filter: other categories where the same search finds services; without one: the "
        "categories nearest to the words, counted without the words (and with the other filters), best first")})
    wider_radius_km = fields.Float(allow_none=True,
                                   metadata={"description": "a radius that finds services, when a place was given"})
    wider_radius_count = fields.Integer()
    without_filters = fields.List(fields.Nested(FilterHintSchema),
                                  metadata={"description": "filters whose removal alone finds services"})
    corrections = fields.List(fields.Nested(CorrectionSchema),
                              metadata={"description": "words taken as another (one letter off)"})


class PageFieldsSchema(Schema):
    """Where a list is in its whole: in the body of every list the API answers."""

    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    total_pages = fields.Integer()


class SearchPageSchema(PageFieldsSchema):
    items = fields.List(fields.Nested(SearchItemSchema))
    facets = fields.Nested(FacetsSchema)
    hints = fields.Nested(NoMatchHintsSchema, metadata={
        "description": "only when nothing matched: what would find something"})


class SuggestArgsSchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100),
                      metadata={"description": "what is typed so far"})


class SuggestionSchema(Schema):
    text = fields.String(metadata={"description": "what to search for (a service's title for kind service)"})
    kind = fields.String(metadata={"description": "trade, problem, category or service"})
    category = fields.String()
    lang = fields.String(allow_none=True, metadata={"description": "es or en (null for a service)"})
    service_id = fields.String(allow_none=True, metadata={"description": "for kind service: the service to open"})


class SuggestionsSchema(Schema):
    items = fields.List(fields.Nested(SuggestionSchema))


class ServiceListSchema(PageFieldsSchema):
    items = fields.List(fields.Nested(ServiceSchema))


class WorkingHoursSchema(Schema):
    day = fields.Enum(Weekday, by_value=True, required=True)
    opens = fields.String(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$"),
                          metadata={"example": "09:00"})
    closes = fields.String(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$"),
                           metadata={"example": "18:00"})


class GeoPointSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90), allow_nan=False)
    lng = fields.Float(required=True, validate=validate.Range(min=-180, max=180), allow_nan=False)


class PresentationInSchema(Schema):
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    headline = fields.String(load_default="", validate=validate.Length(max=MAX_HEADLINE))
    bio = fields.String(load_default="", validate=validate.Length(max=MAX_BIO))
    years_experience = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=80))
    languages = fields.List(fields.String(validate=validate.Length(equal=2)), load_default=list,
                            validate=validate.Length(max=10), metadata={"description": "ISO 639-1, e.g. es, en"})
    service_areas = fields.List(fields.String(validate=validate.Length(min=2, max=80)), load_default=list,
                                validate=validate.Length(max=50))
    working_hours = fields.List(fields.Nested(WorkingHoursSchema), load_default=list,
                                validate=validate.Length(max=42), metadata={
                                    "deprecated": True,
                                    "description": "deprecated: your profile shows your bookable hours (PATCH "
                                                   "/me/availability); send them as read, or leave them out"})
    accepting_jobs = fields.Boolean(load_default=True, metadata={"description": "false hides every service"})
    base_location = fields.Nested(GeoPointSchema, allow_none=True, load_default=None, metadata={
        "description": "where you start from; never shown to buyers, who see only their distance to it"})
    travel_radius_km = fields.Integer(strict=True, allow_none=True, load_default=None,
                                      validate=validate.Range(min=MIN_RADIUS_KM, max=MAX_TRAVEL_RADIUS_KM),
                                      metadata={"description": "how far you travel from base_location"})


class PresentationPatchSchema(PatchSchema, PresentationInSchema):
    """Only the fields sent change. null clears the travel area (either half); other fields may not
    be null. Hours are /me/availability's; the photo is PUT /me/seller-profile/photo's."""

    class Meta:
        exclude = ("working_hours",)


def _presentation(name: str, field: fields.Field) -> fields.Field:
    field.attribute = f"profile.presentation.{name}"
    return field


def _profile(name: str, field: fields.Field) -> fields.Field:
    field.attribute = f"profile.{name}"
    return field


class SellerProfileSchema(Schema):
    """Dumps ``{"profile": SellerProfile, "hours": BookableHours | None}``."""

    seller_id = _profile("seller_id", fields.String())
    display_name = _presentation("display_name", fields.String())
    headline = _presentation("headline", fields.String())
    bio = _presentation("bio", fields.String())
    photo = _Photo("profile.seller_id", attribute="profile.photo_id",
                   metadata={"description": "upload with PUT /me/seller-profile/photo"})
    photo_url = _PhotoUrl("profile.seller_id", attribute="profile.photo_id",
                          metadata={"description": "the photo's large size"})
    years_experience = _presentation("years_experience", fields.Integer())
    languages = _presentation("languages", fields.List(fields.String()))
    service_areas = _presentation("service_areas", fields.List(fields.String()))
    working_hours = fields.Method("_working_hours", metadata={
        "type": "array", "items": {"$ref": "#/components/schemas/WorkingHours"},
        "description": "the seller's bookable hours, as bookings use them (set with PATCH /me/availability), "
                       "in working_hours_time_zone"})
    working_hours_time_zone = fields.Method("_hours_zone", allow_none=True, metadata={
        "type": "string", "nullable": True,
        "description": "IANA zone of working_hours; null until the seller sets hours"})
    accepting_jobs = _presentation("accepting_jobs", fields.Boolean())
    base_location = fields.Method("_base_location", allow_none=True)
    travel_radius_km = fields.Method("_travel_radius_km", allow_none=True)
    rating_average = _profile("rating_average", fields.Float())
    rating_count = _profile("rating_count", fields.Integer())
    completed_jobs = _profile("completed_jobs", fields.Integer())
    member_since = _profile("member_since", fields.DateTime())
    updated_at = _profile("updated_at", fields.DateTime())

    def _working_hours(self, shown):
        hours = get_value(shown, "hours")
        return [{"day": h.day.value, "opens": h.opens, "closes": h.closes} for h in hours.hours] if hours else []

    def _hours_zone(self, shown):
        hours = get_value(shown, "hours")
        return hours.time_zone if hours else None

    def _base_location(self, shown):
        area = get_value(shown, "profile.presentation.travel_area")
        return {"lat": area.base.lat, "lng": area.base.lng} if area else None

    def _travel_radius_km(self, shown):
        area = get_value(shown, "profile.presentation.travel_area")
        return area.radius_km if area else None


class PublicSellerProfileSchema(SellerProfileSchema):
    # A seller's base is often their home: buyers learn only their distance to it, in search.
    class Meta:
        exclude = ("base_location",)

    services = fields.List(fields.Nested(ServiceSchema), metadata={"description": "active services, newest first"})


class PhotoUploadSchema(Schema):
    file = Upload(required=True, metadata={
        "description": "a JPEG, PNG or WebP photo, at most 10 MB; its location (GPS) and other metadata are removed"})


class PhotoOrderSchema(Schema):
    photo_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                            validate=validate.Length(max=MAX_SERVICE_PHOTOS),
                            metadata={"description": "every photo id of the service, in the new order"})
