from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.payments.connection import ConnectionStatus, PendingAuthorization, SquareConnection, SquareLocation
from domain.payments.errors import ConnectionNotUsable, RefreshInProgress, StaleTokens, UnknownLocation
from domain.shared.errors import InvalidTransition

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
MAIN = SquareLocation("L1", "Main", "EUR")
SECOND = SquareLocation("L2", "Second", "EUR")


def connection(**overrides) -> SquareConnection:
    c = SquareConnection.connect(seller_id="s1", merchant_id="M1", access_token_encrypted="a",
                                 refresh_token_encrypted="r", expires_at=NOW + timedelta(days=30), now=NOW)
    for name, value in overrides.items():
        setattr(c, name, value)
    return c


def test_a_new_connection_cannot_take_payments_until_a_location_is_chosen():
    c = connection()
    assert c.status == ConnectionStatus.CONNECTED
    assert c.can_take_payments() == (False, "the seller has not chosen the Square location that takes payments")
    c.choose_location("L1", [MAIN], NOW)
    assert c.can_take_payments() == (True, "")
    assert (c.location_id, c.location_name, c.currency) == ("L1", "Main", "EUR")


def test_the_only_active_location_is_chosen_for_the_seller_but_not_one_of_several():
    single, several = connection(), connection()
    single.choose_only_location([MAIN, SquareLocation("L9", "Closed", "EUR", active=False)], NOW)
    several.choose_only_location([MAIN, SECOND], NOW)
    assert single.location_id == "L1"
    assert several.location_id is None


def test_an_unknown_or_inactive_location_is_refused_naming_the_field():
    c = connection()
    with pytest.raises(UnknownLocation) as error:
        c.choose_location("L3", [MAIN], NOW)
    assert error.value.field == "location_id"
    with pytest.raises(UnknownLocation):
        c.choose_location("L9", [SquareLocation("L9", "Closed", "EUR", active=False)], NOW)


def test_revocation_makes_the_seller_unable_to_take_payments_with_the_reason():
    c = connection(location_id="L1")
    assert c.revoke("revoked by the merchant", revoked_at=NOW + timedelta(hours=1), now=NOW) is True
    ok, reason = c.can_take_payments()
    assert not ok and "revoked by the merchant" in reason and "reconnect" in reason
    with pytest.raises(ConnectionNotUsable):
        c.choose_location("L1", [MAIN], NOW)


def test_a_revocation_older_than_the_current_connection_changes_nothing():
    c = connection(location_id="L1")
    assert c.revoke("old news", revoked_at=NOW - timedelta(minutes=1), now=NOW) is False
    assert c.status == ConnectionStatus.CONNECTED


def test_reconnecting_after_revocation_restores_the_connection_and_keeps_the_location_of_the_same_merchant():
    c = connection(location_id="L1", location_name="Main", currency="EUR")
    c.revoke("x", revoked_at=NOW, now=NOW)
    c.reconnect(merchant_id="M1", access_token_encrypted="a2", refresh_token_encrypted="r2",
                expires_at=NOW + timedelta(days=30), now=NOW + timedelta(hours=1))
    assert c.can_take_payments() == (True, "")
    c.reconnect(merchant_id="M2", access_token_encrypted="a3", refresh_token_encrypted="r3",
                expires_at=NOW + timedelta(days=30), now=NOW + timedelta(hours=2))
    assert c.location_id is None


def test_disconnect_once():
    c = connection(location_id="L1")
    c.disconnect(NOW)
    assert c.can_take_payments() == (False, "the seller has disconnected their Square account")
    with pytest.raises(InvalidTransition):
        c.disconnect(NOW)


def test_refresh_is_needed_within_the_margin_and_only_while_connected():
    c = connection(expires_at=NOW + timedelta(days=7))
    assert not c.needs_refresh(NOW - timedelta(seconds=1), timedelta(days=7))
    assert c.needs_refresh(NOW, timedelta(days=7))
    c.disconnect(NOW)
    assert not c.needs_refresh(NOW, timedelta(days=7))
    with pytest.raises(ConnectionNotUsable):
        c.tokens_refreshed(replacing="r", access_token_encrypted="a", refresh_token_encrypted="r2", expires_at=NOW,
                           now=NOW)


LEASE = timedelta(minutes=2)


def test_one_refresh_lease_at_a_time_until_it_lapses():
    c = connection()
    first = c.begin_refresh(NOW, LEASE)
    assert c.refresh_running(NOW + timedelta(seconds=119))
    with pytest.raises(RefreshInProgress):
        c.begin_refresh(NOW + timedelta(seconds=119), LEASE)
    # Its holder died: the lease lapses and another process takes it.
    second = c.begin_refresh(NOW + LEASE, LEASE)
    assert second != first and c.refresh_lease_until == NOW + 2 * LEASE
    assert c.end_refresh(first) is False and c.refresh_running(NOW + LEASE)
    assert c.end_refresh(second) is True and not c.refresh_running(NOW + LEASE)


def test_a_refresh_lease_needs_a_connected_account():
    c = connection()
    c.disconnect(NOW)
    with pytest.raises(ConnectionNotUsable):
        c.begin_refresh(NOW, LEASE)


def test_new_tokens_replace_only_the_refresh_token_they_were_exchanged_for_and_end_the_lease():
    c = connection()
    c.begin_refresh(NOW, LEASE)
    c.tokens_refreshed(replacing="r", access_token_encrypted="a2", refresh_token_encrypted="r2",
                       expires_at=NOW + timedelta(days=30), now=NOW)
    assert (c.access_token_encrypted, c.refresh_token_encrypted, c.refresh_lease_id) == ("a2", "r2", None)
    with pytest.raises(StaleTokens):  # a late answer for the spent "r" must not overwrite "r2"
        c.tokens_refreshed(replacing="r", access_token_encrypted="a1", refresh_token_encrypted="r1",
                           expires_at=NOW + timedelta(days=30), now=NOW)
    assert c.refresh_token_encrypted == "r2"


def test_a_refused_refresh_revokes_only_while_the_refused_token_is_the_stored_one():
    c = connection()
    assert c.refresh_refused(refresh_token_encrypted="r-already-exchanged", reason="refused", now=NOW) is False
    assert c.status == ConnectionStatus.CONNECTED
    c.begin_refresh(NOW, LEASE)
    assert c.refresh_refused(refresh_token_encrypted="r", reason="refused", now=NOW) is True
    assert c.status == ConnectionStatus.REVOKED and c.refresh_lease_id is None


def test_reconnecting_drops_a_refresh_lease_of_the_old_tokens():
    c = connection()
    c.begin_refresh(NOW, LEASE)
    c.reconnect(merchant_id="M1", access_token_encrypted="a2", refresh_token_encrypted="r2",
                expires_at=NOW + timedelta(days=30), now=NOW)
    assert not c.refresh_running(NOW) and c.refresh_lease_id is None


def test_a_pending_authorization_is_valid_until_it_expires():
    pending = PendingAuthorization("st", "s1", "v", NOW, NOW + timedelta(minutes=10))
    assert pending.is_valid_at(NOW + timedelta(minutes=9, seconds=59))
    assert not pending.is_valid_at(NOW + timedelta(minutes=10))
