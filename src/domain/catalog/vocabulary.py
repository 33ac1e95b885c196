"""What buyers type, understood: the trades, problems and jobs of each category in Spanish and
English (data operators extend: ``adapters/outbound/catalog/data/vocabulary.csv``), typos of
one edit, and the relevance tiers a query becomes.

A query is expanded at query time into index keys (``keywords.py``), one tuple of keys per
tier, best first:

1. a title or tag word of the query in a service of a trade the query names;
2. any service of that trade ("fontanero", "fuga de agua" and "plumber" name plumbing);
3. a title or tag word of the query in any service;
4. a description word of the query.

A service ranks in the best tier it has a key of; within a tier, by ``Service.rank`` (rating,
reviews, completed jobs). Each tier is one walk of the index ``listed, keywords, rank`` in its
order, so the first page reads about a page of index keys and documents per tier it reaches,
whatever the catalog's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.catalog.categories import CATEGORIES
from domain.catalog.keywords import TEXT, TITLE, TRADE, TRADE_TITLE, fold, stems, words

KINDS = ("trade", "problem", "category")
LANGUAGES = ("es", "en")
TYPO_MIN_LETTERS = 5
MAX_TRADES = 3  # trades one query may name; more says the query names none well


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    category: str
    lang: str
    kind: str  # trade ("fontanero"), problem (a problem or job: "fuga de agua"), category
    phrase: str


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # trade, problem, category (from the vocabulary) or service (a listing's title)
    category: str
    lang: str | None = None
    service_id: str | None = None


@dataclass(frozen=True)
class QueryTerms:
    """A query expanded: the words understood (typos fixed beside the word as typed), the trades
    they name (best first) and the index keys of each relevance tier (best first)."""

    words: tuple[str, ...] = ()
    trades: tuple[str, ...] = ()
    tiers: tuple[tuple[str, ...], ...] = ()
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(sorted({key for tier in self.tiers for key in tier}))

    def tier_of(self, keys: Iterable[str]) -> int | None:
        """The best tier (0 first) a service with these index keys is in; None: no match."""
        have = set(keys)
        for number, tier in enumerate(self.tiers):
            if have.intersection(tier):
                return number
        return None


def osa_distance_at_most_one(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one insertion, deletion, substitution or swap of
    two neighbouring letters ("fontanro", "fontaenro", "fontanera" -> "fontanero")."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Vocabulary:
    """The entries, indexed for the three questions search asks: which trades a query names,
    which known word a misspelt one meant, and what a prefix typed in the search box may become."""

    def __init__(self, entries: Iterable[VocabularyEntry] = ()) -> None:
        entries = list(entries)
        for category in CATEGORIES:  # the taxonomy's own names are always understood
            entries.append(VocabularyEntry(category.slug, "es", "category", category.name_es))
            entries.append(VocabularyEntry(category.slug, "en", "category", category.name_en))
        self.entries: tuple[VocabularyEntry, ...] = tuple(dict.fromkeys(entries))
        self._phrases: list[tuple[frozenset[str], str, int]] = []  # (stems of each word, category, words)
        self._lexicon: set[str] = set()
        self._lexicon_stems: set[str] = set()
        for entry in self.entries:
            entry_words = words(entry.phrase)
            if not entry_words:
                continue
            self._lexicon.update(entry_words)
            for word in entry_words:
                self._lexicon_stems.update(stems(word))
            self._phrases.append((frozenset(entry_words), entry.category, len(entry_words)))
        self._near: dict[str, set[str]] = defaultdict(set)  # a one-letter deletion -> known words
        for word in self._lexicon:
            if len(word) >= TYPO_MIN_LETTERS - 1:
                for deleted in _deletions(word):
                    self._near[deleted].add(word)
        self._folded = [(folded, frozenset(folded.split(" ")), e)
                        for e in self.entries for folded in [" ".join(fold(e.phrase).split())]]

    def known(self, word: str) -> bool:
        return word in self._lexicon or any(stem in self._lexicon_stems for stem in stems(word))

    def corrections(self, word: str) -> list[str]:
        """Known words one edit from an unknown word of five letters or more, closest first."""
        if len(word) < TYPO_MIN_LETTERS or self.known(word) or word.isdigit():
            return []
        candidates = set(self._near.get(word, ()))  # a letter left out
        for deleted in _deletions(word):
            if deleted in self._lexicon:
                candidates.add(deleted)  # a letter too many
            candidates.update(self._near.get(deleted, ()))  # one changed, or two swapped
        return sorted(c for c in candidates if osa_distance_at_most_one(word, c))

    def _matches(self, phrase_words: frozenset[str], asked: set[str]) -> bool:
        return all(asked.intersection(stems(word)) for word in phrase_words)

    def trades(self, asked_words: Iterable[str]) -> tuple[str, ...]:
        """The categories whose entries the words hold whole, the longest entry first (a phrase of
        two words says more than a word), then by how many entries; the best few."""
        asked = {stem for word in asked_words for stem in stems(word)}
        best: dict[str, tuple[int, int]] = {}
        for phrase_words, category, length in self._phrases:
            if self._matches(phrase_words, asked):
                longest, count = best.get(category, (0, 0))
                best[category] = (max(longest, length), count + 1)
        ranked = sorted(best, key=lambda c: (-best[c][0], -best[c][1], c))
        if not ranked:
            return ()
        top = best[ranked[0]][0]
        return tuple(c for c in ranked if best[c][0] == top)[:MAX_TRADES]

    def expand(self, text: str) -> QueryTerms:
        asked = words(text)
        understood: dict[str, None] = {}
        corrections: dict[str, str] = {}
        for word in asked:
            understood.setdefault(word, None)
            fixes = self.corrections(word)
            if fixes:
                corrections[word] = fixes[0]
                understood.setdefault(fixes[0], None)
        return terms_for(tuple(understood), self.trades(understood), corrections)

    def suggest(self, text: str, limit: int) -> list[Suggestion]:
        """Entries that what is typed starts, or whose words start with its last word: trades and
        categories first, then problems; shorter first. Empty for fewer than two letters."""
        typed = " ".join(fold(text).split())
        if len(typed) < 2:
            return []
        *before, last = typed.split(" ")
        found: list[tuple[tuple[int, int, int, str], VocabularyEntry]] = []
        for folded, folded_words, entry in self._folded:
            if folded.startswith(typed):
                where = 0
            elif all(w in folded_words for w in before) and any(w.startswith(last) for w in folded_words):
                where = 1
            else:
                continue
            found.append(((where, KINDS.index(entry.kind) if entry.kind != "category" else 0, len(folded), folded),
                          entry))
        found.sort(key=lambda row: row[0])
        seen: set[str] = set()
        result: list[Suggestion] = []
        for (*_, folded), entry in found:
            if folded in seen:
                continue
            seen.add(folded)
            result.append(Suggestion(entry.phrase, entry.kind, entry.category, entry.lang))
            if len(result) == limit:
                break
        return result

    def nearest_categories(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """For a query that found nothing: the trades it names, or those of entries sharing a word."""
        asked = words(text)
        named = self.trades(asked)
        if named:
            return named[:limit]
        stems_asked = {stem for word in asked for stem in stems(word)}
        counts: dict[str, int] = defaultdict(int)
        for phrase_words, category, _ in self._phrases:
            if any(stems_asked.intersection(stems(word)) for word in phrase_words):
                counts[category] += 1
        return tuple(sorted(counts, key=lambda c: (-counts[c], c))[:limit])


def terms_for(asked: tuple[str, ...], trades: tuple[str, ...] = (),
              corrections: dict[str, str] | None = None) -> QueryTerms:
    """The tiers of words and the trades they name (see the module doc)."""
    found = tuple(dict.fromkeys(stem for word in asked for stem in stems(word)))
    tiers = (
        tuple(f"{TRADE_TITLE}{trade}:{stem}" for trade in trades for stem in found),
        tuple(TRADE + trade for trade in trades),
        tuple(TITLE + stem for stem in found),
        tuple(TEXT + stem for stem in found),
    )
    return QueryTerms(asked, trades, tuple(tier for tier in tiers if tier), dict(corrections or {}))
