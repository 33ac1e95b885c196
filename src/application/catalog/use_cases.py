"""Catalog: seller profiles, services and their search. Other contexts read services and
profiles through ``GetService`` and ``GetSellerProfile``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from application.catalog.ports import (
    PROFILE_SERVICES_LIMIT,
    BookableHours,
    Gazetteer,
    ImageProcessor,
    ImageStore,
    LegacyProfileHours,
    PlaceSource,
    PublicLocations,
    SearchFieldsBackfill,
    SearchVocabulary,
    SellerAvailability,
    SellerAccounts,
    SellerHours,
    SellerProfileRepository,
    ServiceRepository,
    StoredImage,
)
from application.catalog.search import NoMatchHints, SearchResult, ServiceSearch, SortOrder
from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock
from domain.catalog import erasure
from domain.catalog.categories import CATEGORIES, Category
from domain.catalog.errors import SellerProfileMissing, SellerProfileNotFound, ServiceNotFound, UnknownPlace
from domain.catalog.geo import MAX_TRAVEL_RADIUS_KM, TravelArea
from domain.catalog.images import CONTENT_TYPE, VARIANTS, PhotoNotFound, check_upload_size, image_id, is_image_id
from domain.catalog.keywords import prefix_key
from domain.catalog.profile import Presentation, SellerProfile, WorkingHours, Weekday, edited_presentation
from domain.catalog.service import Service, ServiceDetails, ServiceStatus
from domain.catalog.vocabulary import QueryTerms, Suggestion
from domain.shared.errors import InvalidInput
from domain.shared.access import Actor
from domain.shared.errors import InvalidInput
from domain.shared.ids import new_id


@dataclass(frozen=True)
class CategoryWithCount:
    category: Category
    active_services: int


@dataclass(frozen=True)
class ListCategories:
    services: ServiceRepository

    def execute(self) -> list[CategoryWithCount]:
        counts = self.services.count_by_category(ServiceSearch())
        return [CategoryWithCount(c, counts.get(c.slug, 0)) for c in CATEGORIES]


@dataclass(frozen=True)
class GetSellerProfile:
    """A seller's profile by id; ``accepting_jobs`` tells whether they take new jobs."""

    profiles: SellerProfileRepository

    def execute(self, seller_id: str) -> SellerProfile:
        profile = self.profiles.get(seller_id)
        if profile is None:
            raise SellerProfileNotFound()
        return profile


@dataclass(frozen=True)
class PublicSellerProfile:
    profile: SellerProfile
    services: list[Service]
    hours: BookableHours | None = None


@dataclass(frozen=True)
class GetPublicSellerProfile:
    """What a buyer reads to decide: three reads, whatever the number of services."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    hours: SellerHours

    def execute(self, seller_id: str) -> PublicSellerProfile:
        profile = self.profiles.get(seller_id)
        if profile is None:
            raise SellerProfileNotFound()
        return PublicSellerProfile(profile, self.services.list_listed_by_seller(seller_id, PROFILE_SERVICES_LIMIT),
                                   self.hours.of(seller_id))


@dataclass(frozen=True)
class GetSellerHours:
    """The hours a profile shows: the seller's bookable hours (None until they set some)."""

    hours: SellerHours

    def execute(self, seller_id: str) -> BookableHours | None:
        return self.hours.of(seller_id)


def _hours_key(hours: list[WorkingHours]) -> list[tuple[int, str, str]]:
    days = list(Weekday)
    return sorted((days.index(h.day), h.opens, h.closes) for h in hours)


@dataclass(frozen=True)
class GetMySellerProfile:
    profiles: SellerProfileRepository

    def execute(self, actor: Actor) -> SellerProfile:
        profile = self.profiles.get(actor.user_id)
        if profile is None:
            raise SellerProfileNotFound()
        return profile


