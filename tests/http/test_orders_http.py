from __future__ import annotations

import uuid

import pytest

from application.accounts.use_cases import CreateStaffAccount, CreateStaffAccountCommand
from application.orders.ports import Contact
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.access import Role
from domain.shared.errors import PaymentGatewayUnavailable
from domain.shared.money import Money

PASSWORD = "a-long-enough-password-1"
SLOT = "2026-12-01T10:00:00+01:00"
WEEKLY = [{"weekday": day, "start": "08:00", "end": "20:00"}
          for day in ("monday", "tuesday", "wednesday", "thursday", "friday")]


def _login(client, email: str) -> dict:
    response = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def signup(client, email: str, role: str = "buyer") -> tuple[dict, str]:
    response = client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": email[:10],
                                                   "role": role})
    assert response.status_code == 201, response.json
    return _login(client, email), response.json["id"]


def key(headers: dict, value: str | None = None) -> dict:
    return {**headers, "Idempotency-Key": value or uuid.uuid4().hex}


@pytest.fixture
def people(app, client, fakes):
    buyer, buyer_id = signup(client, "ana@example.com")
    seller, seller_id = signup(client, "carlos@example.com", "seller")
    stranger, _ = signup(client, "eve@example.com", "seller")
    with app.app_context():
        app.extensions["injector"].get(CreateStaffAccount).execute(
            CreateStaffAccountCommand(email="sofia@example.com", password=PASSWORD, display_name="Sofia",
                                      role=Role.SUPPORT))
    support = _login(client, "sofia@example.com")
    fakes.people.add(Contact(buyer_id, "Ana", "ana@example.com"))
    fakes.people.add(Contact(seller_id, "Carlos", "carlos@example.com"))
    fakes.catalog.add(ServiceSnapshot("svc-1", seller_id, "Fix a tap", PriceModel.FIXED, Money(5000, "EUR"), 60))
    response = client.put("/me/availability", headers=seller,
                          json={"time_zone": "Europe/Madrid", "buffer_minutes": 15, "weekly_hours": WEEKLY})
    assert response.status_code == 200, response.json
    return {"buyer": buyer, "seller": seller, "stranger": stranger, "support": support, "seller_id": seller_id}


def book(client, people, start: str = SLOT, idempotency: str | None = None):
    return client.post("/orders", headers=key(people["buyer"], idempotency),
                       json={"service_id": "svc-1", "start": start, "address": "Calle Mayor 1", "notes": "2nd floor"})


def paid(client, people) -> str:
    order_id = book(client, people).json["order"]["id"]
    response = client.post(f"/orders/{order_id}/payment", headers=key(people["buyer"]),
                           json={"source_id": "cnon:card-nonce-ok"})
    assert response.status_code == 200, response.json
    return order_id


