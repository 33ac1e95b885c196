"""`make verify`'s hostile bodies (issue #20, item 7): every operation with a JSON body, on the real
adapters (MongoDB on the local MongoDB-compatible server, Kafka on Tansu, Square on its stand-in),
sent lone surrogates in each of its text fields and bodies nested 5,000 levels, as each signed-in
identity of the seeded world with ids that exist. Each must be refused with a 4xx naming the field
or the body; none may reach the database's encoder or the parser's recursion as a 500."""

from __future__ import annotations

import pytest

from adapters.outbound.mongo.connection import MongoConnection, disconnect
from bootstrap import create_app
from domain.shared.ids import new_id
from tests import conftest, hostile_bodies
from tests.fuzzing import seed_world

pytestmark = pytest.mark.verify


@pytest.fixture
def real_app(mongo_url: str, square_url: str, kafka_servers: str):
    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db=f"hostile_{new_id()[:8]}",
                                      kafka_bootstrap_servers=kafka_servers, square_base_url=square_url,
                                      argon2_memory_kib=1024, argon2_time_cost=1, access_token_ttl_seconds=3600)
    app = create_app(settings)
    try:
        yield app
    finally:
        app.extensions["injector"].get(MongoConnection).db.client.drop_database(settings.mongodb_db)
        disconnect()


def test_every_json_body_on_the_real_stack_refuses_lone_surrogates_and_deep_nesting(real_app):
    world = seed_world(real_app)
    client = real_app.test_client()
    spec = client.get("/openapi.json").json
    tried, failures = 0, []
    for identity, headers in world.headers.items():
        outcome = hostile_bodies.run(client, spec, headers, world.known_ids)
        tried += outcome.tried
        failures += [f"as {identity}: {failure}" for failure in outcome.failures]
    print(f"\nhostile bodies (real stack): {tried} requests, {len(failures)} not refused with the field named")
    assert not failures, "\n".join(failures[:40])
