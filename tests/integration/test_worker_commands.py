"""The worker commands `make run` starts: they come up, and stop cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from devtools.processes import REPO_ROOT

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("command", ["outbox-relay", "support-worker", "notifications-worker", "erasure-worker",
                                     "email-worker"])
def test_a_worker_runs_until_sigterm_and_exits_cleanly(command, mongo_url, kafka_servers, tmp_path):
    env = {**os.environ, "FLASK_APP": "bootstrap:create_app", "MONGODB_URI": mongo_url,
           "MONGODB_DB": "worker_commands", "KAFKA_BOOTSTRAP_SERVERS": kafka_servers,
           "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_HEARTBEAT_INTERVAL_MS": "500",
           "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)])}
    log = tmp_path / f"{command}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "flask", command], env=env, cwd=REPO_ROOT, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while ": running" not in log.read_text():
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0, log.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    assert ": stopped" in log.read_text()
