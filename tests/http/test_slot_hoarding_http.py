"""Slot hoarding: eight unpaid POST /orders used to take all of a seller's free starts for a day,
renewable every 15 minutes for ever. A buyer now holds at most MAX_UNPAID_BOOKINGS_PER_SELLER
unpaid bookings with one seller and MAX_UNPAID_BOOKINGS in all; each lapses after the payment
window. The figures below are what one buyer who never pays can still keep from everyone else."""

from __future__ import annotations

import pytest

from application.orders.use_cases import RunDueTimers
from bootstrap import create_app
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.money import Money
from tests.conftest import test_settings
from tests.http.test_orders_http import WEEKLY, _login, key, people  # noqa: F401 (fixture)

DAY = "2026-12-01"


@pytest.fixture
def app(fakes):
    # The default caps: two with one seller; three in all (four by default) so two sellers reach it.
    application = create_app(test_settings(max_unpaid_bookings_per_seller=2, max_unpaid_bookings=3),
                             extra_modules=[fakes])
    application.config["TESTING"] = True
    return application


def free_starts(client) -> set[str]:
    return {s["start"] for s in client.get(f"/services/svc-1/slots?from={DAY}&to={DAY}").json}


def hoard(client, people, starts: list[str], service_id: str = "svc-1") -> list:
    buyer = _login(client, "ana@example.com")  # the clock may have moved past a token's life
    return [client.post("/orders", headers=key(buyer),
                        json={"service_id": service_id, "start": start, "address": "Calle Mayor 1"})
            for start in starts]


def test_eight_unpaid_bookings_hold_two_slots_not_the_day(client, people):
    before = free_starts(client)
    # Eight starts two hours apart: 08:00 to 22:00 UTC, the whole working day in Madrid and past it.
    wanted = sorted(before)[::8][:8]

    answers = hoard(client, people, wanted)

    statuses = [a.status_code for a in answers]
    assert statuses[:2] == [201, 201] and set(statuses[2:]) == {409}, statuses
    refused = answers[2].json
    assert refused["reason"] == "unpaid_bookings_cap" and refused["cap"] == 2 and refused["cap_scope"] == "seller"
    assert "(2)" in refused["message"] and len(refused["unpaid_order_ids"]) == 2
    held = len(before) - len(free_starts(client))
    # Each 60-minute job with its 15-minute buffer blocks the starts whose job would overlap it.
    print(f"\none unpaying buyer holds {held} of {len(before)} free starts ({held / len(before):.0%}) "
          f"for the 15-minute payment window")
    assert held / len(before) < 1 / 3


def test_the_hold_lapses_after_the_payment_window_and_only_then_can_be_renewed(app, client, people, fakes):
    starts = sorted(free_starts(client))
    assert [a.status_code for a in hoard(client, people, [starts[0], starts[20], starts[40]])] == [201, 201, 409]

    fakes.clock.advance(minutes=15, seconds=1)
    with app.app_context():
        assert app.extensions["injector"].get(RunDueTimers).execute("test") == 2

    assert len(free_starts(client)) == len(starts)
    assert [a.status_code for a in hoard(client, people, [starts[0], starts[20]])] == [201, 201]


def test_the_cap_over_all_sellers_holds_too(client, people, fakes):
    stranger_id = client.get("/me", headers=people["stranger"]).json["id"]
    fakes.catalog.add(ServiceSnapshot("svc-2", stranger_id, "Paint a wall", PriceModel.FIXED, Money(9000, "EUR"), 60))
    assert client.put("/me/availability", headers=people["stranger"],
                      json={"time_zone": "Europe/Madrid", "buffer_minutes": 0, "weekly_hours": WEEKLY}).status_code == 200
    starts = sorted(free_starts(client))

    answers = hoard(client, people, [starts[0], starts[20]]) + hoard(client, people, [starts[0], starts[20]], "svc-2")

    assert [a.status_code for a in answers] == [201, 201, 201, 409]
    assert answers[3].json["cap_scope"] == "buyer" and answers[3].json["cap"] == 3
