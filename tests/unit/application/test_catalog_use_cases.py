from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.outbound.catalog.pillow_images import PillowImageProcessor
from adapters.outbound.catalog.in_memory import (
    InMemoryGazetteer,
    InMemoryImageStore,
    InMemoryLegacyProfileHours,
    InMemoryPublicLocations,
    InMemorySellerAccounts,
    InMemorySellerAvailability,
    InMemorySellerHours,
    InMemorySellerProfileRepository,
    InMemoryServiceRepository,
)
from adapters.outbound.orders.catalog_completed_jobs import CatalogCompletedJobs
from application.catalog.search import ServiceSearch, SortOrder
from application.catalog.use_cases import (
    CreateService,
    DeleteService,
    GetMySellerProfile,
    GetPublicSellerProfile,
    GetSellerProfile,
    GetService,
    ListCategories,
    ListMyServices,
    PauseService,
    PutMySellerProfile,
    ResumeService,
    SearchServices,
    UpdateService,
    UpdateServiceCommand,
)
from application.catalog.use_cases import EraseSellerListings, SetMySellerPhoto
from application.shared.erasure import PersonDeleted
from application.shared.pagination import PageRequest
from domain.catalog.errors import SellerProfileMissing, SellerProfileNotFound, ServiceNotFound
from domain.catalog.profile import Presentation
from domain.catalog.service import PriceModel, ServiceDetails, ServiceStatus
from domain.shared.access import Actor, Role
from domain.shared.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from domain.shared.money import Money
from tests.fakes import FakeClock, shipped_vocabulary
from tests.images import photo

CARLOS = Actor("carlos", frozenset({Role.BUYER, Role.SELLER}))
ELENA = Actor("elena", frozenset({Role.BUYER, Role.SELLER}))
SOFIA = Actor("sofia", frozenset({Role.SUPPORT}))
JOINED = datetime(2024, 3, 1, tzinfo=UTC)


def details(**overrides) -> ServiceDetails:
    values = dict(title="Reparación de grifos", description="Cambio y reparo grifos.", category="plumbing",
                  price_model=PriceModel.FIXED, price=Money(4500, "EUR"), duration_minutes=60,
                  service_areas=["Madrid"])
    values.update(overrides)
    return ServiceDetails(**values)


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.services = InMemoryServiceRepository()
        self.profiles = InMemorySellerProfileRepository()
        self.accounts = InMemorySellerAccounts({"carlos": JOINED})
        self.gazetteer = InMemoryGazetteer()
        self.availability = InMemorySellerAvailability()
        self.hours = InMemorySellerHours()
        self.locations = InMemoryPublicLocations()
        self.images = InMemoryImageStore()

    def put_profile(self, actor: Actor = CARLOS, **presentation):
        return PutMySellerProfile(self.profiles, self.services, self.accounts, self.locations, self.clock,
                                  self.hours).execute(
            actor, Presentation(**{"display_name": actor.user_id.title(), **presentation}))

    def create(self, actor: Actor = CARLOS, **overrides):
        self.clock.advance(seconds=1)
        return CreateService(self.services, self.profiles, self.locations, self.clock).execute(actor, details(**overrides))


@pytest.fixture
def world() -> World:
    return World()


