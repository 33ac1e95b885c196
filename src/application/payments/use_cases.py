"""Payments: a seller connects their own Square account (OAuth code flow with PKCE), chooses the
location that takes payments, disconnects; tokens are refreshed before they expire; Square's
signed webhooks are verified, handled once, and passed on."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from application.payments.ports import (
    MoneyInFlight,
    OAuthTokens,
    PaymentEventsListener,
    PendingAuthorizations,
    ProcessedWebhookEvents,
    SquareConnectionPolicy,
    SquareConnectionRepository,
    SquareMerchantApi,
    SquareOAuth,
    TokenCipher,
    WebhookSignatures,
)
from application.shared.erasure import PersonDeleted
from application.shared.ports import Clock
from domain.payments import erasure
from domain.payments.connection import ConnectionStatus, PendingAuthorization, SquareConnection, SquareLocation
from domain.payments.errors import (
    ConnectionNotUsable,
    InvalidOAuthState,
    InvalidWebhookSignature,
    MalformedWebhook,
    MerchantSwitchRefused,
    SquareAuthorizationDenied,
    SquareNotConnected,
    StaleTokens,
)
from domain.shared.access import Actor
from domain.shared.errors import Conflict, DomainError, PaymentGatewayUnavailable, SellerCannotTakePayments
from domain.shared.money import Money


def _store_tokens(connection: SquareConnection | None, *, seller_id: str, tokens: OAuthTokens, cipher: TokenCipher,
                  now: datetime) -> SquareConnection:
    access, refresh = cipher.encrypt(tokens.access_token), cipher.encrypt(tokens.refresh_token)
    if connection is None:
        return SquareConnection.connect(seller_id=seller_id, merchant_id=tokens.merchant_id,
                                        access_token_encrypted=access, refresh_token_encrypted=refresh,
                                        expires_at=tokens.expires_at, now=now)
    connection.reconnect(merchant_id=tokens.merchant_id, access_token_encrypted=access,
                         refresh_token_encrypted=refresh, expires_at=tokens.expires_at, now=now)
    return connection


def _connect_with(tokens: OAuthTokens, *, seller_id: str, connections: SquareConnectionRepository, cipher: TokenCipher,
                  merchant_api: SquareMerchantApi, money_in_flight: MoneyInFlight, now: datetime) -> SquareConnection:
    existing = connections.get(seller_id)
    if existing is not None and existing.merchant_id != tokens.merchant_id:
        open_orders = money_in_flight.order_ids(seller_id)
        if open_orders:
            raise MerchantSwitchRefused(open_orders)
    locations = merchant_api.locations(tokens.access_token)
    connection = _store_tokens(existing, seller_id=seller_id, tokens=tokens, cipher=cipher, now=now)
    still_there = any(loc.id == connection.location_id and loc.active for loc in locations)
    if connection.location_id is not None and not still_there:
        connection.location_id = connection.location_name = connection.currency = None
    if connection.location_id is None:
        connection.choose_only_location(locations, now)
    connections.save(connection)
    return connection


@dataclass(frozen=True)
class StartSquareConnection:
    pending: PendingAuthorizations
    oauth: SquareOAuth
    policy: SquareConnectionPolicy
    clock: Clock

    def execute(self, actor: Actor) -> str:
        """The URL of Square's authorization page for this seller; its state is single use."""
        now = self.clock.now()
        # RFC 7636: a verifier of 43-128 characters from the unreserved set; token_urlsafe(64) gives 86.
        pending = PendingAuthorization(state=secrets.token_urlsafe(32), seller_id=actor.user_id,
                                       code_verifier=secrets.token_urlsafe(64), created_at=now,
                                       expires_at=now + timedelta(seconds=self.policy.authorization_ttl_seconds))
        self.pending.add(pending)
        return self.oauth.authorization_url(state=pending.state, code_verifier=pending.code_verifier)


@dataclass(frozen=True)
class CompleteSquareConnectionCommand:
    state: str
    code: str | None = None
    error: str | None = None
    error_description: str | None = None


