"""The search vocabulary shipped with the project (``data/vocabulary.csv``: category, lang, kind,
phrase), plus any files operators add (``SEARCH_VOCABULARY_FILES``, the same columns), read once
per process. A bad row stops the start with its file and line: a typo in a category would
otherwise silently teach search nothing."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterable
from pathlib import Path

from domain.catalog.categories import CATEGORIES_BY_SLUG
from domain.catalog.vocabulary import KINDS, LANGUAGES, Vocabulary, VocabularyEntry

VOCABULARY_CSV = Path(__file__).with_name("data") / "vocabulary.csv"
COLUMNS = ("category", "lang", "kind", "phrase")


class VocabularyFileError(ValueError):
    pass


def read_entries(path: Path) -> list[VocabularyEntry]:
    entries = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise VocabularyFileError(f"{path}: the columns must be {', '.join(COLUMNS)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if row["category"] not in CATEGORIES_BY_SLUG:
                raise VocabularyFileError(f"{where}: unknown category {row['category']!r}")
            if row["lang"] not in LANGUAGES:
                raise VocabularyFileError(f"{where}: lang must be one of {', '.join(LANGUAGES)}")
            if row["kind"] not in KINDS:
                raise VocabularyFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
            if not (row["phrase"] or "").strip():
                raise VocabularyFileError(f"{where}: an empty phrase")
            entries.append(VocabularyEntry(row["category"], row["lang"], row["kind"], row["phrase"].strip()))
    return entries


class ShippedVocabulary:
    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._paths = (VOCABULARY_CSV, *paths)
        self._lock = threading.Lock()
        self._built: Vocabulary | None = None

    def vocabulary(self) -> Vocabulary:
        with self._lock:
            if self._built is None:
                self._built = Vocabulary([entry for path in self._paths for entry in read_entries(path)])
            return self._built
