"""The figures of `make bench` other than scaling (bench/scaling.py). Each returns plain numbers;
bench/__main__.py turns them into the table, the targets and bench/RESULTS.md."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from injector import Module, provider, singleton
from pymongo import monitoring

from adapters.inbound.catalog.schemas import SearchPageSchema
from adapters.inbound.catalog.search_json import search_page
from adapters.inbound.http.hardening import close_rate_limit_store
from adapters.outbound.accounts.argon2_hasher import Argon2PasswordHasher
from adapters.outbound.catalog.mongo_repositories import (
    SERVICE_PROJECTION,
    MongoServiceRepository,
    _search_filter,
    service_from_raw,
)
from adapters.outbound.catalog.query_shapes import SORT_KEYS
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.payments.in_memory import InMemoryPaymentGateway
from application.catalog.search import ServiceSearch
from application.catalog.use_cases import SearchServices
from application.orders.payment_gateway import PaymentGateway
from application.shared.pagination import PageRequest
from bench.data import Sample
from bench.stack import Stack, http_json, load
from bootstrap import create_app
from config import Settings
from domain.catalog.categories import CATEGORIES

PASSWORD = "bench-password-1"
SEARCH_PAGE = "/services?page_size=20&sort=newest"
# OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1 is the minimum it asks.
OWASP_ARGON2 = {"memory_kib": 19_456, "time_cost": 2, "parallelism": 1}


def _service_body(n: int, price_model: str = "fixed") -> dict[str, Any]:
    return {"title": f"Reparación número {n}", "description": "Reparo fugas, grifos y cisternas.",
            "category": "plumbing", "price_model": price_model,
            "price": None if price_model == "quote" else {"amount": 4_500 + n, "currency": "EUR"},
            "duration_minutes": 60, "service_areas": ["Madrid", "28001"], "tags": ["grifos"]}


def _sign_up(request, role: str) -> tuple[dict[str, str], str]:
    """Register and sign in through the API; ``request(method, path, body, headers)`` -> (status, json)."""
    email = f"{role}-{uuid.uuid4().hex[:10]}@bench.example.com"
    status, body = request("POST", "/auth/register", {"email": email, "password": PASSWORD,
                                                      "display_name": f"Bench {role}", "role": role}, None)
    assert status == 201, body
    status, tokens = request("POST", "/auth/login", {"email": email, "password": PASSWORD}, None)
    assert status == 200, tokens
    return {"Authorization": f"Bearer {tokens['access_token']}"}, body["id"]


def _seller_with_services(request, count: int, *, quote_service: bool = False) -> tuple[dict, str, list[str]]:
    headers, seller_id = _sign_up(request, "seller")
    status, body = request("PUT", "/me/seller-profile", {"display_name": "Bench Fontanería",
                                                          "headline": "Fontanero", "service_areas": ["Madrid"]},
                           headers)
    assert status == 200, body
    ids = []
    for n in range(count):
        status, body = request("POST", "/services", _service_body(n, "quote" if quote_service and n == 0 else "fixed"),
                               headers)
        assert status == 201, body
        ids.append(body["id"])
    return headers, seller_id, ids


# --- 1. Framework ceiling --------------------------------------------------------------------
@dataclass(frozen=True)
class Ceiling:
    trivial_rps: list[float]
    search_rps: list[float]
    trivial_p50_ms: float
    search_p50_ms: float
    errors: int

    @property
    def ratio(self) -> float:
        return statistics.median(self.search_rps) / statistics.median(self.trivial_rps)


def framework_ceiling(stack: Stack, *, rounds: int, duration: float, concurrency: int, services: int = 40) -> Ceiling:
    """One gunicorn worker (the in-memory catalog lives in one process, seeded through the API);
    the trivial endpoint and the search alternate, so drift on a shared machine hits both."""
    with stack.api("bench_ceiling", CATALOG_STORE="memory", WEB_CONCURRENCY="1") as port:
        _seller_with_services(lambda m, p, b, h: http_json(port, m, p, b, h), services)
        status, page = http_json(port, "GET", SEARCH_PAGE)
        assert status == 200 and len(page["items"]) == 20, page  # type: ignore[index]
        trivial, search = [], []
        for _ in range(rounds):
            trivial.append(load(port, ["/health/live"], concurrency=concurrency, duration=duration))
            search.append(load(port, [SEARCH_PAGE], concurrency=concurrency, duration=duration))
    return Ceiling([r["rps"] for r in trivial], [r["rps"] for r in search],
                   statistics.median(r["p50_ms"] for r in trivial), statistics.median(r["p50_ms"] for r in search),
                   sum(r["errors"] for r in trivial + search))


@dataclass(frozen=True)
class SearchCost:
    trivial_ms: float
    search_ms: float
    dump_ms: float         # SearchPageSchema().dump of the page: what the route did until it built the body itself
    body_ms: float         # search_json.search_page of the same page: what the route does now
    trivial_cpu_ms: float  # the same requests in this thread's CPU time: on a loaded machine a request
    search_cpu_ms: float   # longer than a scheduler slice waits for other processes, which wall time counts


def search_cost_in_process(mongo_url: str, *, repetitions: int, services: int = 40) -> SearchCost:
    """Where a search request's time goes, without HTTP or gunicorn: the Flask test client on the
    same app (catalog in memory), and of that the response schema's dump of the page."""
    settings = Settings(mongodb_uri=mongo_url, mongodb_db="bench_in_process", catalog_store="memory",
                        kafka_bootstrap_servers="127.0.0.1:1")
    app = create_app(settings)
    client = app.test_client()
    try:
        def request(method: str, path: str, body: object, headers: dict | None):
            response = client.open(path, method=method, json=body, headers=headers or {})
            return response.status_code, response.get_json(silent=True)

        _seller_with_services(request, services)
        with app.app_context():
            result = app.extensions["injector"].get(SearchServices).execute(
                ServiceSearch.build(sort="newest"), PageRequest(1, 20))
        body = {"items": result.page.items, "facets": {"categories": [
            {"slug": c.slug, "name_es": c.name_es, "name_en": c.name_en,
             "count": result.category_counts.get(c.slug, 0)} for c in CATEGORIES]}}
        schema = SearchPageSchema()
        hits = [(s, None) for s in result.page.items]

        actions = (lambda: client.get("/health/live"), lambda: client.get(SEARCH_PAGE), lambda: schema.dump(body),
                   lambda: search_page(hits, result.category_counts, ""))
        times: list[list[float]] = [[] for _ in actions]
        cpu: list[list[float]] = [[] for _ in actions]
        for _ in range(repetitions):  # interleaved, so a busy moment of the machine hits all of them
            for action, samples, cpu_samples in zip(actions, times, cpu, strict=True):
                began, began_cpu = time.perf_counter(), time.thread_time()
                action()
                cpu_samples.append(time.thread_time() - began_cpu)
                samples.append(time.perf_counter() - began)
        trivial, search, dump, fast = (statistics.median(samples) * 1000 for samples in times)
        return SearchCost(trivial, search, dump, fast, statistics.median(cpu[0]) * 1000,
                          statistics.median(cpu[1]) * 1000)
    finally:
        # While the server is up: left to the exit, closing it waits for a server that is gone.
        close_rate_limit_store(app)
        disconnect()