def _store_presentation(profiles: SellerProfileRepository, services: ServiceRepository, accounts: SellerAccounts,
                        locations: PublicLocations, clock: Clock, actor: Actor, profile: SellerProfile | None,
                        presentation: Presentation) -> SellerProfile:
    now = clock.now()
    if profile is None:
        # Member-since is copied from the account once, so reading a profile never reads another context.
        member_since = accounts.member_since(actor.user_id) or now
        profile = SellerProfile.create(seller_id=actor.user_id, presentation=presentation,
                                       member_since=member_since, now=now)
        profiles.add(profile)
        return profile
    was_accepting, had_area, had_card = profile.accepting_jobs, profile.presentation.travel_area, profile.card
    profile.present(presentation, now)
    profiles.save(profile)
    # Idempotent: a retried request repairs a copy left behind by a failure here.
    if profile.accepting_jobs != was_accepting:
        services.set_seller_accepting_jobs(actor.user_id, profile.accepting_jobs)
    if presentation.travel_area != had_area:
        services.set_seller_travel_area(actor.user_id, _public(locations, actor.user_id, presentation.travel_area))
    if profile.card != had_card:
        services.set_seller_card(actor.user_id, profile.card)
    return profile


@dataclass(frozen=True)
class PutMySellerProfile:
    """Create or replace the caller's whole presentation (for clients that send all of it).
    ``working_hours``, from clients of before hours had one home, must be the bookable hours
    (what the profile showed them) or nothing: hours are changed in the availability."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    accounts: SellerAccounts
    locations: PublicLocations
    clock: Clock
    hours: SellerHours

    def execute(self, actor: Actor, presentation: Presentation,
                working_hours: list[WorkingHours] | None = None) -> SellerProfile:
        if working_hours:
            bookable = self.hours.of(actor.user_id)
            if _hours_key(working_hours) != _hours_key(bookable.hours if bookable else []):
                raise InvalidInput("your profile shows your bookable hours: change them with PATCH "
                                   "/me/availability, and send these as read or leave them out",
                                   field="working_hours")
        return _store_presentation(self.profiles, self.services, self.accounts, self.locations, self.clock, actor,
                                   self.profiles.get(actor.user_id), presentation)


@dataclass(frozen=True)
class PatchMySellerProfile:
    """Change only the fields named in ``changes`` (see ``edited_presentation``); creates the
    profile when there is none yet, which then needs a display_name."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    accounts: SellerAccounts
    locations: PublicLocations
    clock: Clock

    def execute(self, actor: Actor, changes: Mapping[str, Any]) -> SellerProfile:
        profile = self.profiles.get(actor.user_id)
        if profile is None:
            if "display_name" not in changes:
                raise InvalidInput("needed to create your profile", field="display_name")
            current = Presentation(display_name=changes["display_name"])
        else:
            current = profile.presentation
        presentation = edited_presentation(current, changes)
        return _store_presentation(self.profiles, self.services, self.accounts, self.locations, self.clock, actor,
                                   profile, presentation)


def _public(locations: PublicLocations, seller_id: str, area: TravelArea | None) -> TravelArea | None:
    """What services carry: never the base (often a home), which stays on the profile."""
    return None if area is None else locations.public_area(seller_id, area)


@dataclass(frozen=True)
class GetService:
    """A service by id, for buyers and for other contexts (orders snapshot it at booking)."""

    services: ServiceRepository

    def execute(self, service_id: str) -> Service:
        service = self.services.get(service_id)
        if service is None or service.status is ServiceStatus.DELETED:
            raise ServiceNotFound()
        return service


@dataclass(frozen=True)
class CreateService:
    services: ServiceRepository
    profiles: SellerProfileRepository
    locations: PublicLocations
    clock: Clock

    def execute(self, actor: Actor, details: ServiceDetails) -> Service:
        profile = self.profiles.get(actor.user_id)
        if profile is None:
            raise SellerProfileMissing()
        service = Service.create(service_id=new_id(), seller_id=actor.user_id, details=details,
                                 seller_accepting_jobs=profile.accepting_jobs, now=self.clock.now(),
                                 travel_area=_public(self.locations, actor.user_id,
                                                     profile.presentation.travel_area), seller=profile.card)
        service.seller_completed_jobs = profile.completed_jobs  # relevance's tie-break, kept on each service
        self.services.add(service)
        return service


