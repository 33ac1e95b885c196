"""Contact details typed into messages are masked until the order is accepted, so that deals are
not taken off the platform. The patterns favour catching a contact over sparing a number: a long
run of digits is masked even when it was not a phone.

Every pattern costs in proportion to the text (tests/unit/domain/test_masking_cost.py): a match may
start only where a run of address characters starts (the lookbehinds), and runs that cannot give
anything back are taken whole (`++`, `*+`). Without that, a 2,000-letter word re-read the rest of
itself from each of its letters. Messages are at most MAX_TEXT characters before they are masked,
so the work per message is bounded."""

from __future__ import annotations

import re

MASK = "[contact hidden]"

# With an "@" the dots may be spaced out too: "ana @ gmail . com".
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++\s*+@\s*+[\w-]++(?:\s*+\.\s*+[\w-]++)+", re.IGNORECASE)
# "ana arroba gmail punto com", "ana (at) gmail [dot] com", "ana at gmail.com"
# A literal dot must touch its neighbours, so "see you at noon. ok" is left alone.
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*+[\(\[\{]?\s*+(?:@|\bat\b|\barroba\b)\s*+[\)\]\}]?\s*+[\w-]+"
    r"(?:(?:\.|\s*+[\(\[\{]?\s*+\b(?:dot|punto)\b\s*+[\)\]\}]?\s*+)[a-z]{2,}\b)+",
    re.IGNORECASE)
# Nine or more digits, whatever sits between them: +34 600 123 456, 0034-600-12-34-56,
# 6 0 0 1 2 3 4 5 6, (91) 555.12.34 — Spanish numbers have nine digits, international ones more.
_PHONE = re.compile(r"(?:\+|\(|\b00)?\d(?:[\s.\-/()]{0,3}\d){8,}")


def mask_contacts(text: str) -> tuple[str, bool]:
    """The text with e-mail addresses and phone numbers replaced, and whether any was."""
    masked = _EMAIL.sub(MASK, text)
    masked = _SPELLED_EMAIL.sub(MASK, masked)
    masked = _PHONE.sub(MASK, masked)
    return masked, masked != text
