"""What erased personal data is replaced with, the same in every context, so a reader of any
record (an order, a review, a thread) sees one recognisable "former user" and not a blank."""

from __future__ import annotations

# Shown where the person's name was (their account, their seller profile).
FORMER_USER_NAME = "Former user"
# Put in the place of a review's author id: the review stays (the other party and the seller's
# rating need it) but no longer points at the person.
FORMER_USER_ID = "former-user"
# Put in the place of free text the person wrote (messages, support requests, order notes).
ERASED_TEXT = "[erased at the author's request]"


def erased_email(user_id: str) -> str:
    """A unique, undeliverable address (RFC 2606 reserves .invalid): the e-mail index stays unique
    and the person's own address is free to register again."""
    return f"erased-{user_id}@deleted.invalid"
