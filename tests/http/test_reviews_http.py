"""Reviews over HTTP on the app wired with fakes: the real bridges read the orders fake and write
the catalog fakes, so search and the public profile show what reviews publish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel
from domain.shared.access import Role
from domain.shared.money import Money
from tests.http.helpers import auth, login, register, staff

PROFILE = {"display_name": "Carlos", "headline": "Fontanero", "bio": "Arreglo fugas.", "years_experience": 5,
           "languages": ["es"], "service_areas": ["Madrid"], "working_hours": [], "accepting_jobs": True}
SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos y arreglo fugas.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid"], "tags": []}


def person(client, email: str, role: str = "buyer") -> tuple[dict, str]:
    account = register(client, email, role)
    return auth(login(client, email)), account["id"]


def completed_order(fakes, order_id: str, buyer_id: str, seller_id: str, service_id: str,
                    status: OrderStatus = OrderStatus.COMPLETED) -> None:
    now = fakes.clock.now()
    order = Order(id=order_id, buyer_id=buyer_id,
                  service=ServiceSnapshot(service_id, seller_id, "Grifos", PriceModel.FIXED, Money(4500, "EUR"), 60),
                  slot_start=now - timedelta(hours=3), slot_end=now - timedelta(hours=2), time_zone="Europe/Madrid",
                  buffer_minutes=0, address="Calle Mayor 1", notes="", status=status,
                  created_at=now - timedelta(days=1),
                  timeline=[TimelineEntry(at=now - timedelta(hours=1), actor_id=seller_id, party=Party.SELLER,
                                          from_status=OrderStatus.IN_PROGRESS, to_status=status, action="complete")])
    fakes.orders.orders[order_id] = order


@pytest.fixture
def world(client, fakes):
    seller, seller_id = person(client, "carlos@example.com", "seller")
    other_seller, other_seller_id = person(client, "elena@example.com", "seller")
    buyer, buyer_id = person(client, "ana@example.com")
    stranger, _ = person(client, "eve@example.com")
    agent = staff(client, fakes, "sofia@example.com", Role.SUPPORT)
    assert client.put("/me/seller-profile", json=PROFILE, headers=seller).status_code == 200
    assert client.put("/me/seller-profile", json={**PROFILE, "display_name": "Elena"},
                      headers=other_seller).status_code == 200
    service_id = client.post("/services", json=SERVICE, headers=seller).json["id"]
    other_service_id = client.post("/services", json={**SERVICE, "title": "Otro grifo"},
                                   headers=other_seller).json["id"]
    completed_order(fakes, "order-1", buyer_id, seller_id, service_id)
    completed_order(fakes, "order-2", buyer_id, other_seller_id, other_service_id)
    completed_order(fakes, "order-live", buyer_id, seller_id, service_id, status=OrderStatus.IN_PROGRESS)
    return {"seller": seller, "seller_id": seller_id, "other_seller": other_seller, "buyer": buyer,
            "buyer_id": buyer_id, "stranger": stranger, "agent": agent, "service_id": service_id,
            "other_service_id": other_service_id}


def review(client, headers, order_id="order-1", stars=5, text="Muy bien"):
    return client.post(f"/orders/{order_id}/reviews", json={"stars": stars, "text": text}, headers=headers)


def test_both_sides_review_blind_then_both_publish_and_the_ratings_follow_in_search(client, world):
    first = review(client, world["buyer"], stars=4, text="Rápido y limpio")
    assert first.status_code == 201, first.json
    assert first.json["mine"]["stars"] == 4 and first.json["theirs"] is None and not first.json["published"]
    assert client.get("/orders/order-1/reviews", headers=world["seller"]).json["theirs"] is None
    assert client.get(f"/sellers/{world['seller_id']}/reviews").json["total"] == 0

    second = review(client, world["seller"], stars=5, text="Clienta amable")
    assert second.status_code == 201 and second.json["published"] and second.json["theirs"]["stars"] == 4

    public = client.get(f"/sellers/{world['seller_id']}/reviews").json
    assert public["total"] == 1 and public["items"][0]["text"] == "Rápido y limpio"
    assert "hidden" not in public["items"][0]
    assert public["items"][0]["author_name"] == "Someone"  # the buyer's public name, not only an id
    assert client.get(f"/services/{world['service_id']}/reviews").json["items"][0]["author_name"] == "Someone"
    assert client.get(f"/services/{world['service_id']}/reviews").json["total"] == 1
    profile = client.get(f"/sellers/{world['seller_id']}").json
    assert profile["rating_average"] == 4.0 and profile["rating_count"] == 1
    service = client.get(f"/services/{world['service_id']}").json
    assert service["rating_average"] == 4.0 and service["rating_count"] == 1

    review(client, world["buyer"], order_id="order-2", stars=2, text="Tarde")
    review(client, world["other_seller"], order_id="order-2", stars=5, text="Bien")
    by_rating = client.get("/services?sort=rating").json["items"]
    assert [s["id"] for s in by_rating] == [world["service_id"], world["other_service_id"]]
    assert [s["id"] for s in client.get("/services?min_rating=3").json["items"]] == [world["service_id"]]


def test_the_timer_publishes_a_lone_review_when_the_window_closes(app, client, fakes, world):
    from application.reviews.use_cases import PublishDueReviews

    review(client, world["buyer"], stars=3, text="Normal")
    fakes.clock.advance(days=7)
    seller = auth(login(client, "carlos@example.com"))  # the old access token has expired meanwhile
    late = review(client, seller)
    assert late.status_code == 409 and late.json["reason"] == "review_window_closed"
    with app.app_context():
        assert app.extensions["injector"].get(PublishDueReviews).execute() == 1
    assert client.get(f"/sellers/{world['seller_id']}/reviews").json["total"] == 1
    assert client.get(f"/sellers/{world['seller_id']}").json["rating_count"] == 1


def test_one_review_per_side_and_only_after_completion(client, world):
    assert review(client, world["buyer"]).status_code == 201
    again = review(client, world["buyer"], stars=1)
    assert again.status_code == 409 and again.json["reason"] == "already_reviewed"
    live = review(client, world["buyer"], order_id="order-live")
    assert live.status_code == 409 and live.json["reason"] == "order_not_reviewable"


def test_other_people_and_unknown_orders_get_404(client, world):
    assert review(client, world["stranger"]).status_code == 404
    assert review(client, world["buyer"], order_id="nope").status_code == 404
    assert client.get("/orders/order-1/reviews", headers=world["stranger"]).status_code == 404
    assert client.get("/orders/order-1/reviews", headers=world["agent"]).status_code == 200
    assert review(client, world["agent"]).status_code == 403
    assert client.post("/orders/order-1/reviews", json={"stars": 5, "text": "x"}).status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({"stars": 0, "text": "ok"}, "stars"), ({"stars": 6, "text": "ok"}, "stars"),
    ({"stars": "5", "text": "ok"}, "stars"), ({"stars": 4.5, "text": "ok"}, "stars"),
    ({"text": "ok"}, "stars"), ({"stars": 5}, "text"), ({"stars": 5, "text": ""}, "text"),
    ({"stars": 5, "text": "   "}, "text"), ({"stars": 5, "text": "x" * 2001}, "text"),
    ({"stars": 5, "text": "ok", "verified": True}, "verified"),
])
def test_bad_reviews_are_422_naming_the_field(client, world, body, field):
    answer = client.post("/orders/order-1/reviews", json=body, headers=world["buyer"])
    assert answer.status_code == 422, answer.json
    assert field in answer.json["message"]


def test_the_seller_replies_once_publicly(client, world):
    review(client, world["buyer"], stars=3, text="Correcto")
    assert client.post("/orders/order-1/reviews/reply", json={"text": "Gracias"},
                       headers=world["seller"]).status_code == 404  # still blind
    review(client, world["seller"])
    assert client.post("/orders/order-1/reviews/reply", json={"text": "Yo no"},
                       headers=world["other_seller"]).status_code == 404
    assert client.post("/orders/order-1/reviews/reply", json={"text": ""}, headers=world["seller"]).status_code == 422
    assert client.post("/orders/order-1/reviews/reply", json={"text": "hola"},
                       headers=world["buyer"]).status_code == 403
    answer = client.post("/orders/order-1/reviews/reply", json={"text": "Gracias"}, headers=world["seller"])
    assert answer.status_code == 201 and answer.json["reply"]["text"] == "Gracias"
    assert client.post("/orders/order-1/reviews/reply", json={"text": "Otra"},
                       headers=world["seller"]).status_code == 409
    assert client.get(f"/sellers/{world['seller_id']}/reviews").json["items"][0]["reply"]["text"] == "Gracias"


def test_report_then_hide_takes_the_review_out_of_the_lists_and_the_ratings(client, world):
    review(client, world["buyer"], stars=1, text="Palabrotas")
    review(client, world["seller"])
    reported = client.post("/orders/order-1/reviews/buyer/report", json={"reason": "insultos"},
                           headers=world["stranger"])
    assert reported.status_code == 201
    assert client.post("/orders/order-1/reviews/nobody/report", json={"reason": "x"},
                       headers=world["stranger"]).status_code == 404
    assert client.post("/orders/order-1/reviews/buyer/report", json={}, headers=world["stranger"]).status_code == 422
    assert client.post("/orders/order-1/reviews/buyer/report", json={"reason": "x"}).status_code == 401

    assert client.get("/moderation/review-reports", headers=world["seller"]).status_code == 403
    queue = client.get("/moderation/review-reports", headers=world["agent"])
    assert queue.status_code == 200 and queue.json["items"][0]["reason"] == "insultos"
    assert client.get("/moderation/review-reports?page_size=0", headers=world["agent"]).status_code == 422
    assert client.get("/moderation/review-reports?sort=x", headers=world["agent"]).status_code == 422

    assert client.post("/orders/order-1/reviews/buyer/hide", json={"reason": "insultos"},
                       headers=world["seller"]).status_code == 403
    assert client.post("/orders/nope/reviews/buyer/hide", json={"reason": "x"},
                       headers=world["agent"]).status_code == 404
    hidden = client.post("/orders/order-1/reviews/buyer/hide", json={"reason": "insultos"}, headers=world["agent"])
    assert hidden.status_code == 200 and hidden.json["hidden"] and hidden.json["hidden_reason"] == "insultos"

    assert client.get(f"/sellers/{world['seller_id']}/reviews").json["total"] == 0
    profile = client.get(f"/sellers/{world['seller_id']}").json
    assert profile["rating_count"] == 0 and profile["rating_average"] == 0.0
    assert client.get(f"/services/{world['service_id']}").json["rating_count"] == 0
    assert client.get("/moderation/review-reports", headers=world["agent"]).json["total"] == 0
    mine = client.get("/orders/order-1/reviews", headers=world["buyer"]).json["mine"]
    assert mine["hidden"] and mine["hidden_reason"] == "insultos"  # its author is told why
    assert client.get("/orders/order-1/reviews", headers=world["seller"]).json["theirs"] is None


def test_sellers_read_what_other_sellers_wrote_about_a_buyer(client, world):
    review(client, world["buyer"], order_id="order-2")
    review(client, world["other_seller"], order_id="order-2", stars=2, text="No estaba en casa")
    url = f"/buyers/{world['buyer_id']}/reviews"
    page = client.get(url, headers=world["seller"])
    assert page.status_code == 200 and [r["stars"] for r in page.json["items"]] == [2]
    assert client.get(url, headers=world["stranger"]).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(f"{url}?page=0", headers=world["seller"]).status_code == 422


def test_public_lists_validate_their_query(client, world):
    assert client.get(f"/sellers/{world['seller_id']}/reviews?page_size=101").status_code == 422
    assert client.get(f"/services/{world['service_id']}/reviews?unknown=1").status_code == 422
    assert client.get("/sellers/nobody/reviews").json == {"items": [], "total": 0, "page": 1, "page_size": 20,
                                                          "total_pages": 0}
