"""ManagedProcess.kill and restart, as the fault runs use them: SIGKILL, then the same command on
the same port, with the log kept and marked."""

from __future__ import annotations

import sys

import pytest

from devtools.processes import ManagedProcess, free_port, port_open

pytestmark = pytest.mark.integration


def test_a_killed_server_comes_back_on_its_port_with_its_log_marked(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    server = ManagedProcess("http", [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            ready=lambda: port_open(port), log_path=log, port=port)
    server.start()
    try:
        first_pid = server.process.pid
        server.kill()
        assert not server.running and not port_open(port)

        server.restart()

        assert server.running and server.process.pid != first_pid and port_open(port)
        assert "---- http restarted ----" in log.read_text()
    finally:
        server.stop()
    assert not server.running
