"""The MongoDB server (secantus) SIGKILLed and restarted (three times) on the same port and storage while
sellers create services through the API from several threads. Every write the API acknowledged
(a 201 with the service's id) must be in the database after the restart.

Run twice: with the project's settings (w="majority", journaled: what production must use) the
run asserts nothing acknowledged is lost; with w=1 and no journal it only reports what the local
server loses, which is why the project does not run that way."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pymongo
import pytest

from devtools.processes import free_port
from devtools.services import mongo_server, mongo_uri
from tests import conftest
from tests.integration.test_marketplace_flow import PROFILE, SERVICE

pytestmark = pytest.mark.verify

THREADS = 4
KILLS = 3
SECONDS_BEFORE_KILL = 3
SECONDS_DOWN = 1
SECONDS_AFTER_RESTART = 3
PASSWORD = "a-long-password-1"


@pytest.fixture
def database(tmp_path: Path):
    process = mongo_server(free_port(), tmp_path / "data", log_path=tmp_path / "mongodb.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def make_app(url: str, **durability):
    from bootstrap import create_app

    app = create_app(conftest.test_settings(mongodb_uri=url, mongodb_db="faults", argon2_memory_kib=1024,
                                            argon2_time_cost=1, log_level="ERROR", **durability))
    app.config["TESTING"] = True
    return app


def seller_headers(client, n: int) -> dict[str, str]:
    email = f"seller{n}@example.com"
    assert client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": f"S{n}",
                                               "role": "seller"}).status_code == 201
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.put("/me/seller-profile", json=PROFILE, headers=headers).status_code == 200
    return headers


def run_writes_through_a_kill(database, **durability) -> dict[str, object]:
    app = make_app(mongo_uri(database.port), **durability)
    sellers = [seller_headers(app.test_client(), n) for n in range(THREADS)]
    acknowledged: list[str] = []
    statuses: Counter[int] = Counter()
    oddities: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(headers: dict[str, str]) -> None:
        client = app.test_client()
        n = 0
        while not stop.is_set():
            n += 1
            answer = client.post("/services", json={**SERVICE, "title": f"{SERVICE['title']} {n}"}, headers=headers)
            with lock:
                statuses[answer.status_code] += 1
                if answer.status_code == 201:
                    acknowledged.append(answer.json["id"])
                elif answer.status_code != 503:
                    oddities.append(f"{answer.status_code} {answer.get_data(as_text=True)[:300]}")
            if answer.status_code != 201:
                time.sleep(0.05)

    threads = [threading.Thread(target=write, args=(headers,), daemon=True) for headers in sellers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(SECONDS_BEFORE_KILL)
        for _ in range(KILLS):
            database.kill()
            acknowledged_at_kill = len(acknowledged)
            time.sleep(SECONDS_DOWN)
            database.restart()
            time.sleep(SECONDS_AFTER_RESTART)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(t.is_alive() for t in threads), "a writer did not stop"

    with pymongo.MongoClient(mongo_uri(database.port)) as client:
        stored = {raw["_id"] for raw in client.faults.services.find({}, {"_id": 1})}
    lost = [service_id for service_id in acknowledged if service_id not in stored]
    return {"tried": sum(statuses.values()), "acknowledged": len(acknowledged), "at_kill": acknowledged_at_kill,
            "lost": len(lost), "statuses": dict(statuses), "oddities": oddities}


def report(label: str, figures: dict[str, object]) -> None:
    print(f"\n[faults/mongodb {label}] writes tried {figures['tried']}, acknowledged {figures['acknowledged']} "
          f"({figures['at_kill']} before the last of {KILLS} SIGKILLs), lost {figures['lost']}; answers {figures['statuses']}")
    for oddity in figures["oddities"]:
        print(f"  {oddity}")


def test_no_acknowledged_write_is_lost_with_majority_journaled_writes(database):
    figures = run_writes_through_a_kill(database)
    report("w=majority, j=true", figures)
    assert figures["at_kill"] > 0 and figures["acknowledged"] > figures["at_kill"], "the kill was not mid-stream"
    assert figures["lost"] == 0
    assert set(figures["statuses"]) <= {201, 503}, "an outage is a 503 (try again), never a 500"


def test_what_the_local_server_loses_with_w1_and_no_journal(database):
    figures = run_writes_through_a_kill(database, mongodb_write_concern="1", mongodb_journal=False)
    report("w=1, j=false (reported only)", figures)
    assert figures["at_kill"] > 0
