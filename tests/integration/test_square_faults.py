"""Square timing out in the middle of a payment, on the real adapter (the squareup SDK) against the
stand-in. Two faults: "timeout" (Square never got to act) and "answer-lost" (Square held or
captured the card, then its answer never arrived: the dangerous one). The buyer or seller retries
with the same Idempotency-Key, the gateway key derived from it is the same, and the stand-in must
end with exactly one payment for the order, in the state the order says."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import requests
from werkzeug.serving import make_server

from devtools.processes import free_port
from domain.shared.ids import new_id
from tests import conftest
from tests.integration.test_marketplace_flow import Api, _first_free_slot, _published_service

pytestmark = pytest.mark.integration

# The SDK gives up after a second; a faulty call hangs for two, so every fault is a real timeout.
CLIENT_TIMEOUT_SECONDS = 1
HANG_SECONDS = 2


@pytest.fixture
def api(mongo_url: str, square_url: str) -> Iterator[Api]:
    from bootstrap import create_app

    port = free_port()
    settings = conftest.test_settings(mongodb_uri=mongo_url, mongodb_db=f"square_faults_{new_id()[:8]}",
                                      square_base_url=square_url, public_base_url=f"http://127.0.0.1:{port}",
                                      square_timeout_seconds=CLIENT_TIMEOUT_SECONDS, log_level="ERROR",
                                      argon2_memory_kib=1024, argon2_time_cost=1)
    app = create_app(settings)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Api(f"http://127.0.0.1:{port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def fail_next(square_url: str, calls: int, mode: str) -> None:
    requests.post(f"{square_url}/_control/faults", json={"fail_next": calls, "mode": mode,
                                                         "timeout_seconds": HANG_SECONDS}, timeout=5).raise_for_status()


def payments_for(square_url: str, order_id: str) -> list[dict]:
    answer = requests.get(f"{square_url}/_control/payments", params={"reference_id": order_id}, timeout=5)
    answer.raise_for_status()
    return answer.json()["payments"]


def retried(api: Api, method: str, path: str, token: str, *, attempts: int = 4, **kwargs) -> tuple[list[int], dict]:
    """The client's side: the same Idempotency-Key on every try, until an answer that is not a 503."""
    key, statuses = uuid.uuid4().hex, []
    for _ in range(attempts):
        answer = requests.request(method, api.base + path, timeout=15, **kwargs,
                                  headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
        statuses.append(answer.status_code)
        if answer.status_code != 503:
            return statuses, answer.json()
    raise AssertionError(f"still unavailable after {statuses}")


@pytest.mark.parametrize("mode", ["timeout", "answer-lost"])
def test_a_hold_and_its_capture_through_square_timeouts_charge_once(api: Api, square_url: str, mode: str):
    seller_id, seller, service_id = _published_service(api)
    _, buyer = api.sign_up(f"ana-{new_id()[:6]}@example.com", "buyer")
    booked = api.call("POST", "/orders", buyer, idempotent=True, json={
        "service_id": service_id, "start": _first_free_slot(api, service_id), "address": "Calle Mayor 1, Madrid"})
    assert booked.status_code == 201, booked.text
    order_id = booked.json()["order"]["id"]

    # The SDK retries a 500 by itself but not a timeout: one fault fails the buyer's first try.
    fail_next(square_url, 1, mode)
    pay_statuses, paid = retried(api, "POST", f"/orders/{order_id}/payment", buyer,
                                 json={"source_id": "cnon:card-nonce-ok"})
    holds = payments_for(square_url, order_id)

    fail_next(square_url, 1, mode)
    accept_statuses, accepted = retried(api, "POST", f"/orders/{order_id}/accept", seller)
    charges = payments_for(square_url, order_id)

    print(f"\n[faults/square {mode}] payment attempts {len(pay_statuses)} {pay_statuses}, "
          f"accept attempts {len(accept_statuses)} {accept_statuses}, charges {len(charges)}")
    assert pay_statuses[0] == 503 and pay_statuses[-1] == 200, "the fault must hit the buyer's first try"
    assert paid["order"]["status"] == "authorized"
    assert len(holds) == 1 and holds[0]["status"] == "APPROVED"
    assert accept_statuses[0] == 503 and accept_statuses[-1] == 200
    assert accepted["order"]["status"] == "accepted"
    assert len(charges) == 1 and charges[0]["id"] == holds[0]["id"] and charges[0]["status"] == "COMPLETED"
    assert charges[0]["amount_money"] == {"amount": 6000, "currency": "EUR"}