def test_book_pay_accept_and_follow_the_order_from_both_sides(client, people, fakes):
    slots = client.get("/services/svc-1/slots?from=2026-12-01&to=2026-12-01")
    assert slots.status_code == 200 and slots.json[0]["local_start"] == "2026-12-01T08:00:00+01:00"
    assert slots.json[0]["local_end"] == "2026-12-01T09:00:00+01:00"
    assert any(s["start"] == "2026-12-01T09:00:00+00:00" for s in slots.json)

    booked = book(client, people)
    assert booked.status_code == 201, booked.json
    order = booked.json["order"]
    assert booked.headers["Location"].endswith(f"/orders/{order['id']}")
    assert booked.json["actions"] == ["authorize", "cancel"]
    assert order["status"] == "pending_payment" and order["slot"]["local_start"] == "2026-12-01T10:00:00+01:00"
    assert order["breakdown"] == {"subtotal": {"amount": 5000, "currency": "EUR"},
                                  "fee": {"amount": 500, "currency": "EUR"},
                                  "seller_receives": {"amount": 4500, "currency": "EUR"},
                                  "total": {"amount": 5000, "currency": "EUR"}}
    order_id = order["id"]

    slots = client.get("/services/svc-1/slots?from=2026-12-01&to=2026-12-01")
    assert not any(s["start"] == "2026-12-01T09:00:00+00:00" for s in slots.json)

    paid = client.post(f"/orders/{order_id}/payment", headers=key(people["buyer"]), json={"source_id": "cnon:card-nonce-ok"})
    assert paid.status_code == 200 and paid.json["order"]["status"] == "authorized"
    assert client.post(f"/orders/{order_id}/accept", headers=key(people["buyer"])).status_code == 403
    accepted = client.post(f"/orders/{order_id}/accept", headers=key(people["seller"]))
    assert accepted.status_code == 200 and accepted.json["order"]["captured"] == {"amount": 5000, "currency": "EUR"}
    # The answer to an action is the view a read gives: the contact comes with it, and what may follow.
    assert accepted.json["counterpart"]["email"] == "ana@example.com"
    assert accepted.json["actions"] == ["cancel", "refund", "invoice"]  # starting waits for the job's day

    as_buyer = client.get(f"/orders/{order_id}", headers=people["buyer"]).json
    as_seller = client.get(f"/orders/{order_id}", headers=people["seller"]).json
    assert [t["to"] for t in as_buyer["order"]["timeline"]] == ["pending_payment", "authorized", "accepted"]
    assert as_buyer["order"]["timeline"] == as_seller["order"]["timeline"]
    assert as_seller["counterpart"]["email"] == "ana@example.com" and as_buyer["viewer"] == "buyer"
    assert client.get(f"/orders/{order_id}", headers=people["support"]).json["viewer"] == "staff"

    board = client.get("/me/orders?role=seller&status=accepted&status=in_progress", headers=people["seller"])
    assert board.status_code == 200 and [o["id"] for o in board.json["items"]] == [order_id]
    assert "timeline" not in board.json["items"][0]
    following = client.get("/me/orders?role=buyer&page=1&page_size=5", headers=people["buyer"]).json
    assert following["total"] == 1 and following["total_pages"] == 1
    assert [e.name for e in fakes.orders.events] == ["order.booked", "order.paid", "order.accepted"]


def test_others_get_404_for_an_order_they_have_no_part_in(client, people):
    order_id = book(client, people).json["order"]["id"]
    assert client.get(f"/orders/{order_id}", headers=people["stranger"]).status_code == 404
    response = client.post(f"/orders/{order_id}/cancel", headers=key(people["stranger"]), json={})
    assert response.status_code == 404
    assert client.get("/orders/nope", headers=people["buyer"]).status_code == 404
    assert client.get(f"/orders/{order_id}").status_code == 401


def test_a_retry_with_the_same_key_replays_the_first_answer_and_books_once(client, people, fakes):
    first = book(client, people, idempotency="book-1")
    again = book(client, people, idempotency="book-1")
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true" and len(fakes.orders.orders) == 1
    assert again.headers["Location"] == first.headers["Location"] == f"/orders/{first.json['order']['id']}"
    other_body = book(client, people, start="2026-12-01T12:00:00+01:00", idempotency="book-1")
    assert other_body.status_code == 422 and "Idempotency-Key" in other_body.json["message"]


def test_mutations_need_an_idempotency_key(client, people):
    response = client.post("/orders", headers=people["buyer"],
                           json={"service_id": "svc-1", "start": SLOT, "address": "Calle Mayor 1"})
    assert response.status_code == 422 and "Idempotency-Key" in response.json["message"]


def test_a_taken_slot_answers_409_with_a_clear_message(client, people):
    assert book(client, people).status_code == 201
    taken = book(client, people, start="2026-12-01T10:30:00+01:00")
    assert taken.status_code == 409 and "just taken" in taken.json["message"]