@dataclass(frozen=True)
class CompleteSquareConnection:
    """Square's redirect back. The browser carries no access token here: the single-use state,
    handed only to the seller who started, is what identifies them."""

    pending: PendingAuthorizations
    oauth: SquareOAuth
    merchant_api: SquareMerchantApi
    connections: SquareConnectionRepository
    cipher: TokenCipher
    money_in_flight: MoneyInFlight
    clock: Clock

    def execute(self, command: CompleteSquareConnectionCommand) -> SquareConnection:
        now = self.clock.now()
        pending = self.pending.take(command.state)
        if pending is None or not pending.is_valid_at(now):
            raise InvalidOAuthState()
        if command.error or not command.code:
            detail = command.error_description or command.error or "no authorization code"
            raise SquareAuthorizationDenied(f"Square did not authorize the connection: {detail}")
        tokens = self.oauth.exchange_code(code=command.code, code_verifier=pending.code_verifier)
        return _connect_with(tokens, seller_id=pending.seller_id, connections=self.connections, cipher=self.cipher,
                             merchant_api=self.merchant_api, money_in_flight=self.money_in_flight, now=now)


@dataclass(frozen=True)
class ImportSquareConnection:
    """Connect a seller from a refresh token they already granted (demo data, migrations). A seller
    already connected keeps their connection: Square is not called, so a single-use (PKCE) refresh
    token is not spent, and importing again (every demo start) changes nothing."""

    oauth: SquareOAuth
    merchant_api: SquareMerchantApi
    connections: SquareConnectionRepository
    cipher: TokenCipher
    money_in_flight: MoneyInFlight
    clock: Clock

    def execute(self, seller_id: str, refresh_token: str) -> SquareConnection:
        existing = self.connections.get(seller_id)
        if existing is not None and existing.status == ConnectionStatus.CONNECTED:
            return existing
        tokens = self.oauth.refresh(refresh_token)
        return _connect_with(tokens, seller_id=seller_id, connections=self.connections, cipher=self.cipher,
                             merchant_api=self.merchant_api, money_in_flight=self.money_in_flight,
                             now=self.clock.now())


def _my_connection(connections: SquareConnectionRepository, actor: Actor) -> SquareConnection:
    connection = connections.get(actor.user_id)
    if connection is None:
        raise SquareNotConnected()
    return connection


@dataclass(frozen=True)
class SquareConnectionView:
    connection: SquareConnection
    locations: list[SquareLocation]


# While another process refreshes, a token with at least this much life left is handed out as it is.
_STILL_VALID_FOR = timedelta(minutes=1)
# Other writers (a location choice, a webhook) may save the connection between our read and our save.
_SAVE_ATTEMPTS = 5


@dataclass(frozen=True)
class _FreshToken:
    access_token: str
    connection: SquareConnection  # as stored once the token is known
    refreshed_here: bool  # this call exchanged the refresh token at Square


