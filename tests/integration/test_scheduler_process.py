"""The `flask scheduler` worker as `make run` starts it: it acts on due deadlines and stops
cleanly on SIGTERM."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime, time as clock_time, timedelta

import pytest
import requests

from adapters.outbound.payments.in_memory import InMemoryMoneyInFlight
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import MongoOrderRepository
from devtools.localstack import app_environment
from devtools.processes import ManagedProcess, running
from domain.orders.order import Order, OrderStatus, ServiceSnapshot
from domain.orders.pricing import Breakdown, PriceModel
from domain.shared.money import Money
from tests.unit.application.orders_world import POLICY

pytestmark = pytest.mark.integration


def test_the_scheduler_expires_a_due_booking_and_stops_on_sigterm(mongo_url, tmp_path):
    db_name = f"scheduler_it_{uuid.uuid4().hex[:8]}"
    connection = MongoConnection(mongo_url, db_name)
    try:
        connection.ensure([*ORDERS_DOCUMENTS, OutboxDocument])
        orders = MongoOrderRepository()
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        start = datetime.combine(datetime.now(UTC).date() + timedelta(days=3), clock_time(9), tzinfo=UTC)
        order = Order.book(order_id=uuid.uuid4().hex, buyer_id="buyer",
                           service=ServiceSnapshot("svc", "seller", "Tap", PriceModel.FIXED, Money(5000, "EUR"), 60),
                           slot_start=start, slot_end=start + timedelta(hours=1), time_zone="UTC", buffer_minutes=0,
                           address="Calle 1", notes="", breakdown=Breakdown.of(Money(5000, "EUR"), POLICY.fees),
                           now=long_ago, timers=POLICY.timers)
        orders.add(order)

        log = tmp_path / "scheduler.log"
        env = {**app_environment(), "MONGODB_URI": mongo_url, "MONGODB_DB": db_name, "APP_ENV": "test",
               "SCHEDULER_INTERVAL": "1"}
        scheduler = ManagedProcess("scheduler", [sys.executable, "-m", "flask", "scheduler"], env=env,
                                   log_path=log, ready=lambda: log.exists() and b"started" in log.read_bytes())
        with running(scheduler):
            deadline = time.monotonic() + 20
            while orders.get(order.id).status is not OrderStatus.EXPIRED and time.monotonic() < deadline:
                time.sleep(0.2)
            assert orders.get(order.id).status is OrderStatus.EXPIRED
            scheduler.stop()
            assert scheduler.process.returncode == 0
        assert b"stopped" in log.read_bytes()
    finally:
        connection.db.client.drop_database(db_name)
        disconnect()


def test_the_scheduler_renews_square_tokens_when_it_starts(mongo_url, square_url, tmp_path):
    from adapters.outbound.payments.fernet_cipher import FernetTokenCipher
    from adapters.outbound.payments.mongo_documents import PAYMENTS_DOCUMENTS
    from adapters.outbound.payments.mongo_repositories import MongoSquareConnectionRepository
    from adapters.outbound.payments.square_oauth import AuthlibSquareOAuth, SdkSquareMerchantApi
    from adapters.outbound.system_clock import SystemClock
    from application.payments.use_cases import ImportSquareConnection
    from config import Settings

    db_name = f"scheduler_square_it_{uuid.uuid4().hex[:8]}"
    connection = MongoConnection(mongo_url, db_name)
    try:
        connection.ensure(PAYMENTS_DOCUMENTS)
        settings = Settings()
        oauth = AuthlibSquareOAuth(base_url=square_url, application_id=settings.square_application_id,
                                   application_secret=settings.square_application_secret,
                                   redirect_url=settings.square_oauth_redirect_url, timeout_seconds=5)
        connections = MongoSquareConnectionRepository()
        # Tokens that expire in 3 days: inside the 7-day margin.
        requests.post(f"{square_url}/_control/token-lifetime", json={"seconds": 3 * 86_400}, timeout=5)
        ImportSquareConnection(oauth, SdkSquareMerchantApi(base_url=square_url, timeout_seconds=5), connections,
                               FernetTokenCipher(settings.square_token_encryption_key), InMemoryMoneyInFlight(),
                               SystemClock()) \
            .execute("seller-sched", "sandbox-demo-refresh-scheduler")
        requests.post(f"{square_url}/_control/token-lifetime", json={"seconds": 30 * 86_400}, timeout=5)
        expires_before = connections.get("seller-sched").expires_at

        log = tmp_path / "scheduler.log"
        env = {**app_environment(), "MONGODB_URI": mongo_url, "MONGODB_DB": db_name, "APP_ENV": "test",
               "SQUARE_BASE_URL": square_url}
        scheduler = ManagedProcess("scheduler", [sys.executable, "-m", "flask", "scheduler"], env=env,
                                   log_path=log, ready=lambda: log.exists() and b"started" in log.read_bytes())
        with running(scheduler):
            deadline = time.monotonic() + 20
            while b"Square tokens:" not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.2)
        assert b"Square tokens: refreshed 1, revoked 0, failed 0" in log.read_bytes()
        assert connections.get("seller-sched").expires_at > expires_before + timedelta(days=20)
    finally:
        connection.db.client.drop_database(db_name)
        disconnect()