def test_a_declined_card_answers_402_with_squares_reason_and_the_order_stays_payable(client, people):
    order_id = book(client, people).json["order"]["id"]
    declined = client.post(f"/orders/{order_id}/payment", headers=key(people["buyer"]),
                           json={"source_id": "cnon:card-nonce-rejected-cvv"})
    assert declined.status_code == 402 and declined.json["reason"] == "payment_declined"
    assert "CVV_FAILURE" in declined.json["message"]
    assert client.get(f"/orders/{order_id}", headers=people["buyer"]).json["order"]["status"] == "pending_payment"


def test_an_unreachable_gateway_answers_503_and_a_retry_with_the_same_key_goes_through(client, people, fakes):
    order_id = book(client, people).json["order"]["id"]
    fakes.payment_gateway.fail_next = PaymentGatewayUnavailable("Square cannot be reached")
    headers = key(people["buyer"], "pay-1")
    down = client.post(f"/orders/{order_id}/payment", headers=headers, json={"source_id": "cnon:card-nonce-ok"})
    assert down.status_code == 503
    retry = client.post(f"/orders/{order_id}/payment", headers=headers, json={"source_id": "cnon:card-nonce-ok"})
    assert retry.status_code == 200 and retry.json["order"]["status"] == "authorized"
    replay = client.post(f"/orders/{order_id}/payment", headers=headers, json={"source_id": "cnon:card-nonce-ok"})
    assert replay.json == retry.json and len(fakes.payment_gateway.payments) == 1


def test_refunds_partial_several_never_above_the_capture(client, people):
    order_id = paid(client, people)
    client.post(f"/orders/{order_id}/accept", headers=key(people["seller"]))
    url = f"/orders/{order_id}/refunds"
    first = client.post(url, headers=key(people["seller"]), json={"amount": {"amount": 2000, "currency": "EUR"}})
    assert first.status_code == 201 and first.json["order"]["refunds"][0]["app_fee"]["amount"] == 200
    too_much = client.post(url, headers=key(people["support"]), json={"amount": {"amount": 3001, "currency": "EUR"}})
    assert too_much.status_code == 422 and too_much.json["message"].startswith("amount:")
    assert client.post(url, headers=key(people["buyer"]), json={}).status_code == 403
    rest = client.post(url, headers=key(people["support"]), json={"reason": "goodwill"})
    assert rest.json["order"]["refunded"] == {"amount": 5000, "currency": "EUR"}


def test_cancel_before_acceptance_and_invoice_after(client, people, fakes):
    first = paid(client, people)
    cancelled = client.post(f"/orders/{first}/cancel", headers=key(people["buyer"]), json={"reason": "oops"})
    assert cancelled.status_code == 200 and cancelled.json["order"]["status"] == "cancelled"
    second = paid(client, people)
    assert client.post(f"/orders/{second}/invoice", headers=key(people["seller"])).status_code == 409
    client.post(f"/orders/{second}/accept", headers=key(people["seller"]))
    invoiced = client.post(f"/orders/{second}/invoice", headers=key(people["seller"]))
    assert invoiced.status_code == 200 and invoiced.json["order"]["invoice"]["status"] == "PAID"  # the receipt


def test_the_quote_flow_over_http(client, people, fakes):
    fakes.catalog.add(ServiceSnapshot("svc-q", people["seller_id"], "Rewire", PriceModel.QUOTE, None, 120))
    requested = client.post("/services/svc-q/quote-requests", headers=key(people["buyer"]),
                            json={"start": SLOT, "address": "Calle 1", "message": "three rooms"})
    assert requested.status_code == 201 and requested.json["order"]["status"] == "quote_requested"
    order_id = requested.json["order"]["id"]
    offered = client.post(f"/orders/{order_id}/quote", headers=key(people["seller"]),
                          json={"price": {"amount": 40000, "currency": "EUR"}, "message": "materials included"})
    assert offered.status_code == 200 and offered.json["order"]["quote"]["revision"] == 1
    accepted = client.post(f"/orders/{order_id}/quote/accept", headers=key(people["buyer"]))
    assert accepted.json["order"]["status"] == "pending_payment"
    assert accepted.json["order"]["breakdown"]["fee"] == {"amount": 4000, "currency": "EUR"}