def _owned_service(services: ServiceRepository, actor: Actor, service_id: str, *, staff_may: bool = False) -> Service:
    service = services.get(service_id)
    if service is None or service.status is ServiceStatus.DELETED:
        raise ServiceNotFound()
    actor.ensure_owner(service.seller_id, staff_may=staff_may, what="service")
    return service


@dataclass(frozen=True)
class UpdateServiceCommand:
    service_id: str
    # Only the fields to change, named as in ServiceDetails; "price": None is valid for quotes.
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class UpdateService:
    services: ServiceRepository
    clock: Clock

    def execute(self, actor: Actor, command: UpdateServiceCommand) -> Service:
        service = _owned_service(self.services, actor, command.service_id)
        changes = dict(command.changes)
        # Switching to quote drops the price unless the caller insists on sending one.
        if changes.get("price_model") == "quote" and "price" not in changes:
            changes["price"] = None
        # replace() runs ServiceDetails' validation on the merged whole.
        service.edit(dataclasses.replace(service.details, **changes), self.clock.now())
        self.services.save(service)
        return service


@dataclass(frozen=True)
class PauseService:
    services: ServiceRepository
    clock: Clock

    def execute(self, actor: Actor, service_id: str) -> Service:
        service = _owned_service(self.services, actor, service_id)
        service.pause(self.clock.now())
        self.services.save(service)
        return service


@dataclass(frozen=True)
class ResumeService:
    services: ServiceRepository
    clock: Clock

    def execute(self, actor: Actor, service_id: str) -> Service:
        service = _owned_service(self.services, actor, service_id)
        service.resume(self.clock.now())
        self.services.save(service)
        return service


@dataclass(frozen=True)
class DeleteService:
    """Soft delete: the service disappears from the catalog, orders keep their reference.
    Staff may delete too (moderation)."""

    services: ServiceRepository
    images: ImageStore
    clock: Clock

    def execute(self, actor: Actor, service_id: str) -> None:
        service = _owned_service(self.services, actor, service_id, staff_may=True)
        photos, service.photo_ids = service.photo_ids, []
        service.delete(self.clock.now())
        self.services.save(service)
        # After the save: a failed save leaves the listing with its photos, never photos missing.
        for photo in photos:
            self.images.delete(service.seller_id, photo)


@dataclass(frozen=True)
class ListMyServices:
    services: ServiceRepository

    def execute(self, actor: Actor, page: PageRequest, status: ServiceStatus | None = None) -> Page[Service]:
        statuses = frozenset({status}) if status else frozenset({ServiceStatus.ACTIVE, ServiceStatus.PAUSED})
        return self.services.list_by_seller(actor.user_id, statuses, page)


