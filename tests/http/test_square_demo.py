"""Demo sellers' Square connections across repeated `flask seed-demo` runs (every `make run` seeds)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.payments.connection import ConnectionStatus

DEMO_SELLERS = ("carlos-plumber", "elena-cleaning", "jorge-electric", "marta-garden")


def square_lines(output: str) -> dict[str, str]:
    lines = [line.split(None, 2)[1:] for line in output.splitlines() if line.strip().startswith("square ")]
    return {email.split("@")[0]: outcome.strip() for email, outcome in lines}


def test_seeding_again_leaves_connected_sellers_alone_without_calling_square(app, fakes):
    for name in DEMO_SELLERS:  # the stand-in's pre-issued code-flow tokens, reusable
        fakes.square_oauth.refresh_tokens[f"sandbox-demo-refresh-{name}"] = f"DEMO-{name.upper()}"
    runner = app.test_cli_runner()
    first = square_lines(runner.invoke(args=["seed-demo"]).output)
    assert all(outcome.startswith("connected (DEMO-") for outcome in first.values()), first
    calls = len(fakes.square_oauth.refresh_calls)
    assert calls == 4

    second = square_lines(runner.invoke(args=["seed-demo"]).output)
    assert set(second.values()) == {"already there"}
    assert len(fakes.square_oauth.refresh_calls) == calls

    connections = fakes.square_connections.connections
    revoked, disconnected = sorted(connections)[:2]
    later = datetime.now(UTC)
    connections[revoked].revoke("revoked on Square", revoked_at=later, now=later)
    connections[disconnected].disconnect(later)
    third = runner.invoke(args=["seed-demo"]).output
    assert connections[revoked].status == ConnectionStatus.CONNECTED
    assert connections[disconnected].status == ConnectionStatus.DISCONNECTED
    outcomes = sorted(square_lines(third).values())
    assert outcomes[:2] == ["already there", "already there"]
    assert outcomes[2].startswith("connected again (DEMO-") and outcomes[3] == "disconnected by the seller; left so"
    assert len(fakes.square_oauth.refresh_calls) == calls + 1