class TestProfiles:
    def test_first_put_creates_with_member_since_from_the_account(self, world):
        profile = world.put_profile(bio="Fontanero desde 2005")
        assert profile.member_since == JOINED and profile.presentation.bio == "Fontanero desde 2005"
        assert GetMySellerProfile(world.profiles).execute(CARLOS).version == 0
        assert GetSellerProfile(world.profiles).execute("carlos").accepting_jobs

    def test_unknown_account_date_falls_back_to_now(self, world):
        assert world.put_profile(ELENA).member_since == world.clock.now()

    def test_a_second_put_replaces_the_presentation_and_keeps_member_since(self, world):
        world.put_profile(headline="old")
        world.clock.advance(days=3)
        profile = world.put_profile(headline="new")
        assert (profile.presentation.headline, profile.member_since, profile.version) == ("new", JOINED, 1)

    def test_missing_profiles_are_404(self, world):
        with pytest.raises(SellerProfileNotFound):
            GetMySellerProfile(world.profiles).execute(ELENA)
        with pytest.raises(SellerProfileNotFound):
            GetSellerProfile(world.profiles).execute("nobody")
        with pytest.raises(SellerProfileNotFound):
            GetPublicSellerProfile(world.profiles, world.services, world.hours).execute("nobody")

    def test_not_taking_jobs_hides_every_service_and_taking_them_again_shows_them(self, world):
        world.put_profile()
        first = world.create()
        world.create(category="cleaning", title="Limpieza de cocinas")
        search = SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary())
        world.put_profile(accepting_jobs=False)
        assert search.execute(ServiceSearch(), PageRequest()).page.total == 0
        assert GetService(world.services).execute(first.id).id == first.id  # still readable by id
        world.put_profile(accepting_jobs=True)
        assert search.execute(ServiceSearch(), PageRequest()).page.total == 2

    def test_an_edit_read_before_the_seller_stopped_taking_jobs_conflicts(self, world):
        world.put_profile()
        stale = world.services.get(world.create().id)
        world.put_profile(accepting_jobs=False)
        stale.pause(world.clock.now())
        with pytest.raises(Conflict):
            world.services.save(stale)

    def test_public_profile_lists_only_listed_services_newest_first(self, world):
        world.put_profile()
        old = world.create()
        paused = world.create(title="Desatascos")
        new = world.create(title="Calentadores")
        PauseService(world.services, world.clock).execute(CARLOS, paused.id)
        public = GetPublicSellerProfile(world.profiles, world.services, world.hours).execute("carlos")
        assert [s.id for s in public.services] == [new.id, old.id]
        assert public.profile.rating_count == 0 and public.profile.completed_jobs == 0

    def test_reputation_counters_are_kept_by_their_own_methods(self, world):
        world.put_profile()
        world.profiles.add_rating("carlos", 5)
        world.profiles.add_rating("carlos", 4)
        world.profiles.add_completed_job("carlos")
        profile = world.put_profile(headline="still rated")
        stored = world.profiles.get("carlos")
        assert (stored.rating_average, stored.rating_count, stored.completed_jobs) == (4.5, 2, 1)
        assert profile.presentation.headline == "still rated"


