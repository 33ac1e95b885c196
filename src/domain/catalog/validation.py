"""Field rules shared by profiles and services. Each error names the field at fault."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlparse

from domain.shared.errors import InvalidInput

MAX_URL = 500


def clean_text(value: object, *, field: str, min_len: int, max_len: int, single_line: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput("must be text", field=field)
    cleaned = " ".join(value.split()) if single_line else value.strip()
    if len(cleaned) < min_len:
        raise InvalidInput("must not be empty" if min_len == 1 else f"must have at least {min_len} characters",
                           field=field)
    if len(cleaned) > max_len:
        raise InvalidInput(f"must have at most {max_len} characters", field=field)
    return cleaned


def whole_number(value: object, *, field: str, minimum: int, maximum: int) -> int:
    # bool is an int in Python; True minutes is not a duration.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("must be a whole number", field=field)
    if not minimum <= value <= maximum:
        raise InvalidInput(f"must be between {minimum} and {maximum}", field=field)
    return value


def web_url(value: object, *, field: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise InvalidInput(f"must be an http(s) URL of at most {MAX_URL} characters", field=field)
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in value.strip()):
        raise InvalidInput("must be an absolute http(s) URL", field=field)
    return value.strip()


def text_list(values: Iterable[object], *, field: str, max_items: int, min_len: int, max_len: int,
              lower: bool = False) -> list[str]:
    items = list(values)
    if len(items) > max_items:
        raise InvalidInput(f"must have at most {max_items} entries", field=field)
    cleaned: dict[str, None] = {}
    for item in items:
        text = clean_text(item, field=field, min_len=min_len, max_len=max_len)
        cleaned.setdefault(text.lower() if lower else text, None)
    return list(cleaned)


def check_stars(stars: object) -> int:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput("a rating is 1 to 5 stars", field="stars")
    return stars


def rating_average(rating_sum: int, rating_count: int) -> float:
    """Kept from the sum, so the average never drifts; two decimals are all a buyer reads."""
    return round(rating_sum / rating_count, 2) if rating_count else 0.0
