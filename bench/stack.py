"""The stack a benchmark runs on, on loopback: the MongoDB-compatible server, the Kafka broker,
gunicorn with the project's gunicorn.conf.py, the outbox relay, and the load generator process.
Everything started here is stopped by the context managers, even when a figure fails."""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from devtools.localstack import app_environment
from devtools.processes import REPO_ROOT, ManagedProcess, free_port
from devtools.services import kafka_broker, mongo_server, mongo_uri


@dataclass
class Stack:
    workdir: Path
    mongo: ManagedProcess
    mongo_port: int
    kafka: ManagedProcess
    kafka_port: int
    started: list[ManagedProcess] = field(default_factory=list)

    @property
    def mongo_url(self) -> str:
        return mongo_uri(self.mongo_port)

    @property
    def kafka_servers(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    def environment(self, db: str, **extra: str) -> dict[str, str]:
        env = app_environment()
        env.update({"MONGODB_URI": self.mongo_url, "MONGODB_DB": db, "KAFKA_BOOTSTRAP_SERVERS": self.kafka_servers,
                    "APP_ENV": "development", **extra})
        return env

    def start(self, process: ManagedProcess) -> ManagedProcess:
        self.started.append(process.start())
        return process

    def stop(self, process: ManagedProcess) -> None:
        process.stop()
        if process in self.started:
            self.started.remove(process)

    @contextlib.contextmanager
    def api(self, db: str, **extra: str) -> Iterator[int]:
        """gunicorn with the project's configuration; yields its port once a worker answers."""
        port = free_port()
        env = self.environment(db, BIND=f"127.0.0.1:{port}", **extra)
        process = ManagedProcess("api", [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "gunicorn.conf.py")],
                                 env=env, ready=lambda: http_status(port, "/health/live") == 200,
                                 log_path=self.workdir / "logs" / f"api-{port}.log", ready_timeout=90)
        self.start(process)
        try:
            yield port
        finally:
            self.stop(process)

    @contextlib.contextmanager
    def outbox_relay(self, db: str) -> Iterator[ManagedProcess]:
        env = self.environment(db)
        process = ManagedProcess("relay", [sys.executable, "-m", "flask", "outbox-relay"], env=env,
                                 ready=lambda: True, log_path=self.workdir / "logs" / "relay.log")
        self.start(process)
        try:
            yield process
        finally:
            self.stop(process)


@contextlib.contextmanager
def stack(workdir: Path) -> Iterator[Stack]:
    mongo_port, kafka_port = free_port(), free_port()
    logs = workdir / "logs"
    mongo = mongo_server(mongo_port, workdir / "mongo", log_path=logs / "mongodb.log")
    kafka = kafka_broker(kafka_port, log_path=logs / "kafka.log")
    running = Stack(workdir, mongo, mongo_port, kafka, kafka_port)
    try:
        running.start(mongo)
        running.start(kafka)
        yield running
    finally:
        for process in reversed(running.started):
            process.stop()


def http_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def http_json(port: int, method: str, path: str, body: object | None = None,
              headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload,
                           headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)
    finally:
        connection.close()


def load(port: int, paths: list[str], *, concurrency: int, duration: float, warmup: float = 1.0,
         method: str = "GET", body: object | None = None, headers: dict[str, str] | None = None,
         samples: bool = False, rate: float = 0.0) -> dict:
    """Drive load from a separate process (bench.loadgen) and return its figures; ``rate`` > 0 is
    an open loop at that many requests per second."""
    argv = [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--concurrency", str(concurrency),
            "--duration", str(duration), "--warmup", str(warmup), "--method", method, "--rate", str(rate)]
    for path in paths:
        argv += ["--path", path]
    for name, value in (headers or {}).items():
        argv += ["--header", f"{name}: {value}"]
    if body is not None:
        argv += ["--body", json.dumps(body)]
    if samples:
        argv.append("--samples")
    done = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                          timeout=duration + warmup + 1800)
    return json.loads(done.stdout)
