"""What buyers type, understood (issue #21): one-edit typos, the trades a query names, the tiers it
becomes, the search box's suggestions, and the vocabulary file's checks."""

from __future__ import annotations

import pytest

from adapters.outbound.catalog.vocabulary_data import VOCABULARY_CSV, ShippedVocabulary, VocabularyFileError, read_entries
from domain.catalog.categories import CATEGORIES
from domain.catalog.keywords import TEXT, TITLE, TRADE, TRADE_TITLE, prefix_key
from domain.catalog.vocabulary import Vocabulary, VocabularyEntry, osa_distance_at_most_one, terms_for
from tests.fakes import shipped_vocabulary

SHIPPED = shipped_vocabulary().vocabulary()


@pytest.mark.parametrize("a, b, near", [
    ("fontanro", "fontanero", True), ("fontaenro", "fontanero", True), ("fontanera", "fontanero", True),
    ("fontanerox", "fontanero", True), ("fontanero", "fontanero", True),
    ("fontnro", "fontanero", False), ("ofntanreo", "fontanero", False), ("abc", "abcde", False),
])
def test_one_insertion_deletion_change_or_swap(a, b, near):
    assert osa_distance_at_most_one(a, b) is near


def test_typos_are_fixed_only_on_unknown_words_of_five_letters_or_more():
    assert SHIPPED.corrections("fontanro") == ["fontanero"]
    assert SHIPPED.corrections("fontanero") == []  # known
    assert SHIPPED.corrections("fontaneros") == []  # known by its stem
    assert SHIPPED.corrections("grifp") == ["grifo"]
    assert SHIPPED.corrections("grfo") == []  # four letters: too short to guess
    assert SHIPPED.corrections("28013") == []


def test_the_word_as_typed_stays_beside_its_correction():
    terms = SHIPPED.expand("fontanro")
    assert terms.words == ("fontanro", "fontanero") and terms.corrections == {"fontanro": "fontanero"}
    assert terms.trades == ("plumbing",)


@pytest.mark.parametrize("query, trades", [
    ("fuga de agua", ("plumbing",)), ("leaking roof", ("roofing",)), ("roof", ("roofing",)),
    ("limpieza de canalones", ("roofing",)), ("limpieza", ("cleaning",)), ("tema000", ()),
    ("pintar fachada", ("painting",)), ("montar muebles", ("handyman",)),
])
def test_a_query_names_the_trade_of_the_longest_entry_it_holds_whole(query, trades):
    assert SHIPPED.trades(SHIPPED.expand(query).words) == trades


def test_the_tiers_go_from_title_in_the_trade_to_description():
    terms = terms_for(("grifos",), ("plumbing",))
    assert terms.tiers == ((f"{TRADE_TITLE}plumbing:grif", f"{TRADE_TITLE}plumbing:grifo"), (f"{TRADE}plumbing",),
                           (f"{TITLE}grif", f"{TITLE}grifo"), (f"{TEXT}grif", f"{TEXT}grifo"))
    assert terms.tier_of([f"{TEXT}grif", f"{TRADE}plumbing"]) == 1
    assert terms.tier_of([f"{TRADE}cleaning"]) is None
    assert terms_for(("grifos",)).tiers == ((f"{TITLE}grif", f"{TITLE}grifo"), (f"{TEXT}grif", f"{TEXT}grifo"))


def test_suggestions_start_with_what_is_typed_then_words_that_do():
    assert [s.text for s in SHIPPED.suggest("cerra", 5)][:3] == ["cerrajera", "cerrajero", "Cerrajería"]
    assert "cambiar cerradura" in [s.text for s in SHIPPED.suggest("cambiar cerr", 5)]
    assert SHIPPED.suggest("c", 5) == []
    assert len(SHIPPED.suggest("ca", 5)) == 5


def test_the_search_box_looks_titles_up_by_the_part_a_word_shares_with_its_stems():
    assert prefix_key("fontanero") == "fontaner"  # stored as the stem
    assert prefix_key("necesito un fon") == "fon"
    assert prefix_key("fo") is None


def test_the_taxonomys_names_are_always_understood():
    bare = Vocabulary([])
    assert bare.expand("Cerrajería").trades == ("locksmith",)
    assert bare.expand("plumbing").trades == ("plumbing",)


def test_the_shipped_file_names_every_category_in_both_languages():
    entries = read_entries(VOCABULARY_CSV)
    for category in CATEGORIES:
        langs = {e.lang for e in entries if e.category == category.slug and e.kind == "trade"}
        assert langs == {"es", "en"}, category.slug


@pytest.mark.parametrize("row, message", [
    ("plumbin,es,trade,fontanero", "unknown category 'plumbin'"),
    ("plumbing,fr,trade,plombier", "lang must be one of es, en"),
    ("plumbing,es,job,fontanero", "kind must be one of"),
    ("plumbing,es,trade,", "an empty phrase"),
])
def test_a_bad_row_names_its_file_and_line(tmp_path, row, message):
    extra = tmp_path / "extra.csv"
    extra.write_text(f"category,lang,kind,phrase\nplumbing,es,trade,lampista\n{row}\n", encoding="utf-8")
    with pytest.raises(VocabularyFileError) as error:
        read_entries(extra)
    assert f"{extra}:3" in str(error.value) and message in str(error.value)


def test_operators_add_words_in_their_own_files(tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text("category,lang,kind,phrase\nplumbing,es,trade,lampista de guardia\n", encoding="utf-8")
    vocabulary = ShippedVocabulary([extra]).vocabulary()
    assert vocabulary.expand("lampista de guardia").trades == ("plumbing",)
    assert VocabularyEntry("plumbing", "es", "trade", "lampista de guardia") in vocabulary.entries