@dataclass(frozen=True)
class _SingleFlightRefresh:
    """The connection's access token, refreshed first when it is inside the refresh margin, by one
    process at a time. Square's PKCE refresh tokens are single-use: a second exchange of the same token
    is refused, and a refusal reads as a revoked authorization. So one caller takes the connection's
    refresh lease (saved under the version check: exactly one wins) and calls Square; the others use
    the current access token, still valid because refreshing starts days before it expires."""

    connections: SquareConnectionRepository
    oauth: SquareOAuth
    cipher: TokenCipher
    policy: SquareConnectionPolicy

    def access_token(self, connection: SquareConnection, now: datetime) -> _FreshToken:
        margin = timedelta(seconds=self.policy.refresh_margin_seconds)
        for _ in range(_SAVE_ATTEMPTS):
            connection.ensure_connected("use its Square tokens")
            if not connection.needs_refresh(now, margin):
                return self._current(connection)
            if connection.refresh_running(now):
                return self._current_while_refreshing(connection, now)
            lease_id = connection.begin_refresh(now, timedelta(seconds=self.policy.refresh_lease_seconds))
            try:
                self.connections.save(connection)
            except Conflict:
                connection = self._reread(connection.seller_id)  # maybe another process took the lease
                continue
            return self._refresh(connection, lease_id, now)
        return self._current_while_refreshing(connection, now)

    def _current(self, connection: SquareConnection) -> _FreshToken:
        return _FreshToken(self.cipher.decrypt(connection.access_token_encrypted), connection, refreshed_here=False)

    def _current_while_refreshing(self, connection: SquareConnection, now: datetime) -> _FreshToken:
        if connection.expires_at - _STILL_VALID_FOR > now:
            return self._current(connection)
        raise PaymentGatewayUnavailable("the seller's Square authorization is being renewed; try again in a moment")

    def _reread(self, seller_id: str) -> SquareConnection:
        connection = self.connections.get(seller_id)
        if connection is None:
            raise SquareNotConnected()
        return connection

    def _refresh(self, connection: SquareConnection, lease_id: str, now: datetime) -> _FreshToken:
        sent = connection.refresh_token_encrypted
        try:
            tokens = self.oauth.refresh(self.cipher.decrypt(sent))
        except SquareAuthorizationDenied as error:
            return self._refused(connection.seller_id, sent, error, now)
        except Exception:
            self._give_back(connection, lease_id)
            raise
        return self._store(connection, sent, tokens, now)

    def _store(self, connection: SquareConnection, sent: str, tokens: OAuthTokens, now: datetime) -> _FreshToken:
        access, refresh = self.cipher.encrypt(tokens.access_token), self.cipher.encrypt(tokens.refresh_token)
        for _ in range(_SAVE_ATTEMPTS):
            try:
                connection.tokens_refreshed(replacing=sent, access_token_encrypted=access,
                                            refresh_token_encrypted=refresh, expires_at=tokens.expires_at, now=now)
            except StaleTokens:
                # Someone stored newer tokens (our lease had lapsed): theirs are kept; ours still work.
                return _FreshToken(tokens.access_token, connection, refreshed_here=True)
            try:
                self.connections.save(connection)
            except Conflict:
                # The old refresh token is spent: these tokens must be stored on the newest version.
                connection = self._reread(connection.seller_id)
                continue
            return _FreshToken(tokens.access_token, connection, refreshed_here=True)
        raise PaymentGatewayUnavailable("the renewed Square authorization could not be stored; try again")

    def _refused(self, seller_id: str, sent: str, error: SquareAuthorizationDenied, now: datetime) -> _FreshToken:
        """Square refused our exchange. Only if the token we sent is still the stored one is that the
        authorization withdrawn; otherwise another process exchanged it first and its tokens are used."""
        for _ in range(_SAVE_ATTEMPTS):
            connection = self._reread(seller_id)
            if connection.refresh_token_encrypted != sent:
                connection.ensure_connected("use its Square tokens")
                return self._current(connection)
            if connection.refresh_refused(refresh_token_encrypted=sent, now=now,
                                          reason=f"Square refused to refresh the token: {error.message}"):
                try:
                    self.connections.save(connection)
                except Conflict:
                    continue
            raise error
        raise error

    def _give_back(self, connection: SquareConnection, lease_id: str) -> None:
        # Best effort: a lease that cannot be given back lapses on its own.
        if connection.end_refresh(lease_id):
            try:
                self.connections.save(connection)
            except Conflict:
                pass


def _fresh_access_token(connection: SquareConnection, *, connections: SquareConnectionRepository, oauth: SquareOAuth,
                        cipher: TokenCipher, policy: SquareConnectionPolicy, now: datetime) -> _FreshToken:
    return _SingleFlightRefresh(connections, oauth, cipher, policy).access_token(connection, now)


@dataclass(frozen=True)
class GetMySquareConnection:
    connections: SquareConnectionRepository
    merchant_api: SquareMerchantApi
    oauth: SquareOAuth
    cipher: TokenCipher
    policy: SquareConnectionPolicy
    clock: Clock

    def execute(self, actor: Actor, *, with_locations: bool = False) -> SquareConnectionView:
        connection = _my_connection(self.connections, actor)
        locations: list[SquareLocation] = []
        if with_locations and connection.status == ConnectionStatus.CONNECTED:
            fresh = _fresh_access_token(connection, connections=self.connections, oauth=self.oauth,
                                        cipher=self.cipher, policy=self.policy, now=self.clock.now())
            connection = fresh.connection
            locations = self.merchant_api.locations(fresh.access_token)
        return SquareConnectionView(connection, locations)


@dataclass(frozen=True)
class ChooseSquareLocation:
    connections: SquareConnectionRepository
    merchant_api: SquareMerchantApi
    oauth: SquareOAuth
    cipher: TokenCipher
    policy: SquareConnectionPolicy
    clock: Clock

    def execute(self, actor: Actor, location_id: str) -> SquareConnectionView:
        now = self.clock.now()
        connection = _my_connection(self.connections, actor)
        connection.ensure_connected("choose a location")
        fresh = _fresh_access_token(connection, connections=self.connections, oauth=self.oauth, cipher=self.cipher,
                                    policy=self.policy, now=now)
        connection = fresh.connection
        locations = self.merchant_api.locations(fresh.access_token)
        connection.choose_location(location_id, locations, now)
        self.connections.save(connection)
        return SquareConnectionView(connection, locations)


