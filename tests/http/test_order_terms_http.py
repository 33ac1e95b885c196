"""Before paying and before cancelling, the API tells what the policy gives; the web only words it."""

from __future__ import annotations

from datetime import datetime, timedelta

from application.orders.ports import OrderPolicy
from domain.orders.pricing import PriceModel
from domain.orders.order import ServiceSnapshot
from domain.shared.money import Money
from tests.http.test_orders_http import SLOT, _login, key, paid, people  # noqa: F401  (people is a fixture)


def test_booking_terms_give_the_fee_the_total_and_the_policy(client, people, app):
    terms = client.get(f"/services/svc-1/booking-terms?start={SLOT.replace('+', '%2B')}")
    assert terms.status_code == 200, terms.json
    assert terms.json["breakdown"] == {"subtotal": {"amount": 5000, "currency": "EUR"},
                                       "fee": {"amount": 500, "currency": "EUR"},
                                       "seller_receives": {"amount": 4500, "currency": "EUR"},
                                       "total": {"amount": 5000, "currency": "EUR"}}
    with app.app_context():
        policy = app.extensions["injector"].get(OrderPolicy).cancellation
    minutes = int(policy.full_refund_before.total_seconds() // 60)
    assert terms.json["cancellation_policy"] == {"full_refund_before_minutes": minutes,
                                                 "late_refund_percent": policy.late_refund_percent}
    until = datetime.fromisoformat(SLOT) - policy.full_refund_before
    assert datetime.fromisoformat(terms.json["full_refund_until"]) == until
    assert client.get("/services/svc-1/booking-terms").json["full_refund_until"] is None


def test_booking_terms_of_an_hourly_and_a_quote_service(client, people, fakes):
    fakes.catalog.add(ServiceSnapshot("svc-h", people["seller_id"], "Clean", PriceModel.HOURLY, Money(2000, "EUR"), 60))
    fakes.catalog.add(ServiceSnapshot("svc-q", people["seller_id"], "Rewire", PriceModel.QUOTE, None, 120))
    hourly = client.get("/services/svc-h/booking-terms?duration_minutes=90").json
    assert hourly["breakdown"]["subtotal"] == {"amount": 3000, "currency": "EUR"}
    assert client.get("/services/svc-q/booking-terms").json["breakdown"] is None


def test_booking_terms_refuse_bad_input_naming_the_field(client, people):
    naive = client.get("/services/svc-1/booking-terms?start=2026-12-01T10:00:00")
    assert naive.status_code == 422 and "start" in str(naive.json)
    odd = client.get("/services/svc-1/booking-terms?duration_minutes=abc")
    assert odd.status_code == 422 and "duration_minutes" in str(odd.json)
    assert client.get("/services/svc-1/booking-terms?colour=red").status_code == 422
    assert client.get("/services/nope/booking-terms").status_code == 404


def test_the_order_tells_the_refund_a_cancellation_would_give_now_and_the_cancel_gives_it(client, people, fakes):
    order_id = paid(client, people)
    authorized = client.get(f"/orders/{order_id}", headers=people["buyer"]).json
    assert authorized["cancellation"]["held"] == {"amount": 5000, "currency": "EUR"}
    assert authorized["cancellation"]["refund"] is None
    assert client.post(f"/orders/{order_id}/accept", headers=key(people["seller"])).status_code == 200

    early = client.get(f"/orders/{order_id}", headers=people["buyer"]).json["cancellation"]
    assert early["refund"] == {"amount": 5000, "currency": "EUR"} and early["kept"]["amount"] == 0
    # Move the clock to two hours before the slot: past the free-cancellation limit.
    fakes.clock.current = datetime.fromisoformat(SLOT) - timedelta(hours=2)
    people["buyer"], people["seller"] = _login(client, "ana@example.com"), _login(client, "carlos@example.com")
    late_view = client.get(f"/orders/{order_id}", headers=people["buyer"]).json
    late = late_view["cancellation"]
    percent = late_view["cancellation_policy"]["late_refund_percent"]
    assert late["refund"]["amount"] == 5000 * percent // 100 and late["charged"]["amount"] == 5000
    assert client.get(f"/orders/{order_id}", headers=people["seller"]).json["cancellation"]["refund"]["amount"] == 5000

    cancelled = client.post(f"/orders/{order_id}/cancel", headers=key(people["buyer"]), json={"reason": "me mudo"})
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["order"]["refunded"] == late["refund"]
    last = cancelled.json["order"]["timeline"][-1]
    assert (last["action"], last["note"], last["amount"]) == ("cancel", "me mudo", late["refund"])
    assert client.get(f"/orders/{order_id}", headers=people["buyer"]).json["cancellation"] is None


def test_no_timeline_note_carries_a_payment_id(client, people, fakes):
    order_id = paid(client, people)
    client.post(f"/orders/{order_id}/accept", headers=key(people["seller"]))
    order = client.get(f"/orders/{order_id}", headers=people["buyer"]).json["order"]
    payment_id = fakes.orders.get(order_id).payment.payment_id
    assert payment_id and payment_id not in str(order)
    assert [(t["action"], t["amount"]) for t in order["timeline"]] == [
        ("book", None), ("authorize", {"amount": 5000, "currency": "EUR"}),
        ("accept", {"amount": 5000, "currency": "EUR"})]