# --- 2. Adapter overhead ---------------------------------------------------------------------
@dataclass(frozen=True)
class AdapterOverhead:
    adapter_ms: float
    raw_ms: float
    mapping_ms: float  # service_from_raw over the page's 20 projected documents, no database
    ratio: float       # adapter / raw
    services: int      # in the collection
    repetitions: int
    label: str


def adapter_overhead(mongo_url: str, db: str, sample: Sample, *, repetitions: int) -> AdapterOverhead:
    """The adapter's find_page (projection, mapping to entities) against a raw pymongo find of
    the same filter, sort and limit (unhinted, like the adapter) returning raw documents, alternated."""
    connection = MongoConnection(mongo_url, db)
    try:
        repository = MongoServiceRepository()
        search = ServiceSearch.build(q=sample.topic, sort="newest")
        page = PageRequest(1, 20)
        collection = connection.db["services"]
        query = _search_filter(search)  # the adapter's own filter: the keys a word is found by

        def raw() -> list[dict]:
            return list(collection.find(query).sort(list(SORT_KEYS[search.sort])).limit(20))

        mapped = repository.find_page(search, page)
        assert [s.id for s in mapped] == [d["_id"] for d in raw()] and len(mapped) == 20, "not the same page"
        projected = list(collection.find(query, SERVICE_PROJECTION).sort(list(SORT_KEYS[search.sort])).limit(20))
        mapping_times = []
        for _ in range(repetitions):
            began = time.perf_counter()
            [service_from_raw(d) for d in projected]
            mapping_times.append(time.perf_counter() - began)
        adapter_times, raw_times = [], []
        for _ in range(repetitions):
            began = time.perf_counter()
            repository.find_page(search, page)
            adapter_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            raw()
            raw_times.append(time.perf_counter() - began)
        # The median of paired ratios: a busy moment of the machine lands on both halves of a pair.
        ratio = statistics.median(a / r for a, r in zip(adapter_times, raw_times, strict=True))
        return AdapterOverhead(statistics.median(adapter_times) * 1000, statistics.median(raw_times) * 1000,
                               statistics.median(mapping_times) * 1000, ratio, collection.count_documents({}),
                               repetitions, f"q={sample.topic} sort=newest")
    finally:
        disconnect()


