"""The load generator, run as its own process so it never shares a GIL with the server it measures.

Closed loop by default: each client thread keeps one keep-alive connection and sends its next
request as soon as the previous answer arrives (the server's ceiling). With ``--rate`` it is an
open loop: requests are due at a fixed total rate, spread over the clients, and each latency runs
from when its request was due, so a server that falls behind is charged for the queue it causes
(no coordinated omission). Requests that finish during the warm-up are not counted.
Prints one JSON line: requests, errors, statuses, seconds, rps, p50_ms, p99_ms.

    python -m bench.loadgen --port 8000 --path /health/live --concurrency 8 --duration 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from collections import Counter


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; with few samples p99 is the slowest one, which is what it means."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class Client(threading.Thread):
    def __init__(self, args: argparse.Namespace, index: int, start_at: float, measure_from: float,
                 stop_at: float) -> None:
        super().__init__(daemon=True)
        self.args = args
        self.index = index
        self.start_at, self.measure_from, self.stop_at = start_at, measure_from, stop_at
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.errors = 0

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.args.host, self.args.port, timeout=self.args.timeout)

    def run(self) -> None:
        body = self.args.body.encode() if self.args.body else None
        headers = dict(h.split(": ", 1) for h in self.args.header)
        if body is not None:
            headers.setdefault("Content-Type", "application/json")
        paths = self.args.path
        connection = self._connect()
        n = self.index
        rate, clients = self.args.rate, self.args.concurrency
        sent = 0
        while time.perf_counter() < self.stop_at:
            path = paths[n % len(paths)]
            n += 1
            if rate:
                # This client's share of a fixed schedule: requests index, index + clients, ...
                began = self.start_at + (sent * clients + self.index) / rate
                sent += 1
                if began >= self.stop_at:
                    break
                wait = began - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            else:
                began = time.perf_counter()
            try:
                connection.request(self.args.method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = self._connect()
                status = 0
            took = time.perf_counter() - began
            if began >= self.measure_from:
                self.statuses[status] += 1
                if 200 <= status < 300:
                    self.latencies.append(took)
                else:
                    self.errors += 1
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", required=True, help="repeat to cycle through several")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default=None)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds measured, after the warm-up")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="open loop: total requests per second, spread over the clients (0: closed loop)")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--samples", action="store_true",
                        help="also print every latency (ms), so rounds can be pooled before taking percentiles")
    args = parser.parse_args(argv)

    start_at = time.perf_counter()
    measure_from = start_at + args.warmup
    stop_at = measure_from + args.duration
    clients = [Client(args, i, start_at, measure_from, stop_at) for i in range(args.concurrency)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    # Requests still in flight at stop_at finish and count: on a slow server that is most of them.
    elapsed = max(time.perf_counter(), stop_at) - measure_from
    latencies = [x for c in clients for x in c.latencies]
    statuses: Counter[int] = Counter()
    for client in clients:
        statuses.update(client.statuses)
    result = {
        "requests": len(latencies), "errors": sum(c.errors for c in clients),
        "statuses": {str(k): v for k, v in sorted(statuses.items())}, "seconds": round(elapsed, 3),
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
    }
    if args.samples:
        result["latencies_ms"] = [round(x * 1000, 3) for x in latencies]
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
