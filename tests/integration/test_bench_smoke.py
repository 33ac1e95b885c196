"""The benchmark harness at a tiny scale: it starts its stack, drives load from its own process,
counts round trips, and stops every process it started. No timings are asserted."""

from __future__ import annotations

import pytest

from bench import figures
from bench.stack import load, stack

pytestmark = pytest.mark.integration


def test_the_stack_serves_load_from_another_process_and_stops_everything(tmp_path):
    with stack(tmp_path) as running:
        with running.api("bench_smoke", CATALOG_STORE="memory", WEB_CONCURRENCY="1") as port:
            api = running.started[-1]
            result = load(port, ["/health/live", "/services?page_size=20"], concurrency=2, duration=0.5, warmup=0)
        assert not api.running
        processes = list(running.started)
    assert result["requests"] > 0 and result["errors"] == 0 and set(result["statuses"]) == {"200"}
    assert processes and not any(p.running for p in processes)


def test_round_trips_are_counted_and_do_not_grow(mongo_url):
    trips = figures.round_trips(mongo_url, sizes=(1, 4))
    for counts in (trips.profile, trips.order):
        assert set(counts) == {1, 4}
        assert counts[1][0] == counts[4][0] > 0
