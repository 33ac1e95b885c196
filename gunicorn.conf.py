"""gunicorn settings. Threaded workers: the app is I/O bound (MongoDB, Square, Kafka)."""

import multiprocessing
import os

wsgi_app = "bootstrap:wsgi_app()"
pythonpath = "src"
bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 10
keepalive = 5
accesslog = "-"
errorlog = "-"
# Build the app in each worker, after the fork: MongoDB clients must not be shared across a fork.
preload_app = False
