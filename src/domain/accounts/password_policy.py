from __future__ import annotations

from enum import StrEnum

from domain.accounts.email import Email
from domain.accounts.errors import WeakPassword

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 hashes anything, but a megabyte password is a denial of service


class PasswordWeakness(StrEnum):
    """Why a password of the right length is still refused: a stable code for clients (the web
    shows its own words for each), and the English sentence the API sends with it."""

    COMMON_PASSWORD = "common_password"
    COMMON_WORDS = "common_words"
    PERSONAL_DATA = "personal_data"
    REPEATED_CHARACTERS = "repeated_characters"
    SEQUENCE = "sequence"
    KEYBOARD_PATTERN = "keyboard_pattern"
    DATE = "date"
    EASY_TO_GUESS = "easy_to_guess"

    @property
    def sentence(self) -> str:
        return _SENTENCES[self]


_SENTENCES = {
    PasswordWeakness.COMMON_PASSWORD: "it is one of the most common passwords",
    PasswordWeakness.COMMON_WORDS: "it is made of common words or names that are tried first",
    PasswordWeakness.PERSONAL_DATA: "it contains your e-mail or your name",
    PasswordWeakness.REPEATED_CHARACTERS: "it repeats characters (like aaaa or abcabc)",
    PasswordWeakness.SEQUENCE: "it is a sequence (like 12345 or abcde)",
    PasswordWeakness.KEYBOARD_PATTERN: "it is a row or pattern of the keyboard (like qwerty)",
    PasswordWeakness.DATE: "it is mostly a date or a year",
    PasswordWeakness.EASY_TO_GUESS: "it would be guessed quickly",
}


def refuse_weak_password(weakness: PasswordWeakness, *, field: str = "password") -> WeakPassword:
    return WeakPassword(f"password is too easy to guess: {weakness.sentence}; use a longer phrase of "
                        f"unrelated words", field=field, problem=weakness.value)


def check_password_policy(password: str, email: Email, *, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password must have at least {MIN_LENGTH} characters", field=field, problem="too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"password must have at most {MAX_LENGTH} characters", field=field, problem="too_long")
    lowered = password.strip().lower()
    if lowered == email.value or lowered == email.value.split("@")[0]:
        raise refuse_weak_password(PasswordWeakness.PERSONAL_DATA, field=field)