@dataclass(frozen=True)
class SearchServices:
    services: ServiceRepository
    gazetteer: Gazetteer
    availability: SellerAvailability
    vocabulary: SearchVocabulary

    def execute(self, search: ServiceSearch, page: PageRequest) -> SearchResult:
        search = self._resolved(search)
        if search.free_sellers is not None and not search.free_sellers:
            # Nobody can come that day.
            return SearchResult(Page([], 0, page), {}, hints=self._hints(search, {}))
        counts = self.services.count_by_category(search)
        total = _total(search, counts)
        if total == 0:
            return SearchResult(Page([], 0, page), counts, hints=self._hints(search, counts))
        if total <= page.offset:
            return SearchResult(Page([], total, page), counts)
        if search.near is None:
            return SearchResult(Page(self.services.find_page(search, page), total, page), counts)
        hits = self.services.find_page_near(search, page)
        return SearchResult(Page([s for s, _ in hits], total, page), counts, {s.id: d for s, d in hits})

    def _resolved(self, search: ServiceSearch) -> ServiceSearch:
        search = search.understood_with(self.vocabulary.vocabulary())
        if search.near_place is not None:
            place = self.gazetteer.locate(search.near_place)
            if place is None:
                raise UnknownPlace(search.near_place)
            search = dataclasses.replace(search, near=place.point, near_keys=place.area_keys, near_place=None)
        if search.available_on is not None and search.free_sellers is None:
            free = self.availability.longest_free(search.available_on, search.part_of_day)
            search = dataclasses.replace(search, free_sellers=free)
        return search

    def _count(self, search: ServiceSearch) -> int:
        if search.free_sellers is not None and not search.free_sellers:
            return 0
        return _total(search, self.services.count_by_category(search))

    def _hints(self, search: ServiceSearch, counts: Mapping[str, int]) -> NoMatchHints:
        """What would find something, for a search that found nothing (a rare request, so a few
        more counts, each bounded like the search's own): with a category filter, the other
        categories the same search finds something in; without, the categories nearest to the
        words, counted without the words; a wider radius; one filter fewer."""
        categories: dict[str, int] = {}
        if search.categories:
            categories = {slug: n for slug, n in counts.items() if n and slug not in search.categories}
        elif search.q is not None:
            # The words found nothing anywhere: the categories nearest to them, without the words.
            named = self.vocabulary.vocabulary().nearest_categories(search.q)
            if named:
                wordless = dataclasses.replace(search, q=None, keywords=(), terms=QueryTerms())
                if wordless.sort is SortOrder.RELEVANCE:
                    wordless = dataclasses.replace(wordless, sort=SortOrder.NEWEST)
                found = self.services.count_by_category(wordless)
                categories = {slug: found.get(slug, 0) for slug in named if found.get(slug, 0)}
        wider, wider_count = None, 0
        if search.near is not None:
            for radius in sorted({min(search.radius_km * 2, MAX_TRAVEL_RADIUS_KM), MAX_TRAVEL_RADIUS_KM}):
                if radius > search.radius_km:
                    found = self._count(dataclasses.replace(search, radius_km=radius))
                    if found:
                        wider, wider_count = radius, found
                        break
        fewer: dict[str, int] = {}
        for name, looser in _one_filter_fewer(search):
            found = self._count(looser)
            if found:
                fewer[name] = found
        return NoMatchHints(categories=categories, wider_radius_km=wider, wider_radius_count=wider_count,
                            without_filters=fewer, corrections=dict(search.terms.corrections))


def _total(search: ServiceSearch, counts: Mapping[str, int]) -> int:
    # The counts already hold every match per category: the total is their sum, no count query.
    selected = search.categories or tuple(counts)
    return sum(counts.get(slug, 0) for slug in selected)


def _one_filter_fewer(search: ServiceSearch) -> list[tuple[str, ServiceSearch]]:
    """The search without each of its narrowing filters in turn (named as the API names them)."""
    replace = dataclasses.replace
    looser = []
    if search.min_price is not None or search.max_price is not None:
        looser.append(("price", replace(search, min_price=None, max_price=None)))
    if search.min_rating is not None:
        looser.append(("min_rating", replace(search, min_rating=None)))
    if search.price_model is not None:
        looser.append(("price_model", replace(search, price_model=None)))
    if search.area is not None:
        looser.append(("area", replace(search, area=None)))
    if search.available_on is not None:
        looser.append(("available_on", replace(search, available_on=None, part_of_day=None, free_sellers=None)))
    if search.currency is not None:
        looser.append(("currency", replace(search, currency=None)))
    return looser


MAX_SUGGEST_CHARS = 100
SUGGESTIONS = 8
VOCABULARY_SUGGESTIONS = 5


@dataclass(frozen=True)
class SuggestSearch:
    """What the search box offers while a buyer types: trades, categories and problems from the
    vocabulary (in memory), then listed services whose title has a word starting like the last
    word typed (one indexed query)."""

    services: ServiceRepository
    vocabulary: SearchVocabulary

    def execute(self, q: str) -> list[Suggestion]:
        if not isinstance(q, str) or len(q) > MAX_SUGGEST_CHARS:
            raise InvalidInput(f"text of at most {MAX_SUGGEST_CHARS} characters", field="q")
        found = self.vocabulary.vocabulary().suggest(q, VOCABULARY_SUGGESTIONS)
        prefix = prefix_key(q)
        if prefix is not None:
            found += self.services.suggest_titles(prefix, SUGGESTIONS - len(found))
        return found


