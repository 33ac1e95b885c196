from __future__ import annotations

import functools
import json

from flask import current_app, request
from flask.views import MethodView
from marshmallow import RAISE

from adapters.inbound.http.created import LOCATION_HEADER, created
from adapters.inbound.catalog.schemas import (
    CategorySchema,
    MyServicesArgsSchema,
    PhotoOrderSchema,
    PhotoUploadSchema,
    PresentationInSchema,
    PresentationPatchSchema,
    PublicSellerProfileSchema,
    SearchArgsSchema,
    SearchPageSchema,
    SellerProfileSchema,
    SuggestArgsSchema,
    SuggestionsSchema,
    ServiceInSchema,
    ServiceListSchema,
    ServicePatchSchema,
    ServiceSchema,
)
from adapters.inbound.catalog.search_json import page_fields, search_page_json
from adapters.inbound.http.arguments import Blueprint
from adapters.inbound.http.schemas import ErrorSchema
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import shared_use_case, use_case
from application.catalog.search import ServiceSearch
from application.catalog.use_cases import (
    AddServicePhoto,
    CreateService,
    DeleteService,
    GetImage,
    GetMySellerProfile,
    GetPublicSellerProfile,
    GetSellerHours,
    GetService,
    ListCategories,
    ListMyServices,
    PatchMySellerProfile,
    PauseService,
    PutMySellerProfile,
    RemoveMySellerPhoto,
    RemoveServicePhoto,
    ReorderServicePhotos,
    ResumeService,
    SearchServices,
    SetMySellerPhoto,
    SuggestSearch,
    UpdateService,
    UpdateServiceCommand,
)
from application.shared.pagination import Page, PageRequest
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.images import CONTENT_TYPE, FORMAT, MAX_UPLOAD_BYTES, UPLOAD_FIELD
from domain.catalog.profile import Presentation, SellerProfile, WorkingHours
from domain.catalog.service import ServiceDetails
from domain.shared.access import Role
from domain.shared.errors import InvalidInput
from domain.shared.money import Money

categories_blp = Blueprint("categories", __name__, url_prefix="/categories",
                           description="The taxonomy of home-service categories")
sellers_blp = Blueprint("sellers", __name__, url_prefix="/sellers", description="Public seller profiles")
services_blp = Blueprint("services", __name__, url_prefix="/services",
                         description="Search services; sellers publish and manage theirs")
search_blp = Blueprint("search", __name__, url_prefix="/search", description="Help for the search box")
my_catalog_blp = Blueprint("my-catalog", __name__, url_prefix="/me",
                           description="A seller's own profile and services")
images_blp = Blueprint("images", __name__, url_prefix="/images",
                       description="Photos of sellers and services, in the sizes the pages use")

# Room for the multipart envelope around the largest photo accepted.
UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024
# Content-addressed URLs never change what they point at: caches may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"

PAGINATION_HEADER = {"X-Pagination": {"description": "Kept for older clients; the body has total, page, page_size "
                                                     "and total_pages like every list. JSON: total, total_pages, "
                                                     "page, first_page, last_page, "
                                                     "previous_page, next_page",
                                      "schema": {"type": "string"}}}


def pagination_header(page: Page) -> dict[str, str]:
    current, last = page.request.page, page.total_pages
    meta = {"total": page.total, "total_pages": last, "page": current, "page_size": page.request.page_size}
    if last:  # an empty result has no first or last page
        meta.update(first_page=1, last_page=last)
    if current > 1 and last:
        meta["previous_page"] = min(current - 1, last)
    if current < last:
        meta["next_page"] = current + 1
    return {"X-Pagination": json.dumps(meta)}


def _money(raw: dict | None) -> Money | None:
    return Money(raw["amount"], raw["currency"]) if raw else None


