from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.catalog.categories import CATEGORIES, category
from domain.catalog.errors import UnknownCategory
from domain.catalog.keywords import TEXT, TITLE, TRADE, TRADE_TITLE, fold, normalize_area, stems, tokens
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.profile import Presentation, SellerProfile, WorkingHours, edited_presentation
from domain.catalog.service import PriceModel, Service, ServiceDetails, ServiceStatus
from domain.catalog.validation import check_stars, rating_average
from domain.shared.errors import InvalidInput, InvalidTransition
from domain.shared.money import Money

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def details(**overrides) -> ServiceDetails:
    values = dict(title="Reparación de grifos", description="Cambio y reparo grifos.", category="plumbing",
                  price_model=PriceModel.FIXED, price=Money(4500, "EUR"), duration_minutes=60,
                  service_areas=["Madrid", "28001"],
                  tags=["Grifos", "urgente"])
    values.update(overrides)
    return ServiceDetails(**values)


def service(**overrides) -> Service:
    return Service.create(service_id="s1", seller_id="u1", details=details(**overrides), seller_accepting_jobs=True,
                          now=NOW)


class TestCategories:
    def test_taxonomy_has_unique_slugs_and_both_languages(self):
        slugs = [c.slug for c in CATEGORIES]
        assert len(slugs) == len(set(slugs)) >= 13
        assert category("plumbing").name_es == "Fontanería" and category("plumbing").name_en == "Plumbing"
        assert all(c.name_es and c.name_en for c in CATEGORIES)

    def test_unknown_category_names_the_field(self):
        with pytest.raises(UnknownCategory) as error:
            category("astrology")
        assert error.value.field == "category"


class TestKeywords:
    def test_case_and_accents_are_ignored(self):
        assert fold("Fontanería ÑANDÚ") == "fontaneria nandu"
        assert tokens("Fontanería") == tokens("fontaneria") == tokens("FONTANERIA")

    @pytest.mark.parametrize("singular, plural", [
        ("grifo", "grifos"), ("pipe", "pipes"), ("reparación", "reparaciones"), ("fontanero", "fontaneros"),
        ("box", "boxes"), ("interruptor", "interruptores"), ("battery", "batteries"), ("leak", "leaks"),
        ("plumber", "plumbers"), ("persiana", "persianas"), ("enchufe", "enchufes"),
    ])
    def test_plurals_meet_their_singular(self, singular, plural):
        assert set(tokens(singular)) & set(tokens(plural))

    def test_each_word_is_stemmed_in_spanish_and_in_english(self):
        assert stems("grifos") == ("grif", "grifo")
        assert stems("leaking") == ("leaking", "leak")
        assert stems("cesped") == ("cesp",)  # both agree: one key

    def test_stop_words_and_single_letters_are_dropped(self):
        assert tokens("la reparación de la caldera y the boiler") == ["repar", "reparacion", "calder", "caldera",
                                                                      "boil", "boiler"]
        assert tokens("necesito un fontanero, my tap is not working") == ["fontaner", "fontanero", "tap",
                                                                            "working", "work"]

    def test_short_words_keep_their_s(self):
        assert "gas" in stems("gas") and "glass" in stems("glass")

    def test_service_keys_say_which_field_each_word_came_from(self):
        keys = service().keywords
        assert TRADE + "plumbing" in keys
        for stem in stems("grifos"):  # title
            assert {TITLE + stem, f"{TRADE_TITLE}plumbing:{stem}"} <= set(keys)
        for stem in stems("urgente"):  # a tag
            assert TITLE + stem in keys
        assert TEXT + "cambi" in keys  # a description word only
        assert TEXT + "grif" not in keys  # a title word is not a description key too
        assert keys == sorted(set(keys))
        assert all(key < "0" for key in keys)  # every key sorts before a bare stem (the backfill's range)

    def test_areas_compare_without_case_or_accents(self):
        assert normalize_area("  Málaga   Centro ") == "malaga centro"
        assert service(service_areas=["Málaga", "MALAGA", "29001"]).area_keys == ["29001", "malaga"]


class TestServiceDetails:
    @pytest.mark.parametrize("overrides, field", [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"category": "astrology"}, "category"),
        ({"price_model": "barter"}, "price_model"),
        ({"price": None}, "price"),
        ({"price": Money(-100, "EUR")}, "price.amount"),
        ({"price": Money(0, "EUR")}, "price.amount"),
        ({"price_model": PriceModel.QUOTE}, "price"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"service_areas": []}, "service_areas"),
        ({"service_areas": ["x"]}, "service_areas"),
        ({"tags": ["x"]}, "tags"),
    ])
    def test_each_bad_field_is_named(self, overrides, field):
        with pytest.raises(InvalidInput) as error:
            details(**overrides)
        assert error.value.field == field

    def test_quote_has_no_price_and_values_are_cleaned(self):
        d = details(price_model="quote", price=None, title="  Pintura   de pisos ", tags=["Pisos", "pisos"])
        assert (d.price_model, d.price, d.title, d.tags) == (PriceModel.QUOTE, None, "Pintura de pisos", ["pisos"])

    def test_money_rejects_floats(self):
        with pytest.raises(InvalidInput):
            Money(45.0, "EUR")  # type: ignore[arg-type]