@dataclass(frozen=True)
class LoadGazetteer:
    """Load the shipped postal codes and cities into the gazetteer; running it again is harmless."""

    gazetteer: Gazetteer
    source: PlaceSource

    def execute(self) -> int:
        return self.gazetteer.load(self.source.places())


@dataclass(frozen=True)
class BackfillSearchFields:
    """Fill in what search derives from services written before a release derived it (run at
    every start, and by operators after restoring an older archive or a rolling upgrade)."""

    backfill: SearchFieldsBackfill

    def execute(self) -> int:
        return self.backfill.backfill()


@dataclass(frozen=True)
class PublishSellerAreas:
    """Copy every seller's public travel area onto their services again: services written before
    search measured from a public point carry the base itself, and a new SELLER_LOCATION_KEY (never
    do that lightly) moves every public point. Idempotent; how many sellers were written."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    locations: PublicLocations

    def execute(self) -> int:
        located = self.profiles.located_sellers()
        for seller_id, area in located:
            self.services.set_seller_travel_area(seller_id, self.locations.public_area(seller_id, area))
        return len(located)


@dataclass(frozen=True)
class EraseSellerListings:
    """The catalog's handler of ``account.deleted`` (issue #12): the seller's presentation is erased
    and every service delisted. Naturally idempotent: what is erased already is not saved again."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    images: ImageStore
    clock: Clock
    legacy_hours: LegacyProfileHours

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        now = self.clock.now()
        changed = 0
        profile = self.profiles.get(person_id)
        if profile is not None and erasure.erase_profile(profile, now):
            self.profiles.save(profile)
            changed += 1
        # Hours a profile kept of its own and not yet moved are the seller's words too.
        self.legacy_hours.drop(person_id)
        if profile is not None:
            self.services.set_seller_card(person_id, profile.card)  # the name and photo go from the listings too
        # The services' copies of the profile's flag and base point (both idempotent updates).
        self.services.set_seller_accepting_jobs(person_id, False)
        self.services.set_seller_travel_area(person_id, None)
        every_status = frozenset(ServiceStatus)
        for service in every_item(lambda page: self.services.list_by_seller(person_id, every_status, page)):
            if erasure.delist_service(service, now):
                self.services.save(service)
                changed += 1
        # Every image stored for them, referenced or not (an upload whose save failed).
        for image in self.images.image_ids(person_id):
            self.images.delete(person_id, image)
            changed += 1
        return changed


# The profiles' own hours of before were written for buyers in Spain, with no zone.
PROFILE_HOURS_TIME_ZONE = "Europe/Madrid"


@dataclass(frozen=True)
class MoveProfileHoursToSchedules:
    """One home for a seller's hours (#18): the hours a profile kept of its own become the seller's
    bookable hours if they have none, and are dropped either way (a seller's schedule, which bookings
    already use, wins). Idempotent; returns (moved, dropped because a schedule existed)."""

    legacy: LegacyProfileHours
    hours: SellerHours

    def execute(self) -> tuple[int, int]:
        moved = dropped = 0
        for seller_id, hours in self.legacy.stored().items():
            if hours and self.hours.adopt(seller_id, hours, PROFILE_HOURS_TIME_ZONE):
                moved += 1
            else:
                dropped += 1
            self.legacy.drop(seller_id)
        return moved, dropped


@dataclass(frozen=True)
class ExportSellerProfileData:
    """For the privacy context's export: the seller's profile, if they made one."""

    profiles: SellerProfileRepository

    def execute(self, seller_id: str) -> SellerProfile | None:
        return self.profiles.get(seller_id)


@dataclass(frozen=True)
class ExportSellerServicesData:
    """For the privacy context's export: every service the seller listed, deleted ones included
    (they are kept for the orders that point at them)."""

    services: ServiceRepository

    def execute(self, seller_id: str) -> list[Service]:
        every_status = frozenset(ServiceStatus)
        return every_item(lambda page: self.services.list_by_seller(seller_id, every_status, page))


@dataclass(frozen=True)
class ExportSellerPhotosData:
    """For the privacy context's export: every photo stored for the seller, in its largest size."""

    images: ImageStore

    def execute(self, seller_id: str) -> dict[str, StoredImage]:
        found = {image: self.images.get(seller_id, image, "large") for image in self.images.image_ids(seller_id)}
        return {image: stored for image, stored in found.items() if stored is not None}


