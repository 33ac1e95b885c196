"""CATALOG_STORE=memory: the wired app keeps the catalog in its own memory, everything else in MongoDB."""

from __future__ import annotations

import pytest

from adapters.outbound.mongo.connection import MongoConnection
from tests.conftest import app_on_mongo
from tests.http.helpers import signed_in

pytestmark = pytest.mark.integration

SERVICE = {"title": "Reparación de grifos", "description": "Cambio grifos.", "category": "plumbing",
           "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"}, "duration_minutes": 60,
           "service_areas": ["Madrid"]}


@pytest.fixture(scope="module")
def app(mongo_url: str):
    with app_on_mongo(mongo_url, "catalog_memory_store", catalog_store="memory") as application:
        yield application


def test_services_live_in_memory_and_accounts_in_mongodb(app):
    client = app.test_client()
    seller = signed_in(client, "memory.seller@example.com", "seller")
    assert client.put("/me/seller-profile", headers=seller, json={"display_name": "Carlos"}).status_code == 200
    created = client.post("/services", headers=seller, json=SERVICE)
    assert created.status_code == 201

    found = client.get("/services?q=grifos").json["items"]
    assert [s["id"] for s in found] == [created.json["id"]]
    db = app.extensions["injector"].get(MongoConnection).db
    assert db["services"].count_documents({}) == 0 and db["seller_profiles"].count_documents({}) == 0
    assert db["users"].count_documents({"email": "memory.seller@example.com"}) == 1
