"""The payments context's MongoDB adapters against the local MongoDB-compatible server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.mongo.connection import MongoConnection
from adapters.outbound.payments.mongo_documents import PAYMENTS_DOCUMENTS
from adapters.outbound.payments.mongo_repositories import (
    MongoPendingAuthorizations,
    MongoProcessedWebhookEvents,
    MongoSquareConnectionRepository,
)
from domain.payments.connection import ConnectionStatus, PendingAuthorization, SquareConnection
from domain.shared.errors import Conflict

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def mongo(mongo_url: str) -> MongoConnection:
    connection = MongoConnection(mongo_url, "payments_mongo_it")
    connection.db.client.drop_database("payments_mongo_it")
    connection.ensure(PAYMENTS_DOCUMENTS)
    return connection


def connection(seller_id: str, merchant_id: str = "M1", expires_in_days: int = 30) -> SquareConnection:
    return SquareConnection.connect(seller_id=seller_id, merchant_id=merchant_id, access_token_encrypted="enc-a",
                                    refresh_token_encrypted="enc-r", expires_at=NOW + timedelta(days=expires_in_days),
                                    now=NOW)


def test_connections_round_trip_with_optimistic_versions(mongo):
    repository = MongoSquareConnectionRepository()
    saved = connection("seller-a")
    saved.location_id, saved.location_name, saved.currency = "L1", "Main", "EUR"
    repository.save(saved)
    loaded = repository.get("seller-a")
    assert loaded == saved and loaded.version == 1
    stale = repository.get("seller-a")
    loaded.revoke("revoked by the merchant", revoked_at=NOW + timedelta(hours=1), now=NOW + timedelta(hours=1))
    repository.save(loaded)
    with pytest.raises(Conflict):
        repository.save(stale)
    assert repository.get("seller-a").status == ConnectionStatus.REVOKED
    with pytest.raises(Conflict):
        repository.save(connection("seller-a"))  # a second first connection of the same seller
    assert repository.get({"$ne": None}) is None  # type: ignore[arg-type]


def test_connections_by_merchant_and_the_ones_expiring_soonest_first(mongo):
    repository = MongoSquareConnectionRepository()
    for seller_id, days in (("seller-x", 5), ("seller-y", 2), ("seller-z", 20)):
        repository.save(connection(seller_id, merchant_id="M-XYZ", expires_in_days=days))
    gone = repository.get("seller-y")
    gone.disconnect(NOW)
    repository.save(gone)
    assert {c.seller_id for c in repository.find_by_merchant("M-XYZ")} == {"seller-x", "seller-y", "seller-z"}
    due = repository.expiring_before(NOW + timedelta(days=7), limit=10)
    assert [c.seller_id for c in due if c.merchant_id == "M-XYZ"] == ["seller-x"]


def test_a_refresh_lease_is_won_by_one_of_two_racing_readers_and_its_end_is_stored(mongo):
    repository = MongoSquareConnectionRepository()
    repository.save(connection("seller-lease"))
    first, second = repository.get("seller-lease"), repository.get("seller-lease")
    lease_id = first.begin_refresh(NOW, timedelta(minutes=2))
    repository.save(first)
    second.begin_refresh(NOW, timedelta(minutes=2))
    with pytest.raises(Conflict):
        repository.save(second)
    loaded = repository.get("seller-lease")
    assert loaded.refresh_lease_id == lease_id and loaded.refresh_lease_until == NOW + timedelta(minutes=2)
    loaded.tokens_refreshed(replacing="enc-r", access_token_encrypted="enc-a2", refresh_token_encrypted="enc-r2",
                            expires_at=NOW + timedelta(days=30), now=NOW)
    repository.save(loaded)
    # Fields that became None are gone from the stored document, not left at their old values.
    assert repository.get("seller-lease") == loaded
    assert loaded.refresh_lease_id is None and not loaded.refresh_running(NOW)


def test_a_pending_authorization_is_taken_once_even_by_racing_callbacks(mongo):
    pending = MongoPendingAuthorizations()
    pending.add(PendingAuthorization("state-1", "seller-a", "verifier", NOW, NOW + timedelta(minutes=10)))
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(pending.take("state-1"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [r for r in results if r is not None]
    assert len(taken) == 1 and taken[0].seller_id == "seller-a"
    assert taken[0].expires_at == NOW + timedelta(minutes=10)


def test_a_webhook_event_is_recorded_once(mongo):
    events = MongoProcessedWebhookEvents()
    assert events.record("ev-1", "payment.updated", NOW) is True
    assert events.record("ev-1", "payment.updated", NOW) is False
    events.forget("ev-1")
    assert events.record("ev-1", "payment.updated", NOW) is True
