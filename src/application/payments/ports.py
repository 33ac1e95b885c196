"""Ports of the payments context: sellers' Square connections, Square's OAuth and webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.payments.connection import PendingAuthorization, SquareConnection, SquareLocation
from domain.shared.money import Money


class SquareConnectionRepository(Protocol):
    def get(self, seller_id: str) -> SquareConnection | None: ...

    def save(self, connection: SquareConnection) -> None:
        """Insert (version 0) or update; raises Conflict when someone saved it since it was read."""
        ...

    def find_by_merchant(self, merchant_id: str) -> list[SquareConnection]: ...

    def expiring_before(self, moment: datetime, limit: int) -> list[SquareConnection]:
        """Connected accounts whose access token expires before ``moment``, soonest first."""
        ...


class MoneyInFlight(Protocol):
    def order_ids(self, seller_id: str) -> list[str]:
        """The seller's orders whose payment is still open on their current Square account."""
        ...


class PendingAuthorizations(Protocol):
    def add(self, pending: PendingAuthorization) -> None: ...

    def take(self, state: str) -> PendingAuthorization | None:
        """Remove and return it atomically, so a state can be used once even by two racing callbacks."""
        ...


class TokenCipher(Protocol):
    def encrypt(self, plain: str) -> str: ...

    def decrypt(self, token: str) -> str:
        """Raises ValueError when the text was not encrypted with this key."""
        ...


@dataclass(frozen=True)
class OAuthTokens:
    access_token: str
    refresh_token: str
    expires_at: datetime
    merchant_id: str


class SquareOAuth(Protocol):
    """Square's OAuth code flow on behalf of the marketplace's application."""

    def authorization_url(self, *, state: str, code_verifier: str) -> str: ...

    def exchange_code(self, *, code: str, code_verifier: str) -> OAuthTokens:
        """Raises SquareAuthorizationDenied when Square refuses the code, PaymentGatewayUnavailable when down."""
        ...

    def refresh(self, refresh_token: str) -> OAuthTokens: ...

    def revoke(self, *, merchant_id: str) -> None: ...


class SquareMerchantApi(Protocol):
    def locations(self, access_token: str) -> list[SquareLocation]: ...


class WebhookSignatures(Protocol):
    def is_valid(self, *, body: str, signature: str) -> bool:
        """Whether ``signature`` is Square's HMAC of the configured notification URL plus ``body``."""
        ...


class ProcessedWebhookEvents(Protocol):
    def record(self, event_id: str, event_type: str, received_at: datetime) -> bool:
        """True the first time an event id is recorded, False for a replay (a unique index decides)."""
        ...

    def forget(self, event_id: str) -> None:
        """Undo ``record`` when handling failed, so Square's retry of the event is handled."""
        ...


class PaymentEventsListener(Protocol):
    """Where Square's payment, refund and invoice news goes (the orders context implements it)."""

    def payment_updated(self, *, payment_id: str, status: str, amount: Money, occurred_at: datetime) -> None: ...

    def refund_updated(self, *, refund_id: str, payment_id: str, status: str, amount: Money,
                       occurred_at: datetime) -> None: ...

    def invoice_updated(self, *, invoice_id: str, status: str, occurred_at: datetime) -> None: ...


@dataclass(frozen=True)
class SquareConnectionPolicy:
    """Timings of the connection flow, from configuration."""

    authorization_ttl_seconds: int = 600
    # Square's access tokens live 30 days; refresh well before, as Square recommends (7 days or less).
    refresh_margin_seconds: int = 7 * 86_400
    # How long one process may hold a connection's refresh lease; far above a Square call with its
    # retries, so it lapses only when its holder died.
    refresh_lease_seconds: int = 120
