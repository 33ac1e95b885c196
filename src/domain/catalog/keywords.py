"""Search keywords: the same normalisation for what is indexed and what is asked, so
"fontaneria", "Fontanería" and "FONTANERÍAS" meet, on any MongoDB (no ``$text`` needed).

Each word is folded (lower case, no accents) and stemmed by Snowball's Spanish and English
stemmers (PyStemmer): both stems are kept, because a listing or a query may be in either
language and the two stemmers disagree on most words ("plumbers": "plumbers" in Spanish,
"plumber" in English; "grifos": "grif" and "grifo").

A service's keys carry the field they came from, so relevance can rank on the index alone
(``Service.keywords``): the trade (``!c:plumbing``), a title or tag word within the trade
(``!ct:plumbing:grif``), a title or tag word (``!t:grif``) and a description word (``!d:grif``).
Every key starts with "!", below any letter or digit, so keys written before this format (bare
stems) are one index range away for the backfill."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+")

# Words that would match nearly every service and say nothing about it, including what people
# put around the trade or problem they type ("necesito un fontanero", "my tap is not working").
STOPWORDS = frozenset("""
a al con de del e el en es la las lo los o para por que se sin su sus un una unos unas y
mi mis me muy no hay tengo necesito busco quiero
an and are as at be by for from in is it of on or our the to we with you your
my i need looking not doesn don t isn won s
""".split())

TRADE = "!c:"          # + category slug: the service's trade
TRADE_TITLE = "!ct:"   # + slug + ":" + stem: a title or tag word within that trade
TITLE = "!t:"          # + stem: a title or tag word
TEXT = "!d:"           # + stem: a description word (only when not a title word already)
# Every key starts here and every bare stem (the format before these keys) at or after it.
FIRST_LEGACY_KEY = "0"

_SPANISH = Stemmer.Stemmer("spanish")
_ENGLISH = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents: 'Fontanería' -> 'fontaneria' (ñ becomes n, as people type it)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=50_000)
def stems(word: str) -> tuple[str, ...]:
    """A folded word's Spanish and English stems (one when they agree)."""
    spanish, english = _SPANISH.stemWord(word), _ENGLISH.stemWord(word)
    return (spanish,) if spanish == english else (spanish, english)


def words(text: str) -> list[str]:
    """The folded words of a text worth searching by, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if len(word) >= 2 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def tokens(text: str) -> list[str]:
    """The stems of a text's words, in order of appearance, without repeats."""
    found: dict[str, None] = {}
    for word in words(text):
        for stem in stems(word):
            found.setdefault(stem, None)
    return list(found)


def index_keys(*, category: str, title: str, tags: Iterable[str], description: str) -> list[str]:
    """What a service is found by (see the module doc), sorted."""
    strong = dict.fromkeys(tokens(" ".join([title, *tags])))
    weak = [stem for stem in tokens(description) if stem not in strong]
    keys = {TRADE + category}
    keys.update(f"{TRADE_TITLE}{category}:{stem}" for stem in strong)
    keys.update(TITLE + stem for stem in strong)
    keys.update(TEXT + stem for stem in weak)
    return sorted(keys)


def keywords_of(texts: Iterable[str]) -> list[str]:
    """The stems of several texts, sorted (what a free text is found by, without fields)."""
    found: dict[str, None] = {}
    for text in texts:
        for token in tokens(text):
            found.setdefault(token, None)
    return sorted(found)


PREFIX_MIN_LETTERS = 3


def prefix_key(text: str) -> str | None:
    """What a word being typed (the text's last) is looked up by among title stems: the part it
    shares with its own stems, since a stem may be shorter than the word ("fontanero" is stored
    as "fontaner"); None below three letters."""
    typed = words(text)
    if not typed:
        return None
    word = typed[-1]
    prefix = word
    for stem in stems(word):
        common = 0
        while common < min(len(prefix), len(stem)) and prefix[common] == stem[common]:
            common += 1
        prefix = prefix[:common]
    return prefix if len(prefix) >= PREFIX_MIN_LETTERS else None


def normalize_area(area: str) -> str:
    """Cities and postal codes compare without case, accents or extra spaces."""
    return " ".join(fold(area).split())
