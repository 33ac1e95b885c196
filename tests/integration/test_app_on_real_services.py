"""The real wiring (argon2id, JWT, MongoDB adapters) end to end over HTTP, on the local server."""

from __future__ import annotations

import pytest

from adapters.outbound.mongo.connection import disconnect
from bootstrap import create_app
from domain.shared.ids import new_id
from tests.conftest import test_settings
from tests.http.helpers import PASSWORD


@pytest.fixture
def real_client(mongo_url):
    settings = test_settings(mongodb_uri=mongo_url, mongodb_db=f"app_{new_id()[:8]}")
    app = create_app(settings)
    try:
        yield app.test_client(), app
    finally:
        app.extensions["injector"].get(__import__("adapters.outbound.mongo.connection", fromlist=["MongoConnection"])
                                       .MongoConnection).db.client.drop_database(settings.mongodb_db)
        disconnect()


def test_register_login_me_with_argon2_and_mongodb(real_client):
    client, app = real_client
    created = client.post("/auth/register", json={"email": "Ana@Example.com", "password": PASSWORD, "display_name": "Ana"})
    assert created.status_code == 201
    duplicate = client.post("/auth/register", json={"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"})
    assert duplicate.status_code == 409 and "E11000" not in duplicate.get_data(as_text=True)
    pair = client.post("/auth/login", json={"email": "ana@example.com", "password": PASSWORD}).json
    me = client.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200 and me.json["email"] == "ana@example.com"
    from adapters.outbound.mongo.connection import MongoConnection

    stored = app.extensions["injector"].get(MongoConnection).db.users.find_one({"email": "ana@example.com"})
    assert stored["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_readiness_names_the_dependency_that_is_down(real_client):
    client, _ = real_client
    ready = client.get("/health/ready")
    # MongoDB is up; no broker listens on the test settings' Kafka address.
    assert ready.status_code == 503
    assert ready.json["checks"]["mongodb"]["up"] is True
    assert ready.json["checks"]["kafka"]["up"] is False
