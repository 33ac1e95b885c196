"""A fixed window ends when it says it does, on the local MongoDB-compatible server: the limiter
used to go on answering 429, with a Retry-After in the past, until the TTL monitor deleted the
counter (up to a minute later), because the server never found the stored end before $$NOW."""

from __future__ import annotations

import time

import pymongo
import pytest
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from adapters.inbound.http.rate_limit_storage import exact_storage_uri
from bootstrap import create_app
from tests.conftest import test_settings
from tests.fakes import FakesModule

pytestmark = pytest.mark.integration

LOGIN = {"email": "nobody@example.com", "password": "a-long-password"}


@pytest.fixture
def storage(mongo_url):
    store = storage_from_string(exact_storage_uri(mongo_url), database_name="limits_windows")
    store.reset()
    yield store
    store.storage.close()


def test_a_window_opens_again_once_it_has_ended(storage):
    limiter = FixedWindowRateLimiter(storage)
    two_a_second = RateLimitItemPerSecond(2, 1)

    assert [limiter.hit(two_a_second, "k") for _ in range(3)] == [True, True, False]
    reset_at = limiter.get_window_stats(two_a_second, "k").reset_time
    time.sleep(max(0.0, reset_at - time.time()) + 0.2)

    assert limiter.hit(two_a_second, "k"), "the window had ended but the counter was not renewed"
    stats = limiter.get_window_stats(two_a_second, "k")
    assert stats.remaining == 1 and stats.reset_time > time.time()


def test_the_api_answers_again_after_retry_after_and_never_says_less_than_a_second(mongo_url):
    settings = test_settings(mongodb_uri=mongo_url, mongodb_db="rate_limit_windows", rate_limit_storage_uri="",
                             rate_limit_auth="2/2 seconds")
    with pymongo.MongoClient(mongo_url) as client:
        client["limits"]["counters"].delete_many({})
    api = create_app(settings, extra_modules=[FakesModule()]).test_client()

    refused = None
    for _ in range(3):
        refused = api.post("/auth/login", json=LOGIN)
    assert refused is not None and refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 2

    time.sleep(wait + 0.2)
    again = api.post("/auth/login", json=LOGIN)
    assert again.status_code == 401, (again.status_code, again.headers.get("Retry-After"))


@pytest.mark.parametrize(("given", "sent"), [("0", "1"), ("-58", "1"), ("7", "7"), ("Wed, 21 Oct 2026 07:28:00 GMT", None)])
def test_retry_after_is_never_below_one_second(given, sent):
    from werkzeug.datastructures import Headers

    from adapters.inbound.http.hardening import _at_least_one_second

    headers = Headers({"Retry-After": given})
    _at_least_one_second(headers)
    assert headers["Retry-After"] == (sent or given)
