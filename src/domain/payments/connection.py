"""A seller's connection of their own Square account to the marketplace (OAuth), and the
pending authorization that binds an OAuth ``state`` to the seller who started it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.payments.errors import ConnectionNotUsable, RefreshInProgress, StaleTokens, UnknownLocation
from domain.shared.errors import InvalidTransition
from domain.shared.ids import new_id


class ConnectionStatus(StrEnum):
    CONNECTED = "connected"
    REVOKED = "revoked"  # the seller (or Square) withdrew the authorization on Square's side
    DISCONNECTED = "disconnected"  # the seller disconnected from the marketplace


@dataclass(frozen=True, slots=True)
class SquareLocation:
    id: str
    name: str
    currency: str
    active: bool = True


@dataclass
class SquareConnection:
    """Tokens are stored only encrypted (``*_encrypted``); the use cases decrypt them on demand."""

    seller_id: str
    merchant_id: str
    access_token_encrypted: str
    refresh_token_encrypted: str
    expires_at: datetime
    status: ConnectionStatus
    connected_at: datetime
    updated_at: datetime
    location_id: str | None = None
    location_name: str | None = None
    currency: str | None = None
    status_reason: str = ""
    # Square's PKCE refresh tokens are single-use: whoever holds this lease is the only one exchanging
    # the refresh token, so two processes never spend it twice (the second would be refused).
    refresh_lease_id: str | None = None
    refresh_lease_until: datetime | None = None
    version: int = 0

    @classmethod
    def connect(cls, *, seller_id: str, merchant_id: str, access_token_encrypted: str,
                refresh_token_encrypted: str, expires_at: datetime, now: datetime) -> SquareConnection:
        return cls(seller_id=seller_id, merchant_id=merchant_id, access_token_encrypted=access_token_encrypted,
                   refresh_token_encrypted=refresh_token_encrypted, expires_at=expires_at,
                   status=ConnectionStatus.CONNECTED, connected_at=now, updated_at=now)

    def reconnect(self, *, merchant_id: str, access_token_encrypted: str, refresh_token_encrypted: str,
                  expires_at: datetime, now: datetime) -> None:
        if merchant_id != self.merchant_id:
            # Another Square account: its locations are not the old ones.
            self.location_id = self.location_name = self.currency = None
        self.merchant_id = merchant_id
        self.access_token_encrypted = access_token_encrypted
        self.refresh_token_encrypted = refresh_token_encrypted
        self.expires_at = expires_at
        self.status = ConnectionStatus.CONNECTED
        self.status_reason = ""
        self.refresh_lease_id = self.refresh_lease_until = None
        self.connected_at = now
        self.updated_at = now

    def choose_location(self, location_id: str, available: list[SquareLocation], now: datetime) -> None:
        self.ensure_connected("choose a location")
        location = next((loc for loc in available if loc.id == location_id and loc.active), None)
        if location is None:
            raise UnknownLocation(location_id)
        self.location_id, self.location_name, self.currency = location.id, location.name, location.currency
        self.updated_at = now

    def choose_only_location(self, available: list[SquareLocation], now: datetime) -> None:
        """One active location (Square's usual case) is chosen for the seller; with several, they choose."""
        active = [loc for loc in available if loc.active]
        if len(active) == 1:
            self.choose_location(active[0].id, active, now)

    def refresh_running(self, now: datetime) -> bool:
        return self.refresh_lease_until is not None and now < self.refresh_lease_until

    def begin_refresh(self, now: datetime, lease: timedelta) -> str:
        """Take the refresh lease; returns its id. A lease left by a crashed process lapses after ``lease``."""
        self.ensure_connected("refresh its tokens")
        if self.refresh_running(now):
            raise RefreshInProgress()
        self.refresh_lease_id = new_id()
        self.refresh_lease_until = now + lease
        return self.refresh_lease_id

    def end_refresh(self, lease_id: str) -> bool:
        """Give the lease back without new tokens (Square could not be reached); whether it was ours."""
        if self.refresh_lease_id != lease_id:
            return False
        self.refresh_lease_id = self.refresh_lease_until = None
        return True

    def tokens_refreshed(self, *, replacing: str, access_token_encrypted: str, refresh_token_encrypted: str,
                         expires_at: datetime, now: datetime) -> None:
        """Store the tokens Square gave for the refresh token ``replacing``. Only if that is still the
        stored one: otherwise newer tokens (or a new connection) are there, and these must not win."""
        self.ensure_connected("refresh its tokens")
        if self.refresh_token_encrypted != replacing:
            raise StaleTokens()
        self.access_token_encrypted = access_token_encrypted
        self.refresh_token_encrypted = refresh_token_encrypted
        self.expires_at = expires_at
        self.refresh_lease_id = self.refresh_lease_until = None
        self.updated_at = now

    def refresh_refused(self, *, refresh_token_encrypted: str, reason: str, now: datetime) -> bool:
        """Square refused to exchange ``refresh_token_encrypted``. That withdraws the authorization only
        when it is still the stored token: a refusal of a token someone already exchanged says nothing."""
        if self.refresh_token_encrypted != refresh_token_encrypted:
            return False
        return self.revoke(reason, revoked_at=now, now=now)

    def needs_refresh(self, now: datetime, margin: timedelta) -> bool:
        return self.status == ConnectionStatus.CONNECTED and self.expires_at - margin <= now

    def revoke(self, reason: str, *, revoked_at: datetime, now: datetime) -> bool:
        """Square says the authorization was withdrawn. A notice older than the current connection
        (the seller reconnected since) changes nothing; returns whether it applied."""
        if self.status != ConnectionStatus.CONNECTED or revoked_at < self.connected_at:
            return False
        self.status = ConnectionStatus.REVOKED
        self.status_reason = reason
        self.refresh_lease_id = self.refresh_lease_until = None
        self.updated_at = now
        return True

    def disconnect(self, now: datetime) -> None:
        if self.status == ConnectionStatus.DISCONNECTED:
            raise InvalidTransition("the Square account is already disconnected")
        self.status = ConnectionStatus.DISCONNECTED
        self.status_reason = "the seller disconnected their Square account"
        self.updated_at = now

    def can_take_payments(self) -> tuple[bool, str]:
        if self.status == ConnectionStatus.REVOKED:
            return False, f"the seller's Square authorization was revoked ({self.status_reason}); " \
                          "they must reconnect Square"
        if self.status == ConnectionStatus.DISCONNECTED:
            return False, "the seller has disconnected their Square account"
        if self.location_id is None:
            return False, "the seller has not chosen the Square location that takes payments"
        return True, ""

    def ensure_connected(self, action: str) -> None:
        if self.status != ConnectionStatus.CONNECTED:
            raise ConnectionNotUsable(f"cannot {action}: the Square account is {self.status.value}")


@dataclass(frozen=True)
class PendingAuthorization:
    """An OAuth ``state`` handed to one seller, with the PKCE verifier; used once, before it expires."""

    state: str
    seller_id: str
    code_verifier: str
    created_at: datetime
    expires_at: datetime

    def is_valid_at(self, now: datetime) -> bool:
        return now < self.expires_at
