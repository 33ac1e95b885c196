"""The long fuzz run (`make verify`): the whole API from its OpenAPI document on the real adapters,
MongoDB on the local MongoDB-compatible server, Kafka on Tansu and Square on its stand-in, a few thousand generated
requests in all. Prints the figures line: operations, requests tried, 5xx, schema failures.
Set FUZZ_SEED to replay a run; FUZZ_EXAMPLES to change its length."""

from __future__ import annotations

import os
import random

import pytest

from adapters.outbound.mongo.connection import MongoConnection, disconnect
from bootstrap import create_app
from domain.shared.ids import new_id
from tests import conftest
from tests.fuzzing import fuzz, seed_world

pytestmark = pytest.mark.verify

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@pytest.fixture
def real_app(mongo_url: str, square_url: str, kafka_servers: str):
    # Kafka too: with a dependency down, readiness rightly answers 503, which would hide a real 5xx.
    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db=f"fuzz_{new_id()[:8]}",
                                      kafka_bootstrap_servers=kafka_servers,
                                      square_base_url=square_url, argon2_memory_kib=1024, argon2_time_cost=1,
                                      # The seeded tokens must outlive a run on a busy machine.
                                      access_token_ttl_seconds=3600)
    app = create_app(settings)
    try:
        yield app
    finally:
        app.extensions["injector"].get(MongoConnection).db.client.drop_database(settings.mongodb_db)
        disconnect()


def test_the_whole_api_on_the_real_stack_answers_within_its_documented_contract(real_app):
    seed = int(os.environ.get("FUZZ_SEED", random.randrange(1 << 32)))
    world = seed_world(real_app)
    figures = fuzz(real_app, world, examples=EXAMPLES_PER_OPERATION, derandomize=False, seed=seed)
    print(f"\n{figures.report()}\n(seed {seed}: FUZZ_SEED={seed} make verify replays it)")
    assert not figures.findings, figures.report()
    # Positive data alone is that many requests; negative data adds to it where it can be made.
    assert figures.requests >= figures.operations * 4 * EXAMPLES_PER_OPERATION
