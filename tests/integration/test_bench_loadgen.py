"""bench/loadgen.py against a loopback server that takes a known time per request."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import loadgen

SERVICE_SECONDS = 0.05


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's name)
        time.sleep(SERVICE_SECONDS)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _run(capsys, port: int, *extra: str) -> dict:
    loadgen.main(["--port", str(port), "--path", "/", "--concurrency", "2", "--duration", "1.5",
                  "--warmup", "0.2", "--samples", *extra])
    return json.loads(capsys.readouterr().out)


def test_closed_loop_sends_as_fast_as_the_answers_come(slow_server, capsys):
    result = _run(capsys, slow_server)
    # Each of the two clients sends its next request when the last answer is in: as many requests as
    # the measured 1.5 s holds back-to-back answers (give or take the ones in flight at the ends).
    mean_seconds = sum(result["latencies_ms"]) / len(result["latencies_ms"]) / 1000
    assert result["errors"] == 0
    assert result["requests"] == pytest.approx(2 * 1.5 / mean_seconds, rel=0.25)
    assert mean_seconds >= SERVICE_SECONDS


def test_open_loop_keeps_the_rate_and_charges_the_queue_to_the_latency(slow_server, capsys):
    result = _run(capsys, slow_server, "--rate", "10")
    assert 12 <= result["requests"] <= 17  # 10 a second for 1.5 s, not the 40 the server could take
    assert min(result["latencies_ms"]) >= SERVICE_SECONDS * 1000 * 0.9
    # Asked for more than two clients can carry (2 x 20/s): the requests queue, and the wait counts.
    behind = _run(capsys, slow_server, "--rate", "80")
    assert max(behind["latencies_ms"]) > 5 * SERVICE_SECONDS * 1000