class TestServices:
    def test_a_seller_needs_a_profile_first(self, world):
        with pytest.raises(SellerProfileMissing):
            world.create()

    def test_create_and_get(self, world):
        world.put_profile()
        service = world.create()
        got = GetService(world.services).execute(service.id)
        assert (got.seller_id, got.status, got.price, got.rating_average) == (
            "carlos", ServiceStatus.ACTIVE, Money(4500, "EUR"), 0)

    def test_a_deleted_or_unknown_service_is_not_found(self, world):
        world.put_profile()
        service = world.create()
        DeleteService(world.services, world.images, world.clock).execute(CARLOS, service.id)
        for service_id in (service.id, "missing"):
            with pytest.raises(ServiceNotFound):
                GetService(world.services).execute(service_id)
        with pytest.raises(ServiceNotFound):
            PauseService(world.services, world.clock).execute(CARLOS, service.id)
        assert world.services.get(service.id).status is ServiceStatus.DELETED  # history stays

    def test_only_the_owner_changes_a_service(self, world):
        world.put_profile()
        service = world.create()
        command = UpdateServiceCommand(service.id, {"title": "Mío ahora"})
        for use_case, argument in ((UpdateService(world.services, world.clock), command),
                                   (PauseService(world.services, world.clock), service.id),
                                   (ResumeService(world.services, world.clock), service.id),
                                   (DeleteService(world.services, world.images, world.clock), service.id)):
            with pytest.raises(NotAllowed):
                use_case.execute(ELENA, argument)
        assert world.services.get(service.id).title == "Reparación de grifos"

    def test_staff_may_delete_but_not_edit(self, world):
        world.put_profile()
        service = world.create()
        with pytest.raises(NotAllowed):
            UpdateService(world.services, world.clock).execute(SOFIA, UpdateServiceCommand(service.id, {"tags": []}))
        DeleteService(world.services, world.images, world.clock).execute(SOFIA, service.id)
        assert world.services.get(service.id).status is ServiceStatus.DELETED

    def test_update_changes_only_the_given_fields(self, world):
        world.put_profile()
        service = world.create(tags=["grifos"])
        updated = UpdateService(world.services, world.clock).execute(
            CARLOS, UpdateServiceCommand(service.id, {"price": Money(5000, "EUR"), "duration_minutes": 90}))
        assert (updated.price, updated.duration_minutes, updated.title, updated.tags) == (
            Money(5000, "EUR"), 90, "Reparación de grifos", ["grifos"])

    def test_switching_to_quote_drops_the_price_and_back_needs_one(self, world):
        world.put_profile()
        service = world.create()
        update = UpdateService(world.services, world.clock)
        quoted = update.execute(CARLOS, UpdateServiceCommand(service.id, {"price_model": PriceModel.QUOTE}))
        assert quoted.price is None
        with pytest.raises(InvalidInput) as error:
            update.execute(CARLOS, UpdateServiceCommand(service.id, {"price_model": PriceModel.HOURLY}))
        assert error.value.field == "price"

    def test_pause_and_resume(self, world):
        world.put_profile()
        service = world.create()
        assert PauseService(world.services, world.clock).execute(CARLOS, service.id).status is ServiceStatus.PAUSED
        with pytest.raises(InvalidTransition):
            PauseService(world.services, world.clock).execute(CARLOS, service.id)
        assert ResumeService(world.services, world.clock).execute(CARLOS, service.id).status is ServiceStatus.ACTIVE

    def test_my_services_lists_active_and_paused_or_one_status(self, world):
        world.put_profile()
        world.put_profile(ELENA)
        a = world.create()
        b = world.create(title="Desatascos")
        c = world.create(title="Termos")
        world.create(ELENA)
        PauseService(world.services, world.clock).execute(CARLOS, b.id)
        DeleteService(world.services, world.images, world.clock).execute(CARLOS, c.id)
        mine = ListMyServices(world.services)
        page = mine.execute(CARLOS, PageRequest(1, 20))
        assert ([s.id for s in page.items], page.total) == ([b.id, a.id], 2)
        assert [s.id for s in mine.execute(CARLOS, PageRequest(), ServiceStatus.DELETED).items] == [c.id]

    def test_categories_count_only_listed_services(self, world):
        world.put_profile()
        world.create()
        world.create(category="cleaning", title="Limpieza")
        paused = world.create(category="cleaning", title="Limpieza de cristales")
        PauseService(world.services, world.clock).execute(CARLOS, paused.id)
        counts = {c.category.slug: c.active_services for c in ListCategories(world.services).execute()}
        assert counts["plumbing"] == 1 and counts["cleaning"] == 1 and counts["moving"] == 0


