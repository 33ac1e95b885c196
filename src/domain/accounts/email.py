from __future__ import annotations

import re
from dataclasses import dataclass

from domain.shared.errors import InvalidInput

# Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is proven by
# sending mail, not by a regular expression.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


@dataclass(frozen=True, slots=True)
class Email:
    """An e-mail address, compared case-insensitively (stored lower-cased)."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise InvalidInput("email must be a string", field="email")
        normalized = self.value.strip().lower()
        if len(normalized) > 254 or not _EMAIL.match(normalized):
            raise InvalidInput("email is not a valid address", field="email")
        object.__setattr__(self, "value", normalized)

    def __str__(self) -> str:
        return self.value
