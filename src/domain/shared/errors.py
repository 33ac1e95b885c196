"""Domain errors.

Each context raises errors named after the rule that was broken (``EmailAlreadyRegistered``,
``NotTheSeller``). They all derive from one of the few kinds below, and the HTTP adapter maps a
kind to a status code in one place, so a new error never needs a new handler.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the business was not met. ``code`` is a stable machine-readable name."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def details(self) -> dict[str, Any]:
        """Structured facts a client acts on (which orders block a deletion), beside the message."""
        return {}


class InvalidInput(DomainError):
    """A value does not satisfy the rules of its type (a bad e-mail, a negative price)."""

    code = "invalid_input"


class TooLarge(DomainError):
    """A value is bigger than we accept (an uploaded file over its limit)."""

    code = "too_large"


class UnsupportedMedia(DomainError):
    """Content of a kind we do not take (a file that is not an image), whatever its name claims."""

    code = "unsupported_media"


class NotFound(DomainError):
    code = "not_found"


class AuthenticationFailed(DomainError):
    """Who is calling could not be established (bad credentials, bad or expired token)."""

    code = "authentication_failed"


class NotAllowed(DomainError):
    """The caller is known but may not do this (wrong role, not the owner)."""

    code = "not_allowed"


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a concurrent change)."""

    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class PaymentRequired(DomainError):
    """The payment was declined; the message carries the gateway's reason."""

    code = "payment_declined"


class DependencyUnavailable(DomainError):
    """An outside service we depend on (payment gateway, broker) cannot be reached now."""

    code = "dependency_unavailable"


class PaymentDeclined(PaymentRequired):
    """The card was declined; ``reason`` is the gateway's code (e.g. CARD_DECLINED, CVV_FAILURE)."""

    code = "payment_declined"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class PaymentGatewayUnavailable(DependencyUnavailable):
    code = "payment_gateway_unavailable"


class SellerCannotTakePayments(Conflict):
    """The seller has no usable Square connection (never connected, disconnected or revoked)."""

    code = "seller_cannot_take_payments"


class ConcurrentChange(Conflict):
    """Two writes raced on the same data and this one lost; re-reading and retrying may succeed."""

    code = "concurrent_change"
