"""A seller's presentation, and the reputation later contexts keep up to date."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.images import image_path
from domain.catalog.service import SellerCard
from domain.catalog.validation import clean_text, text_list, whole_number
from domain.shared.errors import InvalidInput

MAX_BIO = 5_000
MAX_HEADLINE = 140
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


@dataclass(frozen=True)
class WorkingHours:
    """A day's opening hours as a profile shows them. They are the seller's bookable hours (kept
    by the orders context), never a setting of the profile's own."""

    day: Weekday
    opens: str
    closes: str

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "day", Weekday(self.day))
        except ValueError:
            raise InvalidInput("day must be one of mon, tue, wed, thu, fri, sat, sun", field="working_hours") from None
        for value in (self.opens, self.closes):
            if not isinstance(value, str) or not _HHMM.match(value):
                raise InvalidInput("times are HH:MM, 00:00 to 23:59", field="working_hours")
        if self.opens >= self.closes:
            raise InvalidInput(f"on {self.day.value} the opening time must be before the closing time",
                               field="working_hours")


@dataclass(frozen=True)
class Presentation:
    """What a seller writes about themselves; validated as a whole."""

    display_name: str
    headline: str = ""
    bio: str = ""
    years_experience: int = 0
    languages: list[str] = field(default_factory=list)
    service_areas: list[str] = field(default_factory=list)
    accepting_jobs: bool = True
    # Where the seller starts from and how far they go; copied onto every service for search.
    travel_area: TravelArea | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "display_name", clean_text(self.display_name, field="display_name", min_len=1, max_len=80))
        set_(self, "headline", clean_text(self.headline, field="headline", min_len=0, max_len=MAX_HEADLINE))
        set_(self, "bio", clean_text(self.bio, field="bio", min_len=0, max_len=MAX_BIO, single_line=False))
        set_(self, "years_experience", whole_number(self.years_experience, field="years_experience",
                                                    minimum=0, maximum=80))
        languages = text_list(self.languages, field="languages", max_items=10, min_len=2, max_len=2, lower=True)
        if not all(_LANGUAGE.match(code) for code in languages):
            raise InvalidInput("use two-letter ISO 639-1 codes, e.g. es, en", field="languages")
        set_(self, "languages", languages)
        set_(self, "service_areas", text_list(self.service_areas, field="service_areas", max_items=50,
                                              min_len=2, max_len=80))
        if not isinstance(self.accepting_jobs, bool):
            raise InvalidInput("must be true or false", field="accepting_jobs")
        if self.travel_area is not None and not isinstance(self.travel_area, TravelArea):
            raise InvalidInput("give base_location and travel_radius_km together", field="travel_radius_km")


# What a partial edit may name: the presentation's own fields, with the travel area in its two
# halves (as the API shows it) so a seller can move their base and keep their radius.
EDITABLE_FIELDS = frozenset({"display_name", "headline", "bio", "years_experience", "languages",
                             "service_areas", "accepting_jobs", "base_location", "travel_radius_km"})
_NULLABLE = frozenset({"base_location", "travel_radius_km"})
_KEEP = object()


def _edited_area(current: TravelArea | None, base: object, radius: object) -> TravelArea | None:
    if base is None or radius is None:
        # Clearing one half alone would leave the other meaningless: both go, and only on purpose.
        if base is not None and base is not _KEEP:
            raise InvalidInput("send base_location null too to remove your travel area", field="travel_radius_km")
        if radius is not None and radius is not _KEEP:
            raise InvalidInput("send travel_radius_km null too to remove your travel area", field="base_location")
        return None
    if base is _KEEP:
        if current is None:
            raise InvalidInput("a travel radius needs a base_location", field="base_location")
        base = current.base
    if radius is _KEEP:
        if current is None:
            raise InvalidInput("a base_location needs a travel_radius_km", field="travel_radius_km")
        radius = current.radius_km
    if not isinstance(base, GeoPoint):
        raise InvalidInput("give lat and lng", field="base_location")
    return TravelArea(base, radius)  # type: ignore[arg-type]


def edited_presentation(current: Presentation, changes: Mapping[str, object]) -> Presentation:
    """``current`` with only the named fields changed, validated as a whole: what a field left out
    holds is kept, whatever a client knows of. ``None`` clears the travel area (the photo is uploaded apart)."""
    changes = dict(changes)
    for name in sorted(changes):
        if name not in EDITABLE_FIELDS:
            raise InvalidInput("cannot be changed here", field=name)
        if changes[name] is None and name not in _NULLABLE:
            raise InvalidInput("may not be null; leave it out to keep it", field=name)
    base, radius = changes.pop("base_location", _KEEP), changes.pop("travel_radius_km", _KEEP)
    if base is not _KEEP or radius is not _KEEP:
        changes["travel_area"] = _edited_area(current.travel_area, base, radius)
    return dataclasses.replace(current, **changes)


@dataclass
class SellerProfile:
    seller_id: str
    presentation: Presentation
    member_since: datetime
    updated_at: datetime
    rating_average: float = 0.0
    rating_count: int = 0
    completed_jobs: int = 0
    version: int = 0
    # Uploaded, not written: a PUT of the presentation keeps it (domain.catalog.images).
    photo_id: str | None = None

    @property
    def id(self) -> str:
        return self.seller_id

    @property
    def accepting_jobs(self) -> bool:
        return self.presentation.accepting_jobs

    @property
    def card(self) -> SellerCard:
        """What each of the seller's services carries of them for search results."""
        p = self.presentation
        photo = image_path(self.seller_id, self.photo_id, "card") if self.photo_id else None
        return SellerCard(display_name=p.display_name, photo_url=photo, rating_average=self.rating_average,
                          rating_count=self.rating_count, completed_jobs=self.completed_jobs,
                          member_since=self.member_since)

    @classmethod
    def create(cls, *, seller_id: str, presentation: Presentation, member_since: datetime,
               now: datetime) -> SellerProfile:
        return cls(seller_id=seller_id, presentation=presentation, member_since=member_since, updated_at=now)

    def present(self, presentation: Presentation, now: datetime) -> None:
        self.presentation = presentation
        self.updated_at = now

    def set_photo(self, photo_id: str, now: datetime) -> str | None:
        """The photo it replaces, if any, for the caller to delete once this one is stored."""
        previous = self.photo_id
        self.photo_id = photo_id
        self.updated_at = now
        return previous if previous != photo_id else None

    def remove_photo(self, now: datetime) -> str | None:
        previous, self.photo_id = self.photo_id, None
        if previous is not None:
            self.updated_at = now
        return previous