class TestServiceLife:
    def test_active_paused_active_deleted(self):
        s = service()
        assert s.status is ServiceStatus.ACTIVE and s.is_listed
        s.pause(NOW)
        assert s.status is ServiceStatus.PAUSED and not s.is_listed
        s.resume(NOW)
        s.delete(NOW)
        assert s.status is ServiceStatus.DELETED

    @pytest.mark.parametrize("steps", [["resume"], ["pause", "pause"], ["delete", "resume"], ["delete", "delete"],
                                       ["delete", "pause"]])
    def test_disallowed_transitions_conflict(self, steps):
        s = service()
        for step in steps[:-1]:
            getattr(s, step)(NOW)
        with pytest.raises(InvalidTransition):
            getattr(s, steps[-1])(NOW)

    def test_a_deleted_service_cannot_be_edited(self):
        s = service()
        s.delete(NOW)
        with pytest.raises(InvalidTransition):
            s.edit(details(), NOW)

    def test_a_seller_not_taking_jobs_hides_active_services(self):
        s = service()
        s.seller_accepting_jobs = False
        assert not s.is_listed


class TestPresentation:
    @pytest.mark.parametrize("overrides, field", [
        ({"display_name": " "}, "display_name"),
        ({"headline": "x" * 141}, "headline"),
        ({"bio": "x" * 5001}, "bio"),
        ({"years_experience": -1}, "years_experience"),
        ({"languages": ["spanish"]}, "languages"),
        ({"languages": ["e1"]}, "languages"),
        ({"accepting_jobs": "yes"}, "accepting_jobs"),
    ])
    def test_each_bad_field_is_named(self, overrides, field):
        with pytest.raises(InvalidInput) as error:
            Presentation(**{"display_name": "Carlos", **overrides})
        assert error.value.field == field

    @pytest.mark.parametrize("day, opens, closes", [("mon", "18:00", "09:00"), ("funday", "09:00", "10:00"),
                                                     ("tue", "9:00", "18:00"), ("wed", "24:00", "25:00")])
    def test_bad_working_hours(self, day, opens, closes):
        with pytest.raises(InvalidInput) as error:
            WorkingHours(day, opens, closes)
        assert error.value.field == "working_hours"

    def test_a_bio_rich_enough_to_sell(self):
        bio = "Fontanero con 20 años de experiencia.\n\n" + "Trabajo limpio y garantizado. " * 150
        presentation = Presentation(display_name="Carlos", bio=bio, languages=["ES", "en"])
        assert presentation.bio == bio.strip() and presentation.languages == ["es", "en"]

    def test_profile_starts_with_zero_reputation(self):
        profile = SellerProfile.create(seller_id="u1", presentation=Presentation(display_name="Carlos"),
                                       member_since=NOW, now=NOW)
        assert (profile.id, profile.rating_average, profile.rating_count, profile.completed_jobs) == ("u1", 0, 0, 0)
        assert profile.accepting_jobs


class TestEditedPresentation:
    CURRENT = Presentation(display_name="Carlos", headline="Fontanero", languages=["es"],
                           travel_area=TravelArea(GeoPoint(40.4, -3.7), 25))

    def test_a_field_left_out_keeps_its_value(self):
        edited = edited_presentation(self.CURRENT, {"headline": "Fontanero 24 h"})
        assert edited.headline == "Fontanero 24 h"
        assert edited.travel_area == self.CURRENT.travel_area and edited.languages == ["es"]
        assert edited_presentation(self.CURRENT, {}) == self.CURRENT

    @pytest.mark.parametrize("changes, field", [
        ({"languages": None}, "languages"),
        ({"service_areas": None}, "service_areas"),
        ({"working_hours": []}, "working_hours"),
        ({"travel_area": None}, "travel_area"),
        ({"base_location": None, "travel_radius_km": 5}, "base_location"),
    ])
    def test_what_cannot_be_edited_names_the_field(self, changes, field):
        with pytest.raises(InvalidInput) as error:
            edited_presentation(self.CURRENT, changes)
        assert error.value.field == field

    def test_a_new_base_keeps_the_radius_and_nulls_clear_the_area(self):
        moved = edited_presentation(self.CURRENT, {"base_location": GeoPoint(40.0, -3.0)})
        assert moved.travel_area == TravelArea(GeoPoint(40.0, -3.0), 25)
        assert edited_presentation(self.CURRENT, {"base_location": None}).travel_area is None


def test_ratings():
    assert rating_average(13, 3) == 4.33 and rating_average(0, 0) == 0.0
    for bad in (0, 6, True, 4.5):
        with pytest.raises(InvalidInput):
            check_stars(bad)
