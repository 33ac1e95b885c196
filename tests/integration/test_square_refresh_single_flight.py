"""Single-flight refresh of a seller's Square tokens with real threads, the MongoDB repository, the
authlib adapter and the Square stand-in, whose PKCE refresh tokens are single-use as Square's are."""

from __future__ import annotations

import html
import re
import threading
import urllib.parse

import pytest
import requests

from adapters.outbound.payments.in_memory import InMemoryMoneyInFlight
from adapters.outbound.mongo.connection import MongoConnection
from adapters.outbound.payments.fernet_cipher import FernetTokenCipher
from adapters.outbound.payments.mongo_documents import PAYMENTS_DOCUMENTS
from adapters.outbound.payments.mongo_repositories import MongoPendingAuthorizations, MongoSquareConnectionRepository
from adapters.outbound.payments.square_oauth import AuthlibSquareOAuth, SdkSquareMerchantApi
from adapters.outbound.system_clock import SystemClock
from application.payments.ports import SquareConnectionPolicy
from application.payments.use_cases import (
    CompleteSquareConnection,
    CompleteSquareConnectionCommand,
    GetSellerSquareCredentials,
    RefreshExpiringTokens,
    StartSquareConnection,
)
from config import DEVELOPMENT_SQUARE_APPLICATION_ID, DEVELOPMENT_SQUARE_APPLICATION_SECRET, Settings
from domain.payments.connection import ConnectionStatus
from domain.shared.access import Actor, Role

pytestmark = pytest.mark.integration

DB = "square_refresh_single_flight_it"
THREADS = 8


@pytest.fixture(scope="module")
def mongo(mongo_url: str) -> MongoConnection:
    connection = MongoConnection(mongo_url, DB)
    connection.db.client.drop_database(DB)
    connection.ensure(PAYMENTS_DOCUMENTS)
    return connection


class World:
    def __init__(self, square_url: str) -> None:
        self.url = square_url
        self.connections = MongoSquareConnectionRepository()
        self.pending = MongoPendingAuthorizations()
        self.cipher = FernetTokenCipher(Settings().square_token_encryption_key)
        self.oauth = AuthlibSquareOAuth(base_url=square_url, application_id=DEVELOPMENT_SQUARE_APPLICATION_ID,
                                        application_secret=DEVELOPMENT_SQUARE_APPLICATION_SECRET,
                                        redirect_url="http://127.0.0.1:1/square/oauth/callback", timeout_seconds=5)
        self.merchant_api = SdkSquareMerchantApi(base_url=square_url, timeout_seconds=5)
        self.policy = SquareConnectionPolicy()
        self.clock = SystemClock()

    def connect_with_pkce(self, seller_id: str) -> str:
        """The seller approves on Square; the code is exchanged with its PKCE verifier. Returns the merchant."""
        actor = Actor(seller_id, frozenset({Role.SELLER}))
        authorize_url = StartSquareConnection(self.pending, self.oauth, self.policy, self.clock).execute(actor)
        page = requests.get(authorize_url, timeout=5)
        approve = html.unescape(re.search(r'id="approve" href="([^"]+)"', page.text).group(1))
        back = requests.get(self.url + approve, allow_redirects=False, timeout=5).headers["Location"]
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
        connection = CompleteSquareConnection(self.pending, self.oauth, self.merchant_api, self.connections,
                                              self.cipher, InMemoryMoneyInFlight(), self.clock) \
            .execute(CompleteSquareConnectionCommand(state=query["state"], code=query["code"]))
        return connection.merchant_id

    def connect_inside_the_margin(self, seller_id: str) -> str:
        """Connected with tokens that expire in 3 days: inside the 7-day margin, still valid. Square's
        next tokens last its usual 30 days, so once refreshed nobody needs to refresh again."""
        self.control("token-lifetime", seconds=3 * 86_400)
        try:
            return self.connect_with_pkce(seller_id)
        finally:
            self.control("token-lifetime", seconds=30 * 86_400)

    def control(self, path: str, **body: object) -> None:
        assert requests.post(f"{self.url}/_control/{path}", json=body, timeout=5).status_code == 200

    def credentials(self) -> GetSellerSquareCredentials:
        return GetSellerSquareCredentials(self.connections, self.oauth, self.cipher, self.policy, self.clock)

    def refreshes_of(self, merchant_id: str) -> list[str]:
        log = requests.get(f"{self.url}/_control/token-refreshes", timeout=5).json()["token_refreshes"]
        return [entry["outcome"] for entry in log if entry["merchant_id"] == merchant_id]

    def locations_status(self, access_token: str) -> int:
        return requests.get(f"{self.url}/v2/locations", headers={"Authorization": f"Bearer {access_token}"},
                            timeout=5).status_code


@pytest.fixture
def world(mongo: MongoConnection, square_url: str) -> World:
    return World(square_url)


def test_threads_asking_for_credentials_at_once_cause_exactly_one_refresh(world):
    merchant_id = world.connect_inside_the_margin("seller-threads")
    # Every Square call takes a while, so all the threads are inside the refresh at the same time.
    world.control("faults", latency_seconds=0.3)
    start_together = threading.Barrier(THREADS)
    tokens: list[str] = []
    errors: list[BaseException] = []

    def ask() -> None:
        start_together.wait()
        try:
            tokens.append(world.credentials().execute("seller-threads").access_token)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    world.control("faults", latency_seconds=0)

    assert errors == [] and len(tokens) == THREADS
    assert world.refreshes_of(merchant_id) == ["issued"]
    stored = world.connections.get("seller-threads")
    assert stored.status == ConnectionStatus.CONNECTED and stored.refresh_lease_id is None
    assert all(world.locations_status(token) == 200 for token in set(tokens))
    # The stored refresh token is the newest: Square still takes it (the spent one it would refuse).
    newest = world.cipher.decrypt(stored.refresh_token_encrypted)
    assert world.oauth.refresh(newest).merchant_id == merchant_id


def test_two_refresh_jobs_at_once_refresh_once_and_revoke_nobody(world):
    merchant_id = world.connect_inside_the_margin("seller-jobs")
    world.control("faults", latency_seconds=0.3)
    job = RefreshExpiringTokens(world.connections, world.oauth, world.cipher, world.policy, world.clock)
    start_together = threading.Barrier(2)
    reports = []

    def run() -> None:
        start_together.wait()
        reports.append(job.execute())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert world.refreshes_of(merchant_id) == ["issued"]
    assert sum(r.revoked for r in reports) == 0
    assert world.connections.get("seller-jobs").status == ConnectionStatus.CONNECTED
