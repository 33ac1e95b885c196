"""gunicorn settings. Threaded workers: the app is I/O bound (MongoDB, Square, Kafka)."""

import glob
import multiprocessing
import os
import tempfile

wsgi_app = "bootstrap:wsgi_app()"
pythonpath = "src"
bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 10
keepalive = 5
# The app writes one JSON line per request (with its request id); gunicorn's own would repeat it.
accesslog = None
errorlog = "-"
# Build the app in each worker, after the fork: MongoDB clients must not be shared across a fork.
preload_app = False

# Prometheus multiprocess mode: each worker writes its metrics to files in this directory and a
# scrape of any worker adds them all up. Set here, in the master, so every forked worker sees it.
METRICS_DIR = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                                    os.path.join(tempfile.gettempdir(), "marketplace-prometheus"))


def on_starting(server):
    # Files from a previous run would be added to this run's counters.
    os.makedirs(METRICS_DIR, exist_ok=True)
    for path in glob.glob(os.path.join(METRICS_DIR, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# gunicorn's own lines (worker boots, timeouts) in the same JSON shape as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "adapters.inbound.http.logs.JsonFormatter"}},
    # Named like gunicorn's defaults, which its root and access loggers refer to.
    "handlers": {name: {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
                 for name in ("console", "error_console")},
    "loggers": {"gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False}},
}
