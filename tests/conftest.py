"""Shared fixtures. Real local services (secantus, Tansu) are started only by the tests that
ask for them, on free ports and temp dirs, and always stopped, even when a test fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config import DEVELOPMENT_SQUARE_APPLICATION_ID, DEVELOPMENT_SQUARE_APPLICATION_SECRET, Settings
from devtools.processes import ManagedProcess, free_port
from devtools.services import kafka_broker, mongo_server, mongo_uri, s3_server, square_standin
from tests.fakes import FakeClock, FakesModule

TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef"


def test_settings(**overrides: object) -> Settings:
    base = dict(environment="test", jwt_secret=TEST_SECRET, mongodb_uri="mongodb://127.0.0.1:1/?directConnection=true",
                kafka_bootstrap_servers="127.0.0.1:1",
                # Per-app counters, generous: tests sign many people in from one address.
                rate_limit_storage_uri="memory://", rate_limit_auth="10000/minute", rate_limit_writes="10000/minute")
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


test_settings.__test__ = False  # a helper, not a test


@contextmanager
def app_on_mongo(mongo_url: str, db: str, **overrides: object):
    """The whole app on the local MongoDB-compatible server (cheap password hashing), and the
    connection closed afterwards, for a module-scoped ``app`` fixture."""
    from adapters.outbound.mongo.connection import disconnect
    from bootstrap import create_app

    application = create_app(test_settings(mongodb_uri=mongo_url, mongodb_db=db, argon2_memory_kib=64,
                                           argon2_time_cost=1, **overrides))
    application.config["TESTING"] = True
    try:
        yield application
    finally:
        disconnect()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fakes(clock: FakeClock) -> FakesModule:
    return FakesModule(clock)


@pytest.fixture
def app(fakes: FakesModule):
    from bootstrap import create_app

    application = create_app(test_settings(), extra_modules=[fakes])
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


def _running(process: ManagedProcess) -> Iterator[ManagedProcess]:
    """Start a local service for the session and stop it whatever happens, a failing test included."""
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def mongo_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    port = free_port()
    root: Path = tmp_path_factory.mktemp("mongo")
    process = mongo_server(port, root / "data", log_path=root / "mongodb.log")
    yield from _running(process)


@pytest.fixture(scope="session")
def mongo_url(mongo_process: ManagedProcess) -> str:
    return mongo_uri(mongo_process.port)


@pytest.fixture(scope="session")
def kafka_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    port = free_port()
    root: Path = tmp_path_factory.mktemp("kafka")
    process = kafka_broker(port, log_path=root / "kafka.log")
    yield from _running(process)


@pytest.fixture(scope="session")
def kafka_servers(kafka_process: ManagedProcess) -> str:
    return f"127.0.0.1:{kafka_process.port}"


SQUARE_TEST_SIGNATURE_KEY = "test-square-webhook-signature-key"


@pytest.fixture(scope="session")
def square_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    port = free_port()
    root: Path = tmp_path_factory.mktemp("square")
    process = square_standin(port, webhook_url=None, signature_key=SQUARE_TEST_SIGNATURE_KEY,
                             application_id=DEVELOPMENT_SQUARE_APPLICATION_ID,
                             application_secret=DEVELOPMENT_SQUARE_APPLICATION_SECRET, log_path=root / "square.log")
    yield from _running(process)


@pytest.fixture
def square_url(square_process: ManagedProcess) -> Iterator[str]:
    """The Square stand-in's URL; the faults and webhook target a test sets are cleared after it."""
    import requests

    url = f"http://127.0.0.1:{square_process.port}"
    yield url
    requests.post(f"{url}/_control/faults", json={"latency_seconds": 0, "fail_next": 0}, timeout=5)
    requests.post(f"{url}/_control/token-lifetime", json={"seconds": 30 * 86_400}, timeout=5)
    requests.put(f"{url}/_control/webhook-url", json={"url": None}, timeout=5)


@pytest.fixture(scope="session")
def s3_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    port = free_port()
    root: Path = tmp_path_factory.mktemp("s3")
    process = s3_server(port, log_path=root / "s3.log")
    yield from _running(process)


@pytest.fixture(scope="session")
def s3_url(s3_process: ManagedProcess) -> str:
    return f"http://127.0.0.1:{s3_process.port}"


@pytest.fixture(scope="session")
def smtp_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """The local SMTP server (aiosmtpd), storing what it receives in a Maildir of its own."""
    from devtools.services import mail_server

    port = free_port()
    root: Path = tmp_path_factory.mktemp("smtp")
    process = mail_server(port, root / "maildir", log_path=root / "smtp.log")
    process.maildir = root / "maildir"  # type: ignore[attr-defined]
    yield from _running(process)
