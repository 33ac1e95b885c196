"""`make bench` (python -m bench): start the stack on loopback, load generated data, drive load
from a separate process, print the table and the targets, and write bench/RESULTS.md.

    python -m bench            # sizes from BENCH_SIZES, default 1000,10000,100000
    python -m bench --quick    # CI-sized: small sizes and short runs (the figures are noisier)
    BENCH_SIZES=1000,10000 python -m bench   # a shorter ladder
    python -m bench --near-only   # issue #11's near figure alone at 10,000 (BENCH_SIZES to change), a few minutes
    python -m bench --only ceiling         # one section (or several, comma-separated); see SECTIONS

The local MongoDB-compatible server maintains ~5 ms of index keys per inserted service, but builds
an index over existing documents ~3 times faster: each size is inserted in batches with the
search indexes dropped, and the indexes are built once after.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.mongo_repositories import service_from_raw
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.connection import ensure_indexes
from adapters.outbound.orders.mongo_documents import SellerFreeTimeDocument
from bench import data, figures, near, scaling, support
from bench.stack import Stack, http_json, load, stack
from config import load_settings

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
CATALOG_DB = "bench_catalog"
LATENCY_CLIENTS = 16
LATENCY_QUERIES = {
    "category (16 clients)": "/services?category={category}&page_size=20",
    "keyword (16 clients)": "/services?q={topic}&page_size=20",
    # Issue #11's figure beside the plain category search, both at fewer clients: the local
    # server's $geoWithin read seconds per request, and 16 queued would take minutes a round.
    "category (4 clients)": "/services?category={category}&page_size=20",
    "near + category + date (4 clients)": "{near}",
}
NEAR_CLIENTS = 4
ALONE_LIMIT_SECONDS = 20.0
NEAR_ONE = 2.0  # "examined per returned near 1": at most twice what the page needs
# What --only can pick. "scale" includes the adapter overhead (it is measured on the scale's data).
SECTIONS = ("ceiling", "scale", "round-trips", "support", "login", "relevance")


@dataclass(frozen=True)
class Scale:
    sizes: tuple[int, ...]
    ceiling_rounds: int
    ceiling_seconds: float
    latency_seconds: float
    support_seconds: float
    repetitions: int


def scale_of(quick: bool) -> Scale:
    default_sizes = "1000,2000" if quick else "1000,10000,100000"
    raw = os.environ.get("BENCH_SIZES", default_sizes)
    try:
        sizes = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
    except ValueError:
        raise SystemExit(f"BENCH_SIZES: expected sizes like 1000,10000, got {raw!r}") from None
    if not sizes or sizes[0] < 1000:
        raise SystemExit("BENCH_SIZES: at least 1000 services (a keyword page of 20 must fill)")
    if quick:
        return Scale(sizes, ceiling_rounds=2, ceiling_seconds=2, latency_seconds=3, support_seconds=3, repetitions=30)
    return Scale(sizes, ceiling_rounds=3, ceiling_seconds=5, latency_seconds=5, support_seconds=10, repetitions=100)


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.targets: list[tuple[bool, str]] = []

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        print(line, flush=True)

    def target(self, passed: bool, text: str) -> None:
        self.targets.append((passed, text))
        self.say(f"{'PASS' if passed else 'FAIL'}  {text}")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}, load average at start {load1:.2f}")


def run(scale: Scale, report: Report, workdir: Path, sections: tuple[str, ...] = SECTIONS) -> None:
    sample = data.sample()
    if "relevance" in sections:
        _relevance(scale, sample, report)
    if not set(sections) - {"relevance"}:
        return
    with stack(workdir) as running:
        if "ceiling" in sections:
            _ceiling(running, scale, report)
        if "scale" in sections:
            plan_rows, latency, overhead, near_rows = _scaling_section(running, scale, sample, report)
        if "round-trips" in sections:
            _round_trips(running, report)
        if "support" in sections:
            _support(running, scale, report)
    if "login" in sections:
        _login(scale, report)
    if "scale" in sections:
        _scale_targets(report, plan_rows, latency, scale, near_rows)


def _relevance(scale: Scale, sample: data.Sample, report: Report) -> None:
    """Issue #21: relevance from index order, tier by tier, by MongoDB's rules on the generated data
    (no server: the prediction ``scale`` also makes), beside what ranking every match in memory read."""
    report.say("## 3b. Relevance by MongoDB's rules (first page of 20; tiers walked in rank order)")
    report.say("| size | query | matches | tiers read | keys read | documents fetched | keys/returned "
               "| docs/returned | docs/returned before (several words: every match ranked in memory) |")
    report.say("|---|---|---|---|---|---|---|---|---|")
    services: list = []
    worst = 0.0
    for size in scale.sizes:
        services += [data.service(n, random.Random(7 * 1_000_003 + n)) for n in range(len(services), size)]
        for row in scaling.relevance_rows(services, size, sample):
            keys, docs = row.predicted.per_returned()
            worst = max(worst, docs, keys)
            before = (f"{row.matches / max(row.predicted.returned, 1):.1f}" if row.words > 1
                      else "1.0 (one word: index order)")
            report.say(f"| {size} | {row.label} | {row.matches} | {row.tiers_read} | {row.predicted.keys} "
                       f"| {row.predicted.docs} | {keys:.1f} | {docs:.1f} | {before} |")
    report.target(worst <= NEAR_ONE, f"by MongoDB's rules, relevance reads at most {NEAR_ONE:g} index keys and "
                                      f"documents per returned one at {', '.join(map(str, scale.sizes))} "
                                      f"(worst {worst:.1f})")
    report.say()


def _ceiling(running: Stack, scale: Scale, report: Report) -> None:
    report.say("## 1. Framework ceiling (catalog in memory, one gunicorn worker, 8 clients)")
    ceiling = figures.framework_ceiling(running, rounds=scale.ceiling_rounds, duration=scale.ceiling_seconds,
                                        concurrency=8)
    report.say(f"GET /health/live   {_rps(ceiling.trivial_rps)}  p50 {ceiling.trivial_p50_ms:.1f} ms")
    report.say(f"GET {figures.SEARCH_PAGE}   {_rps(ceiling.search_rps)}  p50 {ceiling.search_p50_ms:.1f} ms")
    report.say(f"errors: {ceiling.errors}")
    cost = figures.search_cost_in_process(running.mongo_url, repetitions=scale.repetitions)
    report.say(f"in process (Flask test client, no HTTP): trivial {cost.trivial_ms:.2f} ms, search "
               f"{cost.search_ms:.2f} ms (in CPU time {cost.trivial_cpu_ms:.2f} and {cost.search_cpu_ms:.2f} ms); "
               f"the page's body: SearchPageSchema's dump {cost.dump_ms:.2f} ms, search_json (what the route "
               f"now does) {cost.body_ms:.2f} ms")
    report.target(ceiling.ratio >= 0.5 and ceiling.errors == 0,
                  f"framework ceiling: search / trivial = {ceiling.ratio:.2f} (target >= 0.5)")
    report.say()


def _scaling_section(running: Stack, scale: Scale, sample: data.Sample, report: Report):
    report.say("## 3. Scale: search plans and latency")
    plan_rows, latency, overhead, near_rows = _scaling(running, scale, sample, report)

    report.say()
    report.say(f"## 2. Adapter overhead (20-item page at {overhead.services} services)")
    report.say(f"{overhead.label}: adapter find_page {overhead.adapter_ms:.2f} ms, raw pymongo find "
               f"{overhead.raw_ms:.2f} ms (medians of {overhead.repetitions} alternated pairs); mapping the 20 "
               f"documents alone {overhead.mapping_ms:.3f} ms")
    report.target(overhead.ratio <= 1.3, f"adapter overhead: adapter / raw = {overhead.ratio:.2f} "
                                         "(median of paired ratios; target <= 1.3)")
    report.say()
    return plan_rows, latency, overhead, near_rows


def _round_trips(running: Stack, report: Report) -> None:
    report.say("## 4. Round trips (database commands per request, pymongo command listener)")
    trips = figures.round_trips(running.mongo_url)
    for what, counts in (("GET /sellers/{id}", trips.profile), ("GET /orders/{id}", trips.order)):
        unit = "services" if "sellers" in what else "timeline entries"
        cells = "; ".join(f"{n} {unit}: {total} ({', '.join(f'{k} {v}' for k, v in sorted(by.items()))})"
                          for n, (total, by) in counts.items())
        report.say(f"{what}: {cells}")
        totals = {total for total, _ in counts.values()}
        report.target(len(totals) == 1, f"round trips of {what}: {' vs '.join(str(t) for t, _ in counts.values())} "
                                        f"commands at {' and '.join(str(n) for n in counts)} {unit} (target: equal)")
    report.say()


def _support(running: Stack, scale: Scale, report: Report) -> None:
    report.say(f"## 5. Support requests, broker up and down (outbox relay running, {support.RATE:g} requests a "
               "second over 4 connections, rounds up/down/down/up three times, latencies pooled per state)")
    support_result = support.support_latency(running, duration=scale.support_seconds, concurrency=4)
    for line in support.report_lines(support_result):
        report.say(line)
    within = 0.8 <= support_result.p50_ratio <= 1.2 and 0.8 <= support_result.p99_ratio <= 1.2
    report.target(within and support_result.up.errors == support_result.down.errors == 0,
                  f"support latency down / up: p50 {support_result.p50_ratio:.2f}, p99 "
                  f"{support_result.p99_ratio:.2f} (pooled; target: within 20%)")
    report.say()


def _login(scale: Scale, report: Report) -> None:
    report.say("## 6. Login: one argon2id verification")
    cost = figures.argon2_cost(load_settings({}), repetitions=max(10, scale.repetitions // 10))
    report.say(f"configured m={cost.memory_kib} KiB, t={cost.time_cost}, p={cost.parallelism}: "
               f"{cost.verify_ms:.1f} ms per verification (median)")
    report.target(cost.matches_owasp, "argon2id parameters are OWASP's minimum (m=19456 KiB, t=2, p=1), no more")


def _rps(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} req/s (rounds: {', '.join(f'{v:.0f}' for v in values)})"


def run_near_only(scale: Scale, report: Report, workdir: Path) -> None:
    """Only figure 3's near search and the plain category search it is compared with, both at
    4 clients: the full run takes half an hour, this a few minutes a size. Writes no RESULTS.md."""
    with stack(workdir) as running:
        report.say("## 3. Scale: near + category + date beside the plain category search (--near-only)")
        _, latency, _, near_rows = _scaling(running, scale, data.sample(), report, near_only=True)
    report.say()
    report.say("| size | " + " | ".join(f"{q} p50 / p99 (ms)" for q in NEAR_ONLY_QUERIES) + " |")
    report.say("|---|" + "---|" * len(NEAR_ONLY_QUERIES))
    for size, by_query in latency.items():
        report.say(f"| {size} | " + " | ".join(f"{r['p50_ms']:.0f} / {r['p99_ms']:.0f}" for r in by_query.values())
                   + " |")
    for row in near_rows:
        _print_near(report, row)


NEAR_ONLY_QUERIES = [name for name in LATENCY_QUERIES if name.endswith(f"({NEAR_CLIENTS} clients)")]


def _scaling(running: Stack, scale: Scale, sample: data.Sample, report: Report, near_only: bool = False):
    connection = MongoConnection(running.mongo_url, CATALOG_DB)
    connection.ensure(CATALOG_DOCUMENTS)
    collection = connection.db["services"]
    free_time = connection.db[SellerFreeTimeDocument._get_collection_name()]
    # Tomorrow, in the window the orders context keeps (the API checks the date against its clock).
    day = (datetime.now(UTC) + timedelta(days=1)).date()
    services: list = []
    rows: list[scaling.PlanRow] = []
    near_rows: list[near.NearRow] = []
    latency: dict[int, dict[str, dict]] = {}
    overhead: figures.AdapterOverhead | None = None
    try:
        with running.api(CATALOG_DB) as port:
            for size in scale.sizes:
                began = time.perf_counter()
                docs = data.documents(len(services), size)
                sellers = range(len(services) // data.SERVICES_PER_SELLER,
                                (size + data.SERVICES_PER_SELLER - 1) // data.SERVICES_PER_SELLER)
                collection.drop_indexes()
                for chunk in range(0, len(docs), 1000):
                    collection.insert_many(docs[chunk:chunk + 1000], ordered=False)
                free_docs = data.free_time_documents(sellers, day.isoformat())
                if free_docs:
                    free_time.insert_many(free_docs, ordered=False)
                loaded = time.perf_counter() - began
                ensure_indexes([*CATALOG_DOCUMENTS, SellerFreeTimeDocument])
                services += [service_from_raw(d) for d in docs]
                report.say(f"### {size} services (inserted in {loaded:.0f} s, indexes built in "
                           f"{time.perf_counter() - began - loaded:.0f} s)")
                if overhead is None and not near_only:
                    # At the smallest size: every hinted query on the local server costs in proportion to
                    # the index, and the fetch dwarfs the mapping at any size.
                    overhead = figures.adapter_overhead(running.mongo_url, CATALOG_DB, sample,
                                                        repetitions=scale.repetitions // 3)
                    connection = MongoConnection(running.mongo_url, CATALOG_DB)  # adapter_overhead disconnects
                    collection = connection.db["services"]
                    free_time = connection.db[SellerFreeTimeDocument._get_collection_name()]
                if not near_only:
                    size_rows = scaling.plan_rows(collection, services, size, sample)
                    rows += size_rows
                    _print_plans(report, size_rows)
                near_search = near.search_near(sample.category, day, free_time.find({"date": day.isoformat()}))
                near_rows.append(near.near_row(services, size, near_search, collection))
                _print_near(report, near_rows[-1])
                latency[size] = {}
                for name, path in LATENCY_QUERIES.items():
                    if near_only and name not in NEAR_ONLY_QUERIES:
                        continue
                    clients = NEAR_CLIENTS if name.endswith(f"({NEAR_CLIENTS} clients)") else LATENCY_CLIENTS
                    url = path.format(category=sample.category, topic=sample.topic,
                                      near=near.path_near(sample.category, day))
                    # One request first instead of a timed warm-up: at these sizes a warm-up window
                    # would swallow every client's first (and often only) request.
                    began = time.perf_counter()
                    assert http_json(port, "GET", url, timeout=900)[0] == 200
                    alone = time.perf_counter() - began
                    if alone > ALONE_LIMIT_SECONDS:
                        # A request this slow (the local server's $geoWithin at 100k, before the grid
                        # cells): clients queued behind it would take
                        # many minutes a round; the one request says as much.
                        latency[size][name] = {"p50_ms": alone * 1000, "p99_ms": alone * 1000}
                        report.say(f"latency, {name}: one request alone took {alone:.1f} s; not timed under "
                                   "load at this size (p50 and p99 in the table are that one request)")
                        continue
                    result = load(port, [url], concurrency=clients, duration=scale.latency_seconds,
                                  warmup=0)
                    latency[size][name] = result
                    report.say(f"latency, {name}: p50 {result['p50_ms']:.0f} ms, "
                               f"p99 {result['p99_ms']:.0f} ms, {result['rps']:.1f} req/s, "
                               f"{result['requests']} requests, {result['errors']} errors")
    finally:
        disconnect()
    assert overhead is not None or near_only
    return rows, latency, overhead, near_rows


def _print_near(report: Report, row: near.NearRow) -> None:
    keys, docs = row.predicted.per_returned()
    observed = ""
    if row.observed is not None:
        seen = row.observed
        observed = (f"; the local server's explain of it: {seen.keys} keys, {seen.docs} documents for "
                    f"{seen.returned} in the cells (before the distance and each seller's own radius)")
    report.say(f"near + category + date ({data.BUYER_RADIUS_KM} km around central Madrid, {row.matches} matches): "
               f"by MongoDB's rules the page's find on the cells reads keys/returned {keys:.1f}, "
               f"docs/returned {docs:.1f} "
               f"({row.predicted.keys} keys, {row.predicted.docs} documents, {row.predicted.returned} returned)"
               f"{observed}; the category counts read the {row.in_cells} listed services in the cells "
               f"({row.within_radius} within the radius)")


def _print_plans(report: Report, rows: list[scaling.PlanRow]) -> None:
    report.say("| combination | plan (server, unhinted) | server's index | matches | server keys/match "
               "| server docs/match | returned | MongoDB keys/returned | MongoDB docs/returned |")
    report.say("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        keys_m = row.observed.keys / max(row.matches, 1)
        docs_m = row.observed.docs / max(row.matches, 1)
        keys_r, docs_r = row.predicted.per_returned()
        index = ("scan" if row.scanned else "MongoDB's" if row.on_intended_index else "led by the equality fields"
                 if row.led_by_equality else "other: " + str(row.index))
        report.say(f"| {row.label} | {row.stage} | {index} | {row.matches} | {keys_m:.2f} | {docs_m:.2f} "
                   f"| {row.predicted.returned} | {keys_r:.1f} | {docs_r:.1f} |")


# The searches the latency figure times: the local server must narrow them by an index.
TIMED_SHAPES = ("category / newest", "q / relevance", "area / newest", "seller / newest")


def _scale_targets(report: Report, rows: list[scaling.PlanRow], latency: dict, scale: Scale,
                   near_rows: list[near.NearRow]) -> None:
    report.say()
    report.say("## 3. Scale targets")
    report.say("| size | " + " | ".join(f"{q} p50 / p99 (ms)" for q in LATENCY_QUERIES) + " |")
    report.say("|---|" + "---|" * len(LATENCY_QUERIES))
    for size, by_query in latency.items():
        report.say(f"| {size} | " + " | ".join(f"{r['p50_ms']:.0f} / {r['p99_ms']:.0f}" for r in by_query.values())
                   + " |")
    for row in near_rows:
        keys, docs = row.predicted.per_returned()
        report.say(f"near + category + date at {row.size}: by MongoDB's rules keys/returned {keys:.1f}, "
                   f"docs/returned {docs:.1f} (the category's listed services within the buyer's "
                   f"{data.BUYER_RADIUS_KM} km are read by grid cell from the index led by the category and the "
                   "matches sorted in memory: it grows with the category's density around the buyer, not with the "
                   "catalog)")
    off = [f"{r.label} at {r.size}" for r in rows if r.label in TIMED_SHAPES and (r.scanned or not r.led_by_equality)]
    report.target(not off, "on the local server, the timed searches (category, keyword, area, seller) run on an index "
                           "led by their equality fields, unhinted" + (f" (off: {', '.join(off)})" if off else ""))
    scanned = sorted({r.label for r in rows if r.scanned})
    report.say("the local server's planner scans for filters wider than an index's leading fields (MongoDB's uses "
               "the driver's index): " + (", ".join(scanned) if scanned else "none"))
    wasted = [r for r in rows if not r.label.startswith("facets") and not r.scanned
              and max(r.observed.keys, r.observed.docs) > max(r.matches, 1) * 1.05]
    report.target(not wasted, "on the local server, where an index serves, keys and documents examined per match "
                              "stay near 1" + (f" (over: {', '.join(r.label for r in wasted)})" if wasted else ""))
    page_rows = [r for r in rows if not r.label.startswith("facets")]
    worst_docs: dict[str, float] = {}
    worst_keys: dict[str, float] = {}
    for row in page_rows:
        keys, docs = row.predicted.per_returned()
        if docs > NEAR_ONE:
            worst_docs[row.label] = max(worst_docs.get(row.label, 0.0), docs)
        if keys > NEAR_ONE:
            worst_keys[row.label] = max(worst_keys.get(row.label, 0.0), keys)
    sizes = ", ".join(map(str, scale.sizes))
    report.target(not worst_docs, f"by MongoDB's rules, documents fetched per returned document <= {NEAR_ONE:g} for "
                                  f"every documented combination at {sizes}" + (
                      "; over it (worst size): " + "; ".join(f"{label} ({d:.1f})" for label, d in
                                                             sorted(worst_docs.items())) if worst_docs else ""))
    ranked = [label for label in worst_keys if "relevance" in label]
    bounded = [label for label in worst_keys if label not in ranked]
    reasons = []
    if bounded:
        reasons.append("a price range, min_rating or price_model checked on index keys after the sort keys (ESR) "
                       "reads 1 / its selectivity keys per result but fetches only results; near 1 would need an "
                       "index per combination: " + "; ".join(f"{label} ({worst_keys[label]:.1f})"
                                                            for label in sorted(bounded)))
    if ranked:
        reasons.append("relevance over several keywords ranks every match in memory (MongoDB's $text would too: "
                       "it scores every match before sorting; one keyword walks the index newest first): "
                       + "; ".join(f"{label} ({worst_keys[label]:.1f})" for label in sorted(ranked)))
    report.target(not worst_keys, f"by MongoDB's rules, index keys read per returned document <= {NEAR_ONE:g} for "
                                  f"every documented combination at {sizes}" + (
                      "; over it, by design (worst size): " + ". ".join(reasons) if reasons else ""))


def write_results(report: Report, started: datetime, facts: str, seconds: float, argv: list[str]) -> None:
    passed = sum(1 for ok, _ in report.targets if ok)
    text = [f"# Benchmark results ({started:%Y-%m-%d %H:%M} UTC)", "",
            f"`{' '.join(['make bench'] + argv)}` on {facts}; took {seconds / 60:.1f} min. "
            f"Targets: {passed} of {len(report.targets)} pass.", "",
            "## Targets", "", *[f"- **{'PASS' if ok else 'FAIL'}** {t}" for ok, t in report.targets], "",
            "## Figures", "", *report.lines, ""]
    RESULTS.write_text("\n".join(text))


def _sections(raw: str) -> tuple[str, ...]:
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = wanted - set(SECTIONS)
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"expected sections of {', '.join(SECTIONS)}, got {raw!r}")
    return tuple(section for section in SECTIONS if section in wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the marketplace: ratios in one run.")
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs (CI)")
    parser.add_argument("--no-write", action="store_true", help="do not overwrite bench/RESULTS.md")
    parser.add_argument("--near-only", action="store_true",
                        help="only the near + category + date figure and the category search beside it "
                             "(default size 10000; never writes bench/RESULTS.md)")
    parser.add_argument("--only", type=_sections, default=SECTIONS, metavar="SECTION[,SECTION]",
                        help=f"run only these sections, of {', '.join(SECTIONS)}; bench/RESULTS.md keeps the "
                             "last whole run")
    args = parser.parse_args(argv)
    if args.near_only:
        os.environ.setdefault("BENCH_SIZES", "10000")
    scale = scale_of(args.quick)
    report = Report()
    started = datetime.now(UTC)
    report.say(f"# make bench: {started:%Y-%m-%d %H:%M} UTC, sizes {', '.join(map(str, scale.sizes))}")
    facts = machine()
    report.say(f"machine: {facts}")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        if args.near_only:
            run_near_only(scale, report, Path(workdir))
            print(f"took {(time.perf_counter() - began) / 60:.1f} min (bench/RESULTS.md left as it is)")
            return 0
        run(scale, report, Path(workdir), args.only)
    seconds = time.perf_counter() - began
    report.say()
    report.say(f"{sum(ok for ok, _ in report.targets)} of {len(report.targets)} targets pass; "
               f"took {seconds / 60:.1f} min")
    if not args.no_write and args.only == SECTIONS:
        write_results(report, started, facts, seconds, sys.argv[1:] if argv is None else argv)
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
