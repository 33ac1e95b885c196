"""The app's MongoDB connection as bootstrap builds it: majority, journaled writes that the local
server accepts, and a 503 (not a 500) when the database cannot be reached."""

from __future__ import annotations

import pytest

from adapters.outbound.mongo.connection import MongoConnection
from devtools.processes import free_port
from devtools.services import mongo_server, mongo_uri
from domain.shared.ids import new_id
from tests import conftest

pytestmark = pytest.mark.integration

ANA = {"email": "ana@example.com", "password": "a-long-password-1", "display_name": "Ana"}


def app_on(url: str, **overrides):
    from bootstrap import create_app

    return create_app(conftest.test_settings(mongodb_uri=url, mongodb_db=f"durability_{new_id()[:8]}",
                                             argon2_memory_kib=1024, argon2_time_cost=1, **overrides))


def test_writes_are_majority_and_journaled_and_the_server_takes_them(mongo_url):
    app = app_on(mongo_url)
    assert app.test_client().post("/auth/register", json=ANA).status_code == 201

    client = app.extensions["injector"].get(MongoConnection).db.client
    assert client.write_concern.document == {"w": "majority", "j": True}


def test_a_uri_cannot_weaken_the_configured_write_concern(mongo_url):
    app = app_on(f"{mongo_url}&w=1&journal=false")
    client = app.extensions["injector"].get(MongoConnection).db.client
    assert client.write_concern.document == {"w": "majority", "j": True}


def test_an_unreachable_database_is_a_503_that_says_so(tmp_path):
    server = mongo_server(free_port(), tmp_path / "data", log_path=tmp_path / "mongodb.log")
    server.start()
    try:
        app = app_on(mongo_uri(server.port))
        server.kill()  # after start-up, which needs the database for its indexes

        answer = app.test_client().post("/auth/register", json=ANA)
    finally:
        server.stop()

    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert "database" in answer.json["message"]