def test_time_off_is_added_and_removed_by_the_seller(client, people):
    added = client.post("/me/time-off", headers=people["seller"],
                        json={"start": "2026-12-01T00:00:00+01:00", "end": "2026-12-02T00:00:00+01:00", "note": "x"})
    assert added.status_code == 201
    assert book(client, people).status_code == 409
    assert client.get("/me/availability", headers=people["seller"]).json["time_off"][0]["id"] == added.json["id"]
    assert client.delete(f"/me/time-off/{added.json['id']}", headers=people["seller"]).status_code == 204
    assert client.delete(f"/me/time-off/{added.json['id']}", headers=people["seller"]).status_code == 404
    assert client.get("/me/availability", headers=people["buyer"]).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"service_id": "svc-1", "start": "2026-12-01T10:00:00", "address": "x"}, "start"),
    ({"service_id": "svc-1", "start": SLOT, "address": ""}, "address"),
    ({"service_id": "svc-1", "start": SLOT, "address": "x", "price": 1}, "price"),
    ({"service_id": "svc-1", "start": SLOT, "address": "x", "duration_minutes": 5}, "duration_minutes"),
    ({"service_id": "svc-1", "start": "2026-12-01T10:05:00+01:00", "address": "x"}, "start"),
    ({"service_id": "nope", "start": SLOT, "address": "x"}, "service_id"),
])
def test_bad_bookings_are_refused_naming_the_field(client, people, body, field):
    response = client.post("/orders", headers=key(people["buyer"]), json=body)
    assert 400 <= response.status_code < 500 and field in response.json["message"], response.json


@pytest.mark.parametrize("query", ["from=2026-12-01&to=2027-01-15", "to=2026-12-01", "from=2026-13-01&to=2026-12-02",
                                   "from=2026-12-02&to=2026-12-01", "from=2026-12-01&to=2026-12-01&x=1"])
def test_bad_slot_queries_are_422(client, people, query):
    assert client.get(f"/services/svc-1/slots?{query}").status_code == 422


@pytest.mark.parametrize("query", ["role=admin", "status=lost", "page=0", "page_size=101"])
def test_bad_list_queries_are_422(client, people, query):
    assert client.get(f"/me/orders?{query}", headers=people["buyer"]).status_code == 422


@pytest.mark.parametrize(("body", "field"), [
    ({"time_zone": "Mars/Base", "weekly_hours": []}, "time_zone"),
    ({"time_zone": "UTC", "buffer_minutes": 500, "weekly_hours": []}, "buffer_minutes"),
    ({"time_zone": "UTC", "weekly_hours": [{"weekday": "funday", "start": "08:00", "end": "09:00"}]}, "weekday"),
    ({"time_zone": "UTC", "weekly_hours": [{"weekday": "monday", "start": "10:00", "end": "09:00"}]}, "weekly_hours"),
])
def test_bad_availability_is_422_naming_the_field(client, people, body, field):
    response = client.put("/me/availability", headers=people["seller"], json=body)
    assert response.status_code == 422 and field in response.json["message"], response.json


def test_a_seller_whose_square_authorization_was_revoked_is_unbookable_with_the_reason(client, people, fakes):
    fakes.payment_gateway.disconnected_sellers[people["seller_id"]] = "the seller's Square authorization was revoked"
    slots = client.get("/services/svc-1/slots?from=2026-12-01&to=2026-12-01")
    assert slots.status_code == 409 and "revoked" in slots.json["message"]
    booked = book(client, people)
    assert booked.status_code == 409 and booked.json["reason"] == "seller_cannot_take_payments"
