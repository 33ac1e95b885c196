"""Search keywords: the same normalisation for what is indexed and what is asked, so
"fontaneria", "Fontanería" and "FONTANERÍAS" meet, on any MongoDB (no ``$text`` needed)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")

# Words that would match nearly every service and say nothing about it.
STOPWORDS = frozenset("""
a al con de del e el en es la las lo los o para por que se sin su sus un una unos unas y
an and are as at be by for from in is it of on or our the to we with you your
""".split())


def fold(text: str) -> str:
    """Lower case without accents: 'Fontanería' -> 'fontaneria' (ñ becomes n, as people type it)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A deliberately small plural folding for Spanish and English. It need not produce real
    words, only map singular and plural to one key: 'grifos'/'grifo', 'pipes'/'pipe',
    'reparaciones'/'reparacion', 'luces'/'luz', 'boxes'/'box'."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if word.endswith("z"):
        word = word[:-1] + "c"
    return word


def tokens(text: str) -> list[str]:
    """The keywords of a text, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if len(word) < 2 or word in STOPWORDS:
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


def keywords_of(texts: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        for token in tokens(text):
            found.setdefault(token, None)
    return sorted(found)


def normalize_area(area: str) -> str:
    """Cities and postal codes compare without case, accents or extra spaces."""
    return " ".join(fold(area).split())