def _prepared_and_stored(images: ImageStore, processor: ImageProcessor, *, owner_id: str, place: str,
                         upload: bytes) -> str:
    check_upload_size(len(upload))
    prepared = processor.prepare(upload)
    photo = image_id(place, upload)
    # Stored before the entity points at it: a reader never meets a photo without bytes.
    images.put(owner_id, photo, prepared.variants, CONTENT_TYPE)
    return photo


@dataclass(frozen=True)
class SetMySellerPhoto:
    """Upload or replace the caller's profile photo."""

    profiles: SellerProfileRepository
    services: ServiceRepository
    images: ImageStore
    processor: ImageProcessor
    clock: Clock

    def execute(self, actor: Actor, upload: bytes) -> SellerProfile:
        profile = self.profiles.get(actor.user_id)
        if profile is None:
            raise SellerProfileMissing()
        photo = _prepared_and_stored(self.images, self.processor, owner_id=actor.user_id,
                                     place=f"seller:{actor.user_id}", upload=upload)
        replaced = profile.set_photo(photo, self.clock.now())
        self.profiles.save(profile)
        self.services.set_seller_card(actor.user_id, profile.card)  # the face on every search card
        if replaced is not None:
            self.images.delete(actor.user_id, replaced)
        return profile


@dataclass(frozen=True)
class RemoveMySellerPhoto:
    profiles: SellerProfileRepository
    services: ServiceRepository
    images: ImageStore
    clock: Clock

    def execute(self, actor: Actor) -> SellerProfile:
        profile = self.profiles.get(actor.user_id)
        if profile is None:
            raise SellerProfileNotFound()
        removed = profile.remove_photo(self.clock.now())
        if removed is None:
            raise PhotoNotFound()
        self.profiles.save(profile)
        self.services.set_seller_card(actor.user_id, profile.card)
        self.images.delete(actor.user_id, removed)
        return profile


@dataclass(frozen=True)
class AddServicePhoto:
    """A photo at the end of the service's gallery; the same photo again changes nothing."""

    services: ServiceRepository
    images: ImageStore
    processor: ImageProcessor
    clock: Clock

    def execute(self, actor: Actor, service_id: str, upload: bytes) -> Service:
        service = _owned_service(self.services, actor, service_id)
        photo = image_id(f"service:{service.id}", upload)
        # Refused before the work of decoding and storing it (the limit on count, a deleted service).
        probe = dataclasses.replace(service, photo_ids=list(service.photo_ids))
        if not probe.add_photo(photo, self.clock.now()):
            return service
        _prepared_and_stored(self.images, self.processor, owner_id=service.seller_id,
                             place=f"service:{service.id}", upload=upload)
        service.add_photo(photo, self.clock.now())
        self.services.save(service)
        return service


@dataclass(frozen=True)
class ReorderServicePhotos:
    services: ServiceRepository
    clock: Clock

    def execute(self, actor: Actor, service_id: str, photo_ids: list[str]) -> Service:
        service = _owned_service(self.services, actor, service_id)
        service.reorder_photos(photo_ids, self.clock.now())
        self.services.save(service)
        return service


@dataclass(frozen=True)
class RemoveServicePhoto:
    services: ServiceRepository
    images: ImageStore
    clock: Clock

    def execute(self, actor: Actor, service_id: str, photo_id: str) -> Service:
        service = _owned_service(self.services, actor, service_id)
        service.remove_photo(photo_id, self.clock.now())
        self.services.save(service)
        self.images.delete(service.seller_id, photo_id)
        return service


@dataclass(frozen=True)
class GetImage:
    """A stored variant, for anyone: photos are shown on public pages."""

    images: ImageStore

    def execute(self, owner_id: str, photo_id: str, variant: str) -> StoredImage:
        if variant not in VARIANTS or not is_image_id(photo_id) or not isinstance(owner_id, str):
            raise PhotoNotFound()
        stored = self.images.get(owner_id, photo_id, variant)
        if stored is None:
            raise PhotoNotFound()
        return stored
