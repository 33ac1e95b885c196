"""The whole marketplace on free ports and throw-away storage, for the web front end's end-to-end tests.

Prints one JSON line with the URLs once everything is ready, then runs until SIGTERM (or its parent dies:
every server is a ManagedProcess), and stops every server it started, even when start-up fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools.processes import ManagedProcess, free_port


def _die_with_parent() -> None:
    """The test runner that started us may be killed outright; SIGTERM then reaches us and we stop the rest."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def main() -> int:
    _die_with_parent()
    ports = {name: free_port() for name in ("API_PORT", "LOCAL_MONGO_PORT", "LOCAL_KAFKA_PORT", "LOCAL_SQUARE_PORT",
                                            "WEB_PORT", "LOCAL_SMTP_PORT")}
    os.environ.update({name: str(port) for name, port in ports.items()})
    os.environ["CORS_ALLOWED_ORIGINS"] = f"http://127.0.0.1:{ports['WEB_PORT']}"
    # Every browser of the tests signs in from 127.0.0.1 through the front end's server: one address
    # for all the test users, so the per-address sign-in limit is raised for this stack only.
    os.environ.setdefault("RATE_LIMIT_AUTH", "1000/minute")
    # The walk books the next free slot and then works the job at once, on the seller's job board; a
    # job starts two hours before its slot in the product (a rule the domain and HTTP tests prove).
    os.environ.setdefault("EARLIEST_START_BEFORE_SLOT", str(60 * 24 * 3600))
    # The front end's server names each person's address to the API, signed (issue #20, item 1). The tests
    # play the proxy in front of it (one hop): a browser's own address is 127.0.0.1, and e2e/security.test.mjs
    # names others in X-Forwarded-For to show each address gets its own budget.
    os.environ.setdefault("WEB_PROXY_SECRET", secrets.token_hex(32))
    os.environ.setdefault("WEB_TRUSTED_PROXY_HOPS", "1")
    # localstack reads its ports from the environment when imported.
    from config import load_settings
    from devtools import localstack
    from devtools.services import kafka_broker, mail_server, mongo_server, square_standin

    root = Path(tempfile.mkdtemp(prefix="e2e-stack-"))
    env = localstack.app_environment()
    settings = load_settings(env)
    started: list[ManagedProcess] = []
    clean = False
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        for process in (mongo_server(ports["LOCAL_MONGO_PORT"], ":memory:", log_path=root / "mongodb.log"),
                        kafka_broker(ports["LOCAL_KAFKA_PORT"], log_path=root / "kafka.log"),
                        # Not localstack's square_process: its state file in var/ belongs to `make run`.
                        square_standin(ports["LOCAL_SQUARE_PORT"], webhook_url=settings.square_webhook_notification_url,
                                       signature_key=settings.square_webhook_signature_key,
                                       application_id=settings.square_application_id,
                                       application_secret=settings.square_application_secret,
                                       log_path=root / "square.log"),
                        # The email worker's mail lands here; the tests read received.jsonl (password reset).
                        mail_server(ports["LOCAL_SMTP_PORT"], root / "mail", log_path=root / "smtp.log")):
            started.append(process.start())
        subprocess.run(localstack.flask_command("seed-demo"), env=env, check=True, cwd=localstack.REPO_ROOT,
                       stdout=subprocess.DEVNULL)
        for process in [*localstack.worker_processes(env), localstack.web_process(env)]:
            process._log_path = root / f"{process.name}.log"  # noqa: SLF001 - quiet: stdout carries the JSON
            started.append(process.start())
        print(json.dumps({"api": f"http://127.0.0.1:{ports['API_PORT']}",
                          "web": f"http://127.0.0.1:{ports['WEB_PORT']}",
                          "square": f"http://127.0.0.1:{ports['LOCAL_SQUARE_PORT']}", "logs": str(root),
                          "maildir": str(root / "mail")}), flush=True)
        while all(process.running for process in started):
            time.sleep(0.5)
        print(f"stopped unexpectedly: {[p.name for p in started if not p.running]}; logs in {root}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        clean = True
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"could not start the stack: {error}; logs in {root}", file=sys.stderr)
        return 1
    finally:
        for process in reversed(started):
            process.stop()
        if clean:  # the logs are kept when something went wrong
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