# --- 4. Round trips --------------------------------------------------------------------------
class CommandCounter(monitoring.CommandListener):
    """Counts the database commands this process sends, by name, while ``counting``."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.counting = False
        self._lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.counting:
            with self._lock:
                self.counts[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def measure(self, action) -> tuple[int, dict[str, int]]:
        self.counts.clear()
        self.counting = True
        try:
            action()
        finally:
            self.counting = False
        return sum(self.counts.values()), dict(self.counts)


_COUNTER: list[CommandCounter] = []


def _command_counter() -> CommandCounter:
    """One listener per process, registered before create_app builds the client (pymongo reads
    the global listeners then, and has no way to unregister); it counts only inside measure()."""
    if not _COUNTER:
        _COUNTER.append(CommandCounter())
        monitoring.register(_COUNTER[0])
    return _COUNTER[0]


class InMemoryGatewayModule(Module):
    """Orders reach a payment gateway at booking; the bench has no Square, so the gateway is the
    in-memory one the tests use. Everything else is the real wiring on MongoDB."""

    @singleton
    @provider
    def gateway(self) -> PaymentGateway:
        return InMemoryPaymentGateway()


@dataclass(frozen=True)
class RoundTrips:
    profile: dict[int, tuple[int, dict[str, int]]]  # services -> (commands, by name)
    order: dict[int, tuple[int, dict[str, int]]]    # timeline entries -> (commands, by name)


def round_trips(mongo_url: str, sizes: tuple[int, ...] = (1, 50)) -> RoundTrips:
    """GET /sellers/{id} and GET /orders/{id} through the whole app (Flask test client, real
    MongoDB adapters), counting every command the request sends."""
    counter = _command_counter()
    settings = Settings(mongodb_uri=mongo_url, mongodb_db="bench_round_trips", kafka_bootstrap_servers="127.0.0.1:1",
                        square_base_url="http://127.0.0.1:1")
    app = create_app(settings, extra_modules=[InMemoryGatewayModule()])
    client = app.test_client()

    def request(method: str, path: str, body: object, headers: dict | None):
        response = client.open(path, method=method, json=body, headers=headers or {})
        return response.status_code, response.get_json(silent=True)

    try:
        profile, order = {}, {}
        buyer, _ = _sign_up(request, "buyer")
        for size in sizes:
            seller, seller_id, ids = _seller_with_services(request, size, quote_service=True)
            status, _body = request("PUT", "/me/availability", {"time_zone": "Europe/Madrid", "weekly_hours": [
                {"weekday": day, "start": "08:00", "end": "20:00"} for day in ("monday", "tuesday", "wednesday",
                                                                               "thursday", "friday")]}, seller)
            assert status == 200, _body
            profile[size] = _measured(counter, request, f"/sellers/{seller_id}", None,
                                      lambda body, n=size: len(body["services"]) == n)
            order_id = _order_with_timeline(request, buyer, seller, ids[0], size)
            order[size] = _measured(counter, request, f"/orders/{order_id}", buyer,
                                    lambda body, n=size: len(body["order"]["timeline"]) == n)
        return RoundTrips(profile, order)
    finally:
        close_rate_limit_store(app)
        disconnect()


def _measured(counter: CommandCounter, request, path: str, headers, check) -> tuple[int, dict[str, int]]:
    result: dict[str, Any] = {}

    def call() -> None:
        result["status"], result["body"] = request("GET", path, None, headers)

    measured = counter.measure(call)
    assert result["status"] == 200 and check(result["body"]), (path, result)
    return measured


def _order_with_timeline(request, buyer: dict, seller: dict, quote_service_id: str, entries: int) -> str:
    """A quote request (1 timeline entry), then the seller revises the quote until ``entries``."""
    start = _next_weekday_slot()
    status, body = request("POST", f"/services/{quote_service_id}/quote-requests",
                           {"start": start, "address": "Calle Mayor 1", "message": "tres grifos"},
                           {**buyer, "Idempotency-Key": uuid.uuid4().hex})
    assert status == 201, body
    order_id = body["order"]["id"]
    for revision in range(1, entries):
        status, body = request("POST", f"/orders/{order_id}/quote",
                               {"price": {"amount": 10_000 + revision, "currency": "EUR"}, "message": "materiales"},
                               {**seller, "Idempotency-Key": uuid.uuid4().hex})
        assert status == 200, body
    return order_id


def _next_weekday_slot() -> str:
    day = datetime.now(UTC).date() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return f"{day.isoformat()}T10:00:00+01:00"


# --- 5. Support requests with the broker up and down: bench/support.py -----------------------


# --- 6. One password verification ------------------------------------------------------------
@dataclass(frozen=True)
class Argon2Cost:
    memory_kib: int
    time_cost: int
    parallelism: int
    verify_ms: float

    @property
    def matches_owasp(self) -> bool:
        return {"memory_kib": self.memory_kib, "time_cost": self.time_cost,
                "parallelism": self.parallelism} == OWASP_ARGON2


def argon2_cost(settings: Settings, *, repetitions: int) -> Argon2Cost:
    hasher = Argon2PasswordHasher(memory_kib=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost,
                                  parallelism=settings.argon2_parallelism)
    hashed = hasher.hash(PASSWORD)
    times = []
    for _ in range(repetitions):
        began = time.perf_counter()
        assert hasher.verify(hashed, PASSWORD)
        times.append(time.perf_counter() - began)
    return Argon2Cost(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism,
                      statistics.median(times) * 1000)
