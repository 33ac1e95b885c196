"""Start, watch and stop local server processes, for `make run` and for test fixtures.

Every child runs in its own process group and is told by the kernel to die with its parent
(PR_SET_PDEATHSIG), so no server outlives the test session or the runner, even after a crash.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def _die_with_parent() -> None:
    os.setsid()
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ManagedProcess:
    """One server process. Output goes to a log file (tests) or to our stdout with a prefix (run)."""

    def __init__(self, name: str, argv: list[str], *, ready: Callable[[], bool], env: dict[str, str] | None = None,
                 log_path: Path | None = None, cwd: Path | None = None, ready_timeout: float = 30.0,
                 port: int | None = None) -> None:
        self.name = name
        self.port = port  # the port a server listens on, for whoever connects to it
        self.argv = argv
        self._ready = ready
        self._env = {**os.environ, **(env or {})}
        self._log_path = log_path
        self._cwd = cwd or REPO_ROOT
        self._ready_timeout = ready_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    def start(self) -> ManagedProcess:
        if self._log_path is not None:
            self._log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self._log_path, "ab")  # noqa: SIM115 - closed in stop()
            out = self._log_file
        else:
            out = subprocess.PIPE
        self.process = subprocess.Popen(self.argv, env=self._env, cwd=self._cwd, stdout=out,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
        if self._log_path is None:
            threading.Thread(target=self._echo, daemon=True).start()
        self.wait_ready()
        return self

    def _echo(self) -> None:
        assert self.process and self.process.stdout
        for line in iter(self.process.stdout.readline, b""):
            sys.stdout.write(f"{self.name:>9} | {line.decode(errors='replace')}")
            sys.stdout.flush()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self._ready_timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}; see {self._log_path or 'output'}")
            if self._ready():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready after {self._ready_timeout:.0f}s; see {self._log_path or 'output'}")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=timeout)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def kill(self) -> None:
        """SIGKILL, for fault tests: no chance to flush or say goodbye."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def restart(self) -> ManagedProcess:
        """Start again with the same command line: the same port and storage path, so clients that
        kept the address reconnect to it. The log is appended to, after a marker line."""
        self.stop()
        if self._log_path is not None:
            with open(self._log_path, "ab") as log:
                log.write(f"---- {self.name} restarted ----\n".encode())
        # The old socket may linger briefly in the kernel after a SIGKILL.
        deadline = time.monotonic() + 10
        while self.port is not None and port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.start()


@contextlib.contextmanager
def running(*processes: ManagedProcess) -> Iterator[None]:
    started: list[ManagedProcess] = []
    try:
        for process in processes:
            started.append(process.start())
        yield
    finally:
        for process in reversed(started):
            process.stop()
