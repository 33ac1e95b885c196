"""Deleting a person with data in every context on the real local services (issue #12): the
MongoDB-compatible server, the Kafka broker (the relay and the erasure worker in threads of the
test, always stopped) and the Square stand-in. Then the backup taken before the deletion is
restored with the operators' CLI, and the person is erased again."""

from __future__ import annotations

import json
import time
import zipfile

import pymongo
import pytest

from adapters.inbound.cli.erasure import erasure_worker
from application.shared.outbox_relay import RelayOutbox
from tests import conftest
from tests.erasure_scenario import PASSWORD, build_person, unerased
from tests.integration.test_square_connection_flow import connect, locations_status, stored_access_token
from tests.integration.test_support_kafka import running

pytestmark = pytest.mark.integration


def settings_for(mongo_url: str, kafka_servers: str, square_url: str):
    suffix = str(time.monotonic_ns())
    return conftest.test_settings(
        mongodb_uri=mongo_url, mongodb_db=f"erasure_{suffix}", deletion_log_db=f"erasure_log_{suffix}",
        kafka_bootstrap_servers=kafka_servers, square_base_url=square_url,
        argon2_memory_kib=1024, argon2_time_cost=1,
        marketplace_events_topic=f"marketplace.events.{suffix}",
        marketplace_events_dlq_topic=f"marketplace.events.dlq.{suffix}",
        support_requests_topic=f"support.requests.{suffix}", support_requests_dlq_topic=f"support.dlq.{suffix}",
        erasure_worker_group=f"erasure-{suffix}",
        kafka_session_timeout_ms=6000, kafka_heartbeat_interval_ms=500, kafka_delivery_timeout_ms=2000,
        outbox_lease_seconds=10, outbox_retry_base_ms=200, outbox_retry_max_ms=1500, outbox_idle_wait_ms=100,
        consumer_retry_backoff_ms=50)


def cli(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def wait_until_erased(app, person, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while (left := unerased(app, person)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], f"after {timeout}s waiting for {what}"


def signs_in(client, email: str) -> bool:
    return client.post("/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200


def test_a_person_is_erased_everywhere_and_again_after_an_old_backup_is_restored(mongo_url, kafka_servers,
                                                                                square_url, tmp_path):
    from bootstrap import create_app

    settings = settings_for(mongo_url, kafka_servers, square_url)
    app = create_app(settings)
    app.config["TESTING"] = True
    client = app.test_client()
    injector = app.extensions["injector"]
    person = build_person(app, client, square_connected=True)
    path, query = connect(app, client, person.carlos, square_url)
    assert client.get(f"{path}?{query}").status_code == 303  # connected: back to the web panel
    _, square_token = stored_access_token(app, client, person.carlos)
    assert locations_status(square_url, square_token) == 200
    email = client.get("/me", headers=person.carlos).json["email"]
    assert len(unerased(app, person)) == 12
    archive = tmp_path / "before-the-deletion.backup.zip"
    cli(app, "backup", "--output", str(archive))

    started = time.monotonic()
    assert client.delete("/me", headers=person.carlos, json={"password": PASSWORD}).status_code == 204
    assert not signs_in(client, email)
    with running(injector.get(RelayOutbox).run, erasure_worker(settings, injector).run):
        wait_until_erased(app, person, "every context to erase Carlos", timeout=30)
    print(f"\nerased in every context {time.monotonic() - started:.1f} s after DELETE /me (Kafka group join included)")
    assert locations_status(square_url, square_token) == 401  # revoked at Square
    log = pymongo.MongoClient(mongo_url)[settings.deletion_log_database]["deletions"]
    [entry] = list(log.find())
    assert entry["_id"] == person.carlos_id and set(entry) == {"_id", "deleted_at"}
    with zipfile.ZipFile(archive) as backup:
        manifest = json.loads(backup.read("manifest.json"))
    assert manifest["db_name"] == settings.mongodb_db and "deletions" not in {c["name"] for c in manifest["collections"]}

    # Restoring the old backup brings Carlos back...
    output = cli(app, "restore", str(archive), "--drop")
    assert "deletions replayed: 1" in output
    # ...but his account is deleted again at once, and every context erases its part again.
    assert not signs_in(client, email)
    assert unerased(app, person) != []  # the restore brought his data back
    with running(injector.get(RelayOutbox).run, erasure_worker(settings, injector).run):
        wait_until_erased(app, person, "every context to erase Carlos again")
    assert log.count_documents({}) == 1
