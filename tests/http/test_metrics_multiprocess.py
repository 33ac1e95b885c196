"""Under gunicorn each worker is a process; with PROMETHEUS_MULTIPROC_DIR (set by gunicorn.conf.py)
a scrape of any of them reports the sum. Checked with real processes sharing one directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import sys
from bootstrap import create_app
from tests.conftest import test_settings
from tests.fakes import FakesModule
client = create_app(test_settings(), extra_modules=[FakesModule()]).test_client()
for _ in range(int(sys.argv[1])):
    client.get("/health/live")
if sys.argv[2] == "scrape":
    print(client.get("/metrics").get_data(as_text=True))
"""


def run_worker(metrics_dir: Path, requests: int, scrape: bool) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", WORKER, str(requests), "scrape" if scrape else "-"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_a_scrape_of_one_worker_adds_up_every_workers_requests(tmp_path):
    metrics_dir = tmp_path / "prometheus"
    run_worker(metrics_dir, 3, scrape=False)
    run_worker(metrics_dir, 4, scrape=False)
    text = run_worker(metrics_dir, 0, scrape=True)
    line = next(line for line in text.splitlines()
                if line.startswith('http_requests_total{method="GET",route="/health/live",status="200"}'))
    assert float(line.rsplit(" ", 1)[1]) == 7