def _travel_area(base: dict | None, radius_km: int | None) -> TravelArea | None:
    if base is None and radius_km is None:
        return None
    if base is None:
        raise InvalidInput("a travel radius needs a base_location", field="base_location")
    if radius_km is None:
        raise InvalidInput("a base_location needs a travel_radius_km", field="travel_radius_km")
    return TravelArea(GeoPoint(base["lat"], base["lng"]), radius_km)


def _shown(profile: SellerProfile) -> dict:
    """A profile as people read it: with the hours bookings use."""
    return {"profile": profile, "hours": use_case(GetSellerHours).execute(profile.seller_id)}


def _rounded(distance_km: float | None) -> float | None:
    """To the whole kilometre, at least 1: a guide for the buyer, never a measurement to
    triangulate with (it is measured from the seller's public point, not the base, anyway)."""
    return None if distance_km is None else float(max(1, round(distance_km)))


def accepts_upload(view):
    """The photo routes take bodies up to the photo limit; every other route keeps MAX_REQUEST_BYTES.
    Outermost, so the limit is raised before anything reads the body."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = UPLOAD_BODY_BYTES
        return view(*args, **kwargs)

    return wrapper


def _upload(files) -> bytes:
    # One byte past the limit is enough for the use case to refuse it by name (413).
    return files[UPLOAD_FIELD].read(MAX_UPLOAD_BYTES + 1)


_UPLOAD_ERRORS = ((413, "The photo is over 10 MB"), (415, "The file is not a JPEG, PNG or WebP image"))


def _documents_upload_errors(blp):
    def decorator(view):
        for status, description in _UPLOAD_ERRORS:
            view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
        return view
    return decorator


@categories_blp.route("")
class Categories(MethodView):
    @categories_blp.response(200, CategorySchema(many=True))
    def get(self):
        """Every category, with names in Spanish and English and how many services buyers can find in it."""
        return use_case(ListCategories).execute()


@sellers_blp.route("/<string:seller_id>")
class PublicSellerProfileView(MethodView):
    @sellers_blp.response(200, PublicSellerProfileSchema)
    @sellers_blp.alt_response(404, schema=ErrorSchema, description="No seller profile with this id")
    def get(self, seller_id: str):
        """A seller's public profile: presentation, active services, rating, completed jobs, member since."""
        public = use_case(GetPublicSellerProfile).execute(seller_id)
        return {"profile": public.profile, "hours": public.hours, "services": public.services}


