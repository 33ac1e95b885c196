"""The rate-limit counters live in MongoDB, so two app instances (two gunicorn workers, two
replicas) share them: the limit holds for the deployment, not per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_a_process_that_never_hit_a_limit_still_exits(mongo_url):
    """limits' MongoDB store used to make its client from __del__ at interpreter shutdown and hang
    there, so every CLI worker (which builds the app but serves no request) never exited."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)]), "MONGODB_URI": mongo_url,
           "MONGODB_DB": "shared_rate_limits_exit", "APP_ENV": "test", "LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", "from bootstrap import create_app; create_app(); print('built')"],
                          env=env, cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "built", done.stderr


@pytest.fixture
def own_mongo(tmp_path):
    """A server of this test's own, which it stops before the app's process exits."""
    from devtools.processes import free_port
    from devtools.services import mongo_server, mongo_uri

    process = mongo_server(free_port(), tmp_path / "mongo", log_path=tmp_path / "mongodb.log")
    process.start()
    try:
        yield process, mongo_uri(process.port)
    finally:
        process.stop()


def test_a_process_whose_store_went_away_still_exits(own_mongo):
    """limits closes its MongoDB client from __del__, which at interpreter shutdown (after pymongo
    stopped its monitor threads) had to select a server to end the client's sessions: with the
    server gone that restarted a monitor thread, which cannot start then, and waited for it
    forever (`python -m bench` stops its server before it exits)."""
    process, url = own_mongo
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)]), "MONGODB_URI": url,
           "MONGODB_DB": "shared_rate_limits_gone", "APP_ENV": "test", "LOG_LEVEL": "WARNING"}
    script = ("from bootstrap import create_app; app = create_app(); "
              "print(app.test_client().get('/health/live').status_code, flush=True); input()")
    child = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=root, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "200"
        process.stop()
        _out, err = child.communicate("\n", timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the process hung at exit after its rate-limit store went away")
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