@dataclass(frozen=True)
class DisconnectSquare:
    connections: SquareConnectionRepository
    oauth: SquareOAuth
    clock: Clock

    def execute(self, actor: Actor) -> SquareConnection:
        connection = _my_connection(self.connections, actor)
        connection.disconnect(self.clock.now())
        # Revoked at Square first: if Square cannot be reached the seller stays connected and may retry.
        self.oauth.revoke(merchant_id=connection.merchant_id)
        self.connections.save(connection)
        return connection


@dataclass(frozen=True)
class RefreshReport:
    refreshed: int
    revoked: int
    failed: int
    skipped: int = 0  # renewed by another process meanwhile, or being renewed by one now


@dataclass(frozen=True)
class RefreshExpiringTokens:
    connections: SquareConnectionRepository
    oauth: SquareOAuth
    cipher: TokenCipher
    policy: SquareConnectionPolicy
    clock: Clock

    def execute(self, limit: int = 200) -> RefreshReport:
        now = self.clock.now()
        refreshed = revoked = failed = skipped = 0
        due = self.connections.expiring_before(now + timedelta(seconds=self.policy.refresh_margin_seconds), limit)
        for connection in due:
            try:
                fresh = _fresh_access_token(connection, connections=self.connections, oauth=self.oauth,
                                            cipher=self.cipher, policy=self.policy, now=now)
            except SquareAuthorizationDenied:
                revoked += 1  # the refresh marked it revoked: Square refused the token it still held
            except ConnectionNotUsable:
                skipped += 1  # revoked or disconnected since the list was read
            except PaymentGatewayUnavailable:
                failed += 1  # tried again on the next run, well before the token expires
            else:
                if fresh.refreshed_here:
                    refreshed += 1
                else:
                    skipped += 1
        return RefreshReport(refreshed=refreshed, revoked=revoked, failed=failed, skipped=skipped)


@dataclass(frozen=True)
class SellerSquareCredentials:
    seller_id: str
    merchant_id: str
    access_token: str
    location_id: str
    currency: str | None


@dataclass(frozen=True)
class GetSellerSquareCredentials:
    """What the payment gateway needs to act on a seller's own Square account."""

    connections: SquareConnectionRepository
    oauth: SquareOAuth
    cipher: TokenCipher
    policy: SquareConnectionPolicy
    clock: Clock

    def execute(self, seller_id: str) -> SellerSquareCredentials:
        connection = self.connections.get(seller_id)
        if connection is None:
            raise SellerCannotTakePayments("the seller has not connected a Square account")
        ok, reason = connection.can_take_payments()
        if not ok:
            raise SellerCannotTakePayments(reason)
        try:
            fresh = _fresh_access_token(connection, connections=self.connections, oauth=self.oauth,
                                        cipher=self.cipher, policy=self.policy, now=self.clock.now())
        except SquareAuthorizationDenied as error:
            raise SellerCannotTakePayments(f"the seller's Square authorization is no longer valid: {error.message}") \
                from error
        except ConnectionNotUsable as error:  # revoked or disconnected while we looked
            raise SellerCannotTakePayments(error.message) from error
        connection = fresh.connection
        ok, reason = connection.can_take_payments()
        if not ok:
            raise SellerCannotTakePayments(reason)
        assert connection.location_id is not None  # can_take_payments checked it
        return SellerSquareCredentials(seller_id=seller_id, merchant_id=connection.merchant_id,
                                       access_token=fresh.access_token, location_id=connection.location_id,
                                       currency=connection.currency)


@dataclass(frozen=True)
class CheckSellerCanTakePayments:
    connections: SquareConnectionRepository

    def execute(self, seller_id: str) -> tuple[bool, str]:
        connection = self.connections.get(seller_id)
        if connection is None:
            return False, "the seller has not connected a Square account"
        return connection.can_take_payments()


