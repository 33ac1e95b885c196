from __future__ import annotations

import json

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from adapters.inbound.catalog.schemas import (
    CategorySchema,
    MyServicesArgsSchema,
    PresentationInSchema,
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
from adapters.inbound.catalog.search_json import search_page_json
from adapters.inbound.http.arguments import Blueprint
from adapters.inbound.http.schemas import ErrorSchema
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import shared_use_case, use_case
from application.catalog.search import ServiceSearch
from application.catalog.use_cases import (
    CreateService,
    DeleteService,
    GetMySellerProfile,
    GetPublicSellerProfile,
    GetService,
    ListCategories,
    ListMyServices,
    PauseService,
    PutMySellerProfile,
    ResumeService,
    SearchServices,
    SuggestSearch,
    UpdateService,
    UpdateServiceCommand,
)
from application.shared.pagination import Page, PageRequest
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.profile import Presentation, WorkingHours
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

PAGINATION_HEADER = {"X-Pagination": {"description": "JSON: total, total_pages, page, first_page, last_page, "
                                                     "previous_page, next_page",
                                      "schema": {"type": "string"}}}


def pagination_header(page: Page) -> dict[str, str]:
    current, last = page.request.page, page.total_pages
    meta = {"total": page.total, "total_pages": last, "page": current, "page_size": page.request.page_size,
            "first_page": 1, "last_page": last}
    if current > 1:
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


def _rounded(distance_km: float | None) -> float | None:
    """The distance as the API has always shown it: to 10 m."""
    return None if distance_km is None else round(distance_km, 2)


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
        return {**vars(public.profile), "seller_id": public.profile.seller_id, "services": public.services}


@my_catalog_blp.route("/seller-profile")
class MySellerProfile(MethodView):
    @requires_auth(Role.SELLER)
    @my_catalog_blp.response(200, SellerProfileSchema)
    @my_catalog_blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Your seller profile (404 until you create it with PUT)."""
        return use_case(GetMySellerProfile).execute(current_actor())

    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(PresentationInSchema)
    @my_catalog_blp.response(200, SellerProfileSchema)
    def put(self, body):
        """Create or replace your presentation. accepting_jobs=false hides all your services from search."""
        hours = [WorkingHours(**h) for h in body.pop("working_hours")]
        area = _travel_area(body.pop("base_location"), body.pop("travel_radius_km"))
        return use_case(PutMySellerProfile).execute(current_actor(), Presentation(**body, working_hours=hours,
                                                                                   travel_area=area))


@my_catalog_blp.route("/services")
class MyServices(MethodView):
    @requires_auth(Role.SELLER)
    @my_catalog_blp.arguments(MyServicesArgsSchema, location="query", unknown=RAISE)
    @my_catalog_blp.response(200, ServiceListSchema, headers=PAGINATION_HEADER)
    def get(self, args):
        """Your services, newest first: active and paused, or only the status you ask for."""
        page = use_case(ListMyServices).execute(current_actor(), PageRequest(args["page"], args["page_size"]),
                                                args.get("status"))
        return {"items": page.items}, 200, pagination_header(page)


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
                                result.category_counts, result.hints)
        # Already the documented document (see search_json): a Response skips the schema's second dump.
        return current_app.response_class(body, mimetype=current_app.json.mimetype), 200, pagination_header(result.page)

    @requires_auth(Role.SELLER)
    @services_blp.arguments(ServiceInSchema)
    @services_blp.response(201, ServiceSchema)
    def post(self, body):
        """Publish a service (you need a seller profile first)."""
        details = ServiceDetails(**{**body, "price": _money(body["price"])})
        return use_case(CreateService).execute(current_actor(), details)


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
        """Change some fields of your service."""
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


BLUEPRINTS = [categories_blp, sellers_blp, services_blp, search_blp, my_catalog_blp]
