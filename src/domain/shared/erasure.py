"""What erased personal data is replaced with, the same in every context, so a reader of any
record (an order, a review, a thread) sees one recognisable "former user" and not a blank."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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


class BlockerKind(str, Enum):
    OPEN = "open"  # a quote being negotiated, a job booked or under way
    PAYMENT = "payment"  # money held or expected at the payment gateway
    REFUND = "refund"  # a refund the gateway has not settled


@dataclass(frozen=True)
class ErasureBlocker:
    """An order that keeps a person from deleting their account, and why. Structured so a client
    can name and link the order in its own language; ``sentence`` is the same in English."""

    order_id: str
    kind: BlockerKind
    status: str | None = None

    def sentence(self) -> str:
        what = {BlockerKind.OPEN: "is still open", BlockerKind.PAYMENT: "has a pending payment",
                BlockerKind.REFUND: "has a pending refund"}[self.kind]
        return f"order {self.order_id} {what}" + (f" ({self.status})" if self.status else "")
