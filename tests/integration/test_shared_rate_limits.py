"""The rate-limit counters live in MongoDB, so two app instances (two gunicorn workers, two
replicas) share them: the limit holds for the deployment, not per process."""

from __future__ import annotations

import pymongo
import pytest

from bootstrap import create_app
from tests.conftest import test_settings
from tests.fakes import FakesModule

pytestmark = pytest.mark.integration

LOGIN = {"email": "nobody@example.com", "password": "a-long-password"}


def test_two_app_instances_share_the_counter_in_mongodb(mongo_url):
    settings = test_settings(mongodb_uri=mongo_url, mongodb_db="shared_rate_limits",
                             rate_limit_storage_uri="", rate_limit_auth="3/hour")
    first, second = (create_app(settings, extra_modules=[FakesModule()]).test_client() for _ in range(2))

    statuses = [client.post("/auth/login", json=LOGIN).status_code for client in (first, second, first, second)]

    assert statuses == [401, 401, 401, 429]
    with pymongo.MongoClient(mongo_url) as client:
        assert client["limits"]["counters"].count_documents({}) >= 1