class TestSearch:
    def test_build_validates_and_names_each_parameter(self):
        for kwargs, field in [({"categories": ["astrology"]}, "category"), ({"q": "x" * 10_000}, "q"),
                              ({"min_price": -1}, "min_price"), ({"min_price": 10, "max_price": 5}, "min_price"),
                              ({"currency": "XXX"}, "currency"), ({"min_rating": 6.0}, "min_rating"),
                              ({"area": "x"}, "area"), ({"price_model": "barter"}, "price_model"),
                              ({"sort": "random"}, "sort"), ({"sort": "relevance"}, "sort"),
                              ({"q": " ".join(f"word{n}" for n in range(13))}, "q")]:
            with pytest.raises(InvalidInput) as error:
                ServiceSearch.build(**kwargs)
            assert error.value.field == field, kwargs

    def test_default_sort_is_relevance_with_words_and_newest_without(self):
        assert ServiceSearch.build(q="Fontanería").sort is SortOrder.RELEVANCE
        assert ServiceSearch.build(q="Fontanería").terms.words == ("fontaneria",)
        assert ServiceSearch.build().sort is SortOrder.NEWEST
        assert ServiceSearch.build(q="de la", sort="relevance").sort is SortOrder.NEWEST

    def test_text_search_ranks_the_trade_and_titles_before_descriptions(self, world):
        world.put_profile()
        in_description = world.create(category="handyman", title="Pequeñas reparaciones", description="Y grifos")
        in_title = world.create(category="handyman", title="Cambio de grifos")
        trade_only = world.create(title="Desatascos", description="Tuberías y bajantes")
        trade_and_title = world.create(title="Reparación urgente de grifos")
        world.create(category="gardening", title="Poda de setos", description="Jardines")
        search = SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary())
        result = search.execute(ServiceSearch.build(q="grifo"), PageRequest())
        assert [s.id for s in result.page.items] == [trade_and_title.id, trade_only.id, in_title.id, in_description.id]
        by_category_name = search.execute(ServiceSearch.build(q="fontaneria"), PageRequest())
        assert by_category_name.page.total == 2

    def test_completed_jobs_break_ties_and_new_services_inherit_the_sellers_count(self, world):
        world.put_profile()
        world.put_profile(ELENA)
        carlos_first = world.create(title="Fontanero de barrio")
        for _ in range(3):
            world.profiles.add_completed_job(ELENA.user_id)
        elena = world.create(ELENA, title="Fontanera de barrio")
        CatalogCompletedJobs(world.profiles, world.services).add(CARLOS.user_id)
        carlos_later = world.create(title="Fontanero de guardia")
        assert (world.services.get(elena.id).seller_completed_jobs, world.services.get(carlos_first.id)
                .seller_completed_jobs, world.services.get(carlos_later.id).seller_completed_jobs) == (3, 1, 1)
        search = SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary())
        result = search.execute(ServiceSearch.build(q="fontanero"), PageRequest())
        assert [s.id for s in result.page.items][0] == elena.id

    def test_within_a_tier_the_better_rated_seller_comes_first(self, world):
        world.put_profile()
        unrated = world.create(title="Fontanero 24 horas")
        one_five = world.create(title="Fontanero de confianza")
        many_good = world.create(title="Fontanero con experiencia")
        world.services.add_rating(one_five.id, 5)
        for _ in range(30):
            world.services.add_rating(many_good.id, 5)
            world.services.add_rating(many_good.id, 4)
        search = SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary())
        result = search.execute(ServiceSearch.build(q="fontanero"), PageRequest())
        # 4.5 over 60 reviews beats one review of 5, which beats none.
        assert [s.id for s in result.page.items] == [many_good.id, one_five.id, unrated.id]

    def test_facets_ignore_the_category_filter_and_total_matches(self, world):
        world.put_profile()
        world.create()
        world.create(category="cleaning", title="Limpieza", price=Money(2000, "EUR"))
        world.create(category="cleaning", title="Limpieza a fondo", price=Money(9000, "EUR"))
        result = SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary()).execute(
            ServiceSearch.build(categories=["cleaning"], max_price=5000), PageRequest())
        assert result.page.total == 1
        assert result.category_counts == {"plumbing": 1, "cleaning": 1}

    def test_pages_are_stable_with_equal_sort_keys(self, world):
        world.put_profile()
        for n in range(7):
            world.create(title=f"Servicio {n}")
        world.clock.advance(seconds=-100)
        search = ServiceSearch.build(sort="price_asc")
        pages = [SearchServices(world.services, world.gazetteer, world.availability, shipped_vocabulary()).execute(search, PageRequest(n, 3)).page for n in (1, 2, 3)]
        ids = [s.id for page in pages for s in page.items]
        assert len(ids) == len(set(ids)) == 7 and ids == sorted(ids)
        assert pages[0].total_pages == 3


def test_ratings_on_services(world):
    world.put_profile()
    service = world.create()
    world.services.add_rating(service.id, 5)
    world.services.add_rating(service.id, 3)
    assert (world.services.get(service.id).rating_average, world.services.get(service.id).rating_count) == (4.0, 2)
    with pytest.raises(InvalidInput):
        world.services.add_rating(service.id, 9)


def test_erasure_deletes_every_photo_stored_for_the_seller_even_one_nothing_points_at():
    world = World()
    world.put_profile()
    SetMySellerPhoto(world.profiles, world.services, world.images, PillowImageProcessor(), world.clock).execute(
        CARLOS, photo(100, 100))
    # An upload whose profile save failed: stored, referenced by nothing.
    world.images.put(CARLOS.user_id, "f" * 32, {"large": b"orphan"}, "image/webp")
    world.images.put("someone-else", "e" * 32, {"large": b"theirs"}, "image/webp")
    assert len(world.images.image_ids(CARLOS.user_id)) == 2

    EraseSellerListings(world.profiles, world.services, world.images, world.clock,
                        InMemoryLegacyProfileHours()).execute(
        PersonDeleted(person_id=CARLOS.user_id, deleted_at=world.clock.now()))

    assert world.images.image_ids(CARLOS.user_id) == [] and world.profiles.get(CARLOS.user_id).photo_id is None
    assert world.images.image_ids("someone-else") == ["e" * 32]
