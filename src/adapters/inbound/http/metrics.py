"""Prometheus metrics at ``/metrics`` (not in the OpenAPI document, not rate-limited), for the
scraper only: with METRICS_TOKEN set a scrape must bring ``Authorization: Bearer <token>``; without
it they are served only outside production (the local stack), and never in production.

Under gunicorn every worker is a process with its own counters; with PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py does it) prometheus-client writes them to files there and a scrape of any
worker adds them all up. Gauges another context computes on demand (outbox backlog, consumer lag)
are registered with ``register_gauge_callback`` and read at scrape time by the worker answering.
"""

from __future__ import annotations

import functools
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from application.shared.outbox_relay import OutboxStore
from application.shared.ports import Clock, ConsumerLag

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "<unmatched>"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

GaugeValue = float | Mapping[tuple[str, ...], float]


@dataclass(frozen=True)
class _GaugeCallback:
    help: str
    read: Callable[[], GaugeValue]
    labels: tuple[str, ...]


_gauge_callbacks: dict[str, _GaugeCallback] = {}


def register_gauge_callback(name: str, help: str, read: Callable[[], GaugeValue],
                            labels: tuple[str, ...] = ()) -> None:
    """Expose ``read()`` as a gauge, computed at each scrape. Without ``labels`` it returns a
    number; with them, a mapping from label values to numbers, e.g.
    ``{("support-requests", "support-worker"): 12}`` for labels ("topic", "group").
    Registering a name again replaces the callback (an app built twice in one process)."""
    _gauge_callbacks[name] = _GaugeCallback(help, read, labels)


class _CallbackCollector:
    def collect(self) -> Iterator[Metric]:
        for name, gauge in list(_gauge_callbacks.items()):
            try:
                value = gauge.read()
            except Exception:  # a scrape must not fail because one source is down
                log.warning("gauge %s could not be read", name, exc_info=True)
                continue
            family = GaugeMetricFamily(name, gauge.help, labels=gauge.labels or None)
            if gauge.labels:
                for label_values, number in dict(value).items():  # type: ignore[arg-type]
                    family.add_metric(list(label_values), float(number))
            else:
                family.add_metric([], float(value))  # type: ignore[arg-type]
            yield family


@dataclass(frozen=True)
class HttpMetrics:
    requests: Counter
    latency: Histogram
    registry: CollectorRegistry
    multiprocess: bool


@functools.cache
def http_metrics() -> HttpMetrics:
    """Created once per process, on first use: prometheus-client keeps metrics process-wide."""
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    multiprocess = bool(metrics_dir)
    if metrics_dir:
        # A CLI worker may inherit the variable without gunicorn having made the directory.
        os.makedirs(metrics_dir, exist_ok=True)
    disable_created_metrics()  # the *_created series double every counter for no use here
    registry = CollectorRegistry()
    # In multiprocess mode the values live in files; the registry used to create the metrics
    # does not matter, the one scraped reads the files.
    metrics_registry = None if multiprocess else registry
    requests = Counter("http_requests_total", "HTTP requests answered, by method, route template and status",
                       ["method", "route", "status"], registry=metrics_registry)
    latency = Histogram("http_request_duration_seconds", "Time to answer, by method and route template",
                        ["method", "route"], buckets=_LATENCY_BUCKETS, registry=metrics_registry)
    if multiprocess:
        MultiProcessCollector(registry)
    registry.register(_CallbackCollector())  # type: ignore[arg-type]
    return HttpMetrics(requests, latency, registry, multiprocess)


def install_metrics(app: Flask, *, token: str = "", open_without_token: bool = True) -> None:
    metrics = http_metrics()
    expected = f"Bearer {token}".encode()

    @app.after_request
    def observe(response: Response) -> Response:
        if request.path == METRICS_PATH:
            return response
        # The template (/orders/<order_id>), never the concrete path: one series per route.
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
        metrics.requests.labels(request.method, route, str(response.status_code)).inc()
        started = g.get("request_started")
        if started is not None:
            metrics.latency.labels(request.method, route).observe(time.perf_counter() - started)
        return response

    def scrape() -> Response:
        # Route names, volumes, error rates and backlogs map the service for an attacker.
        if token:
            given = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return Response("a metrics token is required\n", status=401, mimetype="text/plain",
                                headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        elif not open_without_token:
            return Response("not found\n", status=404, mimetype="text/plain")
        return Response(generate_latest(metrics.registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule(METRICS_PATH, "metrics", scrape, methods=["GET"])


def register_messaging_gauges(outbox: OutboxStore, clock: Clock, lag: ConsumerLag) -> None:
    """The outbox backlog and the workers' consumer lag, read at scrape time by the process that
    answers (so they are right under gunicorn without multiprocess files)."""
    register_gauge_callback("outbox_pending_events", "Events in the outbox not yet acknowledged by Kafka",
                            lambda: outbox.backlog(clock.now())[0])
    register_gauge_callback("outbox_oldest_pending_age_seconds",
                            "Age of the oldest event waiting in the outbox (0 when none waits)",
                            lambda: outbox.backlog(clock.now())[1] or 0.0)
    register_gauge_callback("kafka_consumer_lag", "Messages on the topic the worker's consumer group has not "
                            "committed yet (high watermark minus committed offset, summed over partitions)",
                            lag.read, labels=("topic", "group"))