@my_catalog_blp.route("/seller-profile")
class MySellerProfile(MethodView):
    @requires_auth(Role.SELLER)
    @my_catalog_blp.response(200, SellerProfileSchema)
    @my_catalog_blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Your seller profile (404 until you create it with PATCH or PUT)."""
        return _shown(use_case(GetMySellerProfile).execute(current_actor()))

    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(PresentationPatchSchema)
    @my_catalog_blp.response(200, SellerProfileSchema)
    def patch(self, body):
        """Change only the fields you send (what forms use): a field left out keeps its value.

        null clears photo_url; null on base_location or travel_radius_km removes your travel area (a
        value for the other half with it is refused); other fields may not be null. Creates the profile
        if you have none (display_name needed). accepting_jobs=false hides all your services from search.
        Your hours are not set here: the profile shows your bookable hours (PATCH /me/availability)."""
        if body.get("base_location") is not None:
            body["base_location"] = GeoPoint(body["base_location"]["lat"], body["base_location"]["lng"])
        return _shown(use_case(PatchMySellerProfile).execute(current_actor(), body))

    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(PresentationInSchema)
    @my_catalog_blp.response(200, SellerProfileSchema)
    def put(self, body):
        """Create or replace your whole presentation: every field left out takes its default (an absent
        base_location removes your travel area). Only for clients that send the whole resource;
        forms edit with PATCH."""
        hours = [WorkingHours(**h) for h in body.pop("working_hours")]
        area = _travel_area(body.pop("base_location"), body.pop("travel_radius_km"))
        return _shown(use_case(PutMySellerProfile).execute(current_actor(), Presentation(**body, travel_area=area),
                                                           hours))


@my_catalog_blp.route("/seller-profile/photo")
class MySellerPhoto(MethodView):
    @accepts_upload
    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(PhotoUploadSchema, location="files")
    @my_catalog_blp.response(200, SellerProfileSchema)
    @_documents_upload_errors(my_catalog_blp)
    def put(self, files):
        """Upload or replace your profile photo (multipart/form-data, field `file`). It is resized to the
        sizes the pages use, and its metadata (camera, GPS position) is removed."""
        return _shown(use_case(SetMySellerPhoto).execute(current_actor(), _upload(files)))

    @requires_auth(Role.SELLER)
    @my_catalog_blp.response(200, SellerProfileSchema)
    @my_catalog_blp.alt_response(404, response="NOT_FOUND")
    def delete(self):
        """Remove your profile photo; pages show your initials instead."""
        return _shown(use_case(RemoveMySellerPhoto).execute(current_actor()))


@my_catalog_blp.route("/services")
class MyServices(MethodView):
    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(MyServicesArgsSchema, location="query", unknown=RAISE)
    @my_catalog_blp.response(200, ServiceListSchema, headers=PAGINATION_HEADER)
    def get(self, args):
        """Your services, newest first: active and paused, or only the status you ask for."""
        page = use_case(ListMyServices).execute(current_actor(), PageRequest(args["page"], args["page_size"]),
                                                args.get("status"))
        return {"items": page.items, **page_fields(page)}, 200, pagination_header(page)


@services_blp.route("")
class Services(MethodView):
    # An instance, not the class: webargs would build (and deep-copy the fields of) a class per request.
    @services_blp.arguments(SearchArgsSchema(), location="query", unknown=RAISE)
    @services_blp.response(200, SearchPageSchema, headers=PAGINATION_HEADER)
    def get(self, args):
        """Search services buyers can book: every filter combines; facets count per category."""
        page_request = PageRequest(args.pop("page"), args.pop("page_size"))
        price_model, sort = args.pop("price_model", None), args.pop("sort", None)
        search = ServiceSearch.build(categories=args.pop("category", []), **args,
                                     price_model=price_model.value if price_model else None,
                                     sort=sort.value if sort else None)
        result = shared_use_case(SearchServices).execute(search, page_request)
        distances = result.distances_km
        body = search_page_json([(s, _rounded(distances.get(s.id))) for s in result.page.items],
                                result.category_counts, current_app.extensions["settings"].public_base_url,
                                result.hints, paging=result.page)
        # Already the documented document (see search_json): a Response skips the schema's second dump.
        return current_app.response_class(body, mimetype=current_app.json.mimetype), 200, pagination_header(result.page)

    @requires_auth(Role.SELLER)
    @services_blp.arguments(ServiceInSchema)
    @services_blp.response(201, ServiceSchema, headers=LOCATION_HEADER)
    def post(self, body):
        """Publish a service (you need a seller profile first)."""
        details = ServiceDetails(**{**body, "price": _money(body["price"])})
        service = use_case(CreateService).execute(current_actor(), details)
        return created(service, "services.ServiceView", service_id=service.id)


@services_blp.route("/<string:service_id>")
class ServiceView(MethodView):
    @services_blp.response(200, ServiceSchema)
    @services_blp.alt_response(404, schema=ErrorSchema, description="No such service, or it was deleted")
    def get(self, service_id: str):
        """A service."""
        return use_case(GetService).execute(service_id)

    @requires_auth(Role.SELLER)
    @services_blp.arguments(ServicePatchSchema)
    @services_blp.response(200, ServiceSchema)
    def patch(self, body, service_id: str):
        """Change only the fields you send (what the seller's edit form uses); the others keep their
        value. Switching price_model to quote drops the price."""
        if "price" in body:
            body["price"] = _money(body["price"])
        return use_case(UpdateService).execute(current_actor(), UpdateServiceCommand(service_id, body))

    @requires_auth(Role.SELLER, Role.SUPPORT, Role.ADMIN)
    @services_blp.response(204)
    def delete(self, service_id: str):
        """Delete your service (staff may too). Orders that point at it keep their copy."""
        use_case(DeleteService).execute(current_actor(), service_id)


@services_blp.route("/<string:service_id>/pause")
class PauseServiceView(MethodView):
    @requires_auth(Role.SELLER)
    @services_blp.response(200, ServiceSchema)
    def post(self, service_id: str):
        """Hide your service from search until you resume it."""
        return use_case(PauseService).execute(current_actor(), service_id)


@services_blp.route("/<string:service_id>/resume")
class ResumeServiceView(MethodView):
    @requires_auth(Role.SELLER)
    @services_blp.response(200, ServiceSchema)
    def post(self, service_id: str):
        """Show a paused service again."""
        return use_case(ResumeService).execute(current_actor(), service_id)


@services_blp.route("/<string:service_id>/photos")
class ServicePhotos(MethodView):
    @accepts_upload
    @requires_auth(Role.SELLER)
    @services_blp.arguments(PhotoUploadSchema, location="files")
    @services_blp.response(201, ServiceSchema)
    @_documents_upload_errors(services_blp)
    def post(self, files, service_id: str):
        """Add a photo at the end of your service's gallery (multipart/form-data, field `file`; at most
        10 photos). The same photo again changes nothing."""
        return use_case(AddServicePhoto).execute(current_actor(), service_id, _upload(files))


@services_blp.route("/<string:service_id>/photos/order")
class ServicePhotoOrder(MethodView):
    @requires_auth(Role.SELLER)
    @services_blp.arguments(PhotoOrderSchema)
    @services_blp.response(200, ServiceSchema)
    def put(self, body, service_id: str):
        """Reorder your service's photos: list every photo id once; the first is the cover."""
        return use_case(ReorderServicePhotos).execute(current_actor(), service_id, body["photo_ids"])