class WebhookOutcome(StrEnum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def _datetime(raw: Any, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise MalformedWebhook(f"{name} is not an ISO 8601 time", field=name) from None
    if moment.tzinfo is None:
        raise MalformedWebhook(f"{name} has no time zone", field=name)
    return moment


def _money(raw: Any, name: str) -> Money:
    if not isinstance(raw, dict):
        raise MalformedWebhook(f"{name} is missing", field=name)
    try:
        return Money(raw.get("amount"), raw.get("currency"))  # type: ignore[arg-type]
    except DomainError as error:
        raise MalformedWebhook(f"{name}: {error.message}", field=name) from None


def _object(event: dict[str, Any], kind: str) -> dict[str, Any]:
    found = ((event.get("data") or {}).get("object") or {}).get(kind)
    if not isinstance(found, dict) or not isinstance(found.get("id"), str):
        raise MalformedWebhook(f"data.object.{kind} is missing", field=f"data.object.{kind}")
    return found


@dataclass(frozen=True)
class HandleSquareWebhook:
    signatures: WebhookSignatures
    processed: ProcessedWebhookEvents
    connections: SquareConnectionRepository
    listener: PaymentEventsListener
    clock: Clock

    def execute(self, body: str, signature: str | None) -> WebhookOutcome:
        # Nothing is read or written before the signature is known to be Square's.
        if not signature or not self.signatures.is_valid(body=body, signature=signature):
            raise InvalidWebhookSignature()
        try:
            event = json.loads(body)
        except ValueError:
            raise MalformedWebhook("the notification is not JSON") from None
        if not isinstance(event, dict) or not isinstance(event.get("event_id"), str) \
                or not isinstance(event.get("type"), str):
            raise MalformedWebhook("the notification has no event_id or type", field="event_id")
        occurred_at = _datetime(event.get("created_at"), "created_at")
        if not self.processed.record(event["event_id"], event["type"], self.clock.now()):
            return WebhookOutcome.DUPLICATE
        try:
            return self._act(event, occurred_at)
        except Exception:
            self.processed.forget(event["event_id"])
            raise

    def _act(self, event: dict[str, Any], occurred_at: datetime) -> WebhookOutcome:
        kind = event["type"]
        if kind in ("payment.created", "payment.updated"):
            payment = _object(event, "payment")
            self.listener.payment_updated(payment_id=payment["id"], status=str(payment.get("status")),
                                          amount=_money(payment.get("amount_money"), "payment.amount_money"),
                                          occurred_at=_when(payment, occurred_at))
        elif kind in ("refund.created", "refund.updated"):
            refund = _object(event, "refund")
            self.listener.refund_updated(refund_id=refund["id"], payment_id=str(refund.get("payment_id")),
                                         status=str(refund.get("status")),
                                         amount=_money(refund.get("amount_money"), "refund.amount_money"),
                                         occurred_at=_when(refund, occurred_at))
        elif kind.startswith("invoice."):
            invoice = _object(event, "invoice")
            self.listener.invoice_updated(invoice_id=invoice["id"], status=str(invoice.get("status")),
                                          occurred_at=_when(invoice, occurred_at))
        elif kind == "oauth.authorization.revoked":
            self._revoked(event, occurred_at)
        else:
            return WebhookOutcome.IGNORED
        return WebhookOutcome.HANDLED

    def _revoked(self, event: dict[str, Any], occurred_at: datetime) -> None:
        revocation = ((event.get("data") or {}).get("object") or {}).get("revocation") or {}
        revoked_at = _datetime(revocation["revoked_at"], "revoked_at") if revocation.get("revoked_at") else occurred_at
        by = str(revocation.get("revoker_type") or "someone").lower()
        reason = f"authorization revoked on Square by the {by} at {revoked_at.isoformat()}"
        now = self.clock.now()
        for connection in self.connections.find_by_merchant(str(event.get("merchant_id"))):
            if connection.revoke(reason, revoked_at=revoked_at, now=now):
                self.connections.save(connection)


def _when(square_object: dict[str, Any], default: datetime) -> datetime:
    # Square's objects carry their own updated_at: the order of the facts, whatever the order of delivery.
    raw = square_object.get("updated_at")
    return _datetime(raw, "updated_at") if raw else default


@dataclass(frozen=True)
class RevokeSquareOfDeletedSeller:
    """The payments context's handler of ``account.deleted`` (issue #12). Revoked at Square first:
    if Square cannot be reached the handler fails and the event is retried, the connection still
    knowing what to revoke. Idempotent: a forgotten connection is left alone."""

    connections: SquareConnectionRepository
    oauth: SquareOAuth
    clock: Clock

    def execute(self, deleted: PersonDeleted) -> bool:
        person_id = deleted.person_id
        connection = self.connections.get(person_id)
        if connection is None:
            return False
        if erasure.needs_revoking_at_square(connection):
            self.oauth.revoke(merchant_id=connection.merchant_id)
        if not erasure.forget(connection, self.clock.now()):
            return False
        self.connections.save(connection)
        return True


@dataclass(frozen=True)
class ExportSquareConnectionData:
    """For the privacy context's export: the seller's Square connection, if they ever made one."""

    connections: SquareConnectionRepository

    def execute(self, seller_id: str) -> SquareConnection | None:
        return self.connections.get(seller_id)
