"""How easy a password is to guess, by zxcvbn (Dropbox's estimator, Python port): it knows the
top passwords of public breaches, common words and names, keyboard rows, repeats, sequences and
dates, and the person's own e-mail and name, and counts the guesses an attacker would need."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from zxcvbn import zxcvbn

from domain.accounts.password_policy import PasswordWeakness

# zxcvbn's own bound (its matching grows fast with length); past 72 characters the rest of a
# password only adds guesses, so the prefix is a fair, bounded estimate.
ESTIMATED_PREFIX = 72

_BY_PATTERN = {
    "repeat": PasswordWeakness.REPEATED_CHARACTERS,
    "sequence": PasswordWeakness.SEQUENCE,
    "spatial": PasswordWeakness.KEYBOARD_PATTERN,
    "date": PasswordWeakness.DATE,
    "regex": PasswordWeakness.DATE,  # zxcvbn's only regex is "recent year"
}


class ZxcvbnPasswordStrength:
    def __init__(self, minimum_score: int = 3) -> None:
        # Score 3: at least 10^8 guesses, "safely unguessable" against an online attack and a
        # slow hash (argon2id) offline.
        self.minimum_score = minimum_score

    def weakness(self, password: str, personal: Sequence[str]) -> PasswordWeakness | None:
        words = [part for value in personal for part in _parts(value)]
        result = zxcvbn(password[:ESTIMATED_PREFIX], user_inputs=words)
        if result["score"] >= self.minimum_score:
            return None
        return _main_reason(result["sequence"])


def _parts(value: str) -> list[str]:
    """An e-mail or a name is tried whole, by its local part, by each word and by the words run
    together, with and without accents (ana.garcia@..., "Ana García" -> anagarcia)."""
    lowered = value.strip().lower()
    if not lowered:
        return []
    plain = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    parts: list[str] = []
    for text in dict.fromkeys((lowered, plain)):
        local = text.split("@")[0]
        words = [w for w in re.split(r"[\s._\-+]+", local) if len(w) >= 3]
        parts += [text, local, "".join(words), *words]
    return list(dict.fromkeys(parts))


def _main_reason(sequence: list[dict[str, Any]]) -> PasswordWeakness:
    # The match covering most of the password is what makes it guessable.
    matches = [m for m in sequence if m.get("pattern") != "bruteforce"]
    if not matches:
        return PasswordWeakness.EASY_TO_GUESS
    main = max(matches, key=lambda m: len(m.get("token", "")))
    if main["pattern"] == "dictionary":
        source = main.get("dictionary_name")
        if source == "passwords":
            return PasswordWeakness.COMMON_PASSWORD
        if source == "user_inputs":
            return PasswordWeakness.PERSONAL_DATA
        return PasswordWeakness.COMMON_WORDS
    return _BY_PATTERN.get(main["pattern"], PasswordWeakness.EASY_TO_GUESS)