@services_blp.route("/<string:service_id>/photos/<string:photo_id>")
class ServicePhoto(MethodView):
    @requires_auth(Role.SELLER)
    @services_blp.response(200, ServiceSchema)
    @services_blp.alt_response(404, schema=ErrorSchema, description="No such service or photo")
    def delete(self, service_id: str, photo_id: str):
        """Delete a photo of your service."""
        return use_case(RemoveServicePhoto).execute(current_actor(), service_id, photo_id)


@images_blp.route(f"/<string:owner_id>/<string:photo_id>/<string:variant>.{FORMAT}")
class ImageView(MethodView):
    @images_blp.response(200, content_type=CONTENT_TYPE, description="The image; cache it forever (its URL "
                         "changes when the photo does). An ETag answers If-None-Match with 304.")
    @images_blp.alt_response(404, schema=ErrorSchema, description="No such image or size")
    def get(self, owner_id: str, photo_id: str, variant: str):
        """A photo in one size: thumb, card or large."""
        stored = use_case(GetImage).execute(owner_id, photo_id, variant)
        response = current_app.response_class(stored.content, mimetype=stored.content_type)
        response.headers["Cache-Control"] = IMMUTABLE
        response.set_etag(f"{photo_id}-{variant}")
        return response.make_conditional(request)




@search_blp.route("/suggest")
class Suggest(MethodView):
    @search_blp.arguments(SuggestArgsSchema(), location="query", unknown=RAISE)
    @search_blp.response(200, SuggestionsSchema)
    def get(self, args):
        """What the search box offers while a buyer types (called on each keystroke): trades,
        categories and problems in Spanish and English, then services whose title has a word
        starting like the last word typed; at most 8. Kept 30 s by browsers and proxies."""
        items = shared_use_case(SuggestSearch).execute(args["q"])
        body = SuggestionsSchema().dump({"items": items})
        return body, 200, {"Cache-Control": "public, max-age=30"}


BLUEPRINTS = [categories_blp, sellers_blp, services_blp, search_blp, my_catalog_blp, images_blp]
