"""Figure 5 of `make bench`: support request latency with the broker up and with it down, the
outbox relay running throughout (the realistic "Kafka is down": it keeps trying).

Fair by construction, on a shared 2-core machine:
- the load is an open loop at a fixed rate a service would see (``RATE``), well under what the
  stack can take, not a closed loop at saturation: at saturation any background work, such as the
  relay publishing and marking what the requests wrote (which it does only with the broker up),
  takes its share of the two cores from the requests, and the figure would measure that instead
  of the request path. Each latency runs from when its request was due, so queueing still counts;
- the states alternate up, down, down, up (repeated), so a drift of the machine's load lands on
  both states alike;
- every round has the same clients, duration and warm-up, and its latencies are pooled per state
  before taking percentiles: a p99 over thousands of samples, not a median of per-round p99s
  (each of which is the slowest handful of one short round);
- "up" is the steady state: after the broker restarts, the round waits until the relay has
  emptied the outbox (the drain is a recovery, reported on its own);
- the up rounds split in two halves give an A/A ratio: how far apart the same state measures,
  i.e. the measurement's own noise.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo import MongoClient

from adapters.outbound.mongo.outbox_store import CLAIM_ORDER
from application.shared.outbox_relay import RelayPolicy
from bench.figures import _sign_up
from bench.loadgen import percentile
from bench.stack import Stack, http_json, load

DB = "bench_support"
ORDER = ("up", "down", "down", "up")
BODY = {"category": "site_bug", "subject": "La página de pago no carga",
        "description": "Al pulsar pagar, la página se queda en blanco.", "page_url": "/orders/42"}
DRAIN_TIMEOUT_SECONDS = 180
WRITE_LIMIT = "1000000/minute"
# Support requests per second: a busy day's peak for a marketplace is far below it, and the stack
# on this machine takes about 40 (broker up) to 75 (down) a second at saturation.
RATE = 20.0


@dataclass(frozen=True)
class StateLatency:
    samples: list[float]     # every request's latency (ms), all rounds of the state pooled
    round_p99s: list[float]  # each round's own p99, to show the spread
    errors: int

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)


@dataclass(frozen=True)
class SupportLatency:
    up: StateLatency
    down: StateLatency
    aa_p50: float            # up rounds, one half over the other: the noise of the measurement itself
    aa_p99: float
    drain_seconds: list[float]  # after each restart, until the relay had emptied the outbox
    backlog: int             # events waiting after the last round without the broker
    claim_examined: int      # index keys the relay's claim query examined on the local server...
    claim_returned: int      # ...to find this many due events (one batch)
    control: dict[str, StateLatency]  # the same rounds with the relay stopped: the request path alone

    @property
    def p50_ratio(self) -> float:
        return self.down.p50 / self.up.p50

    @property
    def p99_ratio(self) -> float:
        return self.down.p99 / self.up.p99


def support_latency(stack: Stack, *, duration: float, concurrency: int, cycles: int = 3) -> SupportLatency:
    runs: dict[str, list[dict]] = {"up": [], "down": []}
    drains: list[float] = []
    backlog = examined = returned = 0
    # One user sends every request: the per-user write limit (120/minute by default) would turn most
    # of them into 429s, and the figure is about the request path with and without the broker.
    with stack.api(DB, RATE_LIMIT_WRITES=WRITE_LIMIT) as port:
        headers, _ = _sign_up(lambda m, p, b, h: http_json(port, m, p, b, h), "buyer")
        with stack.outbox_relay(DB):
            for state in ORDER * cycles:
                if state == "up":
                    if not stack.kafka.running:
                        stack.start(stack.kafka)
                    drains.append(_wait_for_empty_outbox(stack.mongo_url))
                elif stack.kafka.running:
                    stack.stop(stack.kafka)
                runs[state].append(load(port, ["/support/requests"], method="POST", body=BODY, headers=headers,
                                        concurrency=concurrency, duration=duration, samples=True, rate=RATE))
                if state == "down":
                    backlog, examined, returned = _claim_cost(stack.mongo_url)
        # Control: the same rounds with no relay, so nothing but the requests uses the machine in
        # either state. What differs between the states above and not here is the relay's work.
        control: dict[str, list[dict]] = {"up": [], "down": []}
        for state in ORDER:
            if state == "up" and not stack.kafka.running:
                stack.start(stack.kafka)
            elif state == "down" and stack.kafka.running:
                stack.stop(stack.kafka)
            control[state].append(load(port, ["/support/requests"], method="POST", body=BODY, headers=headers,
                                       concurrency=concurrency, duration=duration, samples=True, rate=RATE))
        if not stack.kafka.running:
            stack.start(stack.kafka)
    up_halves = [[x for r in runs["up"][i::2] for x in r["latencies_ms"]] for i in (0, 1)]
    return SupportLatency(_pooled(runs["up"]), _pooled(runs["down"]),
                          percentile(up_halves[1], 50) / percentile(up_halves[0], 50),
                          percentile(up_halves[1], 99) / percentile(up_halves[0], 99),
                          drains, backlog, examined, returned,
                          {state: _pooled(results) for state, results in control.items()})


def _pooled(results: list[dict]) -> StateLatency:
    return StateLatency([x for r in results for x in r["latencies_ms"]], [r["p99_ms"] for r in results],
                        sum(r["errors"] for r in results))


def _wait_for_empty_outbox(mongo_url: str) -> float:
    began = time.perf_counter()
    with MongoClient(mongo_url) as client:
        outbox = client[DB]["outbox"]
        while outbox.count_documents({"status": "pending"}) and time.perf_counter() - began < DRAIN_TIMEOUT_SECONDS:
            time.sleep(0.25)
    return time.perf_counter() - began


def _claim_cost(mongo_url: str) -> tuple[int, int, int]:
    """The relay's claim query (MongoOutboxStore.claim_due: due events, oldest first, one batch)
    as the local server runs it, with the backlog the outage left."""
    with MongoClient(mongo_url) as client:
        outbox = client[DB]["outbox"]
        due = {"status": "pending", "next_attempt_at": {"$lte": datetime.now(UTC)}}
        explained = (outbox.find(due, {"_id": 1}).sort(CLAIM_ORDER).limit(RelayPolicy().batch_size)
                     .explain()["executionStats"])
        return (outbox.count_documents({"status": "pending"}), explained["totalKeysExamined"],
                explained["nReturned"])


def report_lines(result: SupportLatency) -> list[str]:
    lines = []
    for name, state in (("broker up  ", result.up), ("broker down", result.down)):
        spread = ", ".join(f"{p:.0f}" for p in state.round_p99s)
        lines.append(f"{name}: p50 {state.p50:.1f} ms, p99 {state.p99:.1f} ms over {len(state.samples)} requests "
                     f"pooled from {len(state.round_p99s)} rounds (each round's p99: {spread} ms), "
                     f"{state.errors} errors")
    lines.append(f"A/A, the up rounds in two halves: p50 {result.aa_p50:.2f}, p99 {result.aa_p99:.2f} "
                 "(how far apart the same state measures on this machine)")
    lines.append(f"after each restart the relay emptied the outbox in "
                 f"{', '.join(f'{s:.1f}' for s in result.drain_seconds)} s (measured before each up round)")
    per_event = result.claim_examined / max(result.claim_returned, 1)
    lines.append(f"outbox backlog after a round without the broker: {result.backlog} events; the relay's claim "
                 f"query examined {result.claim_examined} index keys for a batch of {result.claim_returned} "
                 f"({per_event:.1f} per claimed event; it sorts once per batch)")
    up, down = result.control["up"], result.control["down"]
    lines.append(f"control, relay stopped (the request path alone): broker up p50 {up.p50:.1f} ms, p99 {up.p99:.1f} "
                 f"ms; down p50 {down.p50:.1f} ms, p99 {down.p99:.1f} ms; down / up p50 {down.p50 / up.p50:.2f}, "
                 f"p99 {down.p99 / up.p99:.2f} ({len(up.samples)} and {len(down.samples)} requests, "
                 f"{up.errors + down.errors} errors)")
    lines.append(f"median round p99, down / up: "
                 f"{statistics.median(result.down.round_p99s) / statistics.median(result.up.round_p99s):.2f}")
    return lines
