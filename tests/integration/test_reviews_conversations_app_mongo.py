"""The app as bootstrap wires it, on the local MongoDB-compatible server: reviews publish with the
catalog's ratings through the Mongo unit of work, and an order's thread masks until acceptance."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

import pytest

from adapters.correlation import KAFKA_REQUEST_ID_HEADER
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.reviews.mongo_repositories import MongoReviewRepository
from application.orders.ports import OrderRepository
from application.shared.pagination import PageRequest
from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel
from domain.reviews.review import REVIEW_PUBLISHED, OrderReviews, Side
from domain.shared.money import Money
from tests.conftest import app_on_mongo
from tests.http.test_reviews_http import PROFILE, SERVICE

pytestmark = pytest.mark.integration
PASSWORD = "a-long-enough-password-1"


@pytest.fixture(scope="module")
def app(mongo_url: str):
    with app_on_mongo(mongo_url, "reviews_app_integration") as application:
        yield application


def signup(client, email: str, role: str) -> tuple[dict, str]:
    answer = client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": email[:8],
                                                 "role": role})
    assert answer.status_code == 201, answer.json
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}, answer.json["id"]


def test_reviews_and_an_order_thread_on_the_wired_app(app):
    client = app.test_client()
    seller, seller_id = signup(client, "carlos@example.com", "seller")
    buyer, buyer_id = signup(client, "ana@example.com", "buyer")
    assert client.put("/me/seller-profile", json=PROFILE, headers=seller).status_code == 200
    service_id = client.post("/services", json=SERVICE, headers=seller).json["id"]
    now = datetime.now(UTC)
    app.extensions["injector"].get(OrderRepository).add(Order(
        id="order-e2e", buyer_id=buyer_id,
        service=ServiceSnapshot(service_id, seller_id, "Grifos", PriceModel.FIXED, Money(4500, "EUR"), 60),
        slot_start=now - timedelta(hours=3), slot_end=now - timedelta(hours=2), time_zone="Europe/Madrid",
        buffer_minutes=0, address="Calle Mayor 1", notes="", status=OrderStatus.AUTHORIZED, created_at=now))

    masked = client.post("/orders/order-e2e/messages", json={"text": "llámame al 600 123 456"}, headers=seller)
    assert masked.status_code == 201 and masked.json["text"] == "llámame al [contact hidden]"
    assert client.get("/conversations/unread", headers=buyer).json == {"total": 1}
    assert client.post("/orders/order-e2e/reviews", json={"stars": 5, "text": "Bien"}, headers=buyer).status_code == 409

    orders = app.extensions["injector"].get(OrderRepository)
    order = orders.get("order-e2e")
    order.status = OrderStatus.COMPLETED
    order.timeline.append(TimelineEntry(at=now, actor_id=seller_id, party=Party.SELLER,
                                        from_status=OrderStatus.IN_PROGRESS, to_status=OrderStatus.COMPLETED,
                                        action="complete"))
    orders.save(order)
    assert client.post("/orders/order-e2e/reviews", json={"stars": 4, "text": "Bien"}, headers=buyer).status_code == 201
    assert client.get(f"/sellers/{seller_id}").json["rating_count"] == 0  # blind: not counted yet
    published = client.post("/orders/order-e2e/reviews", json={"stars": 5, "text": "Amable"}, headers=seller)
    assert published.status_code == 201 and published.json["published"]
    profile = client.get(f"/sellers/{seller_id}").json
    assert (profile["rating_average"], profile["rating_count"]) == (4.0, 1)
    assert client.get(f"/services/{service_id}/reviews").json["total"] == 1
    unmasked = client.post("/orders/order-e2e/messages", json={"text": "llámame al 600 123 456"}, headers=seller)
    assert unmasked.json["text"] == "llámame al 600 123 456"


def test_the_scheduler_publishes_reviews_whose_window_has_closed(app):
    long_ago = datetime.now(UTC) - timedelta(days=10)
    reviews = OrderReviews.open(order_id="order-closed", buyer_id="buyer-x", seller_id="seller-x",
                                service_id="service-x", completed_at=long_ago, window=timedelta(days=7))
    reviews.write(Side.SELLER, author_id="seller-x", stars=2, text="No abrió", now=long_ago + timedelta(days=1))
    MongoReviewRepository().add(reviews)

    # The command installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert result.exit_code == 0, result.output
    assert MongoReviewRepository().get("order-closed").is_published
    assert MongoReviewRepository().published_about_buyer("buyer-x", PageRequest()).total == 1
    # The pass ran under an id of its own, which the event it recorded carries to its consumers.
    [event] = OutboxDocument._get_collection().find({"name": REVIEW_PUBLISHED, "key": "order-closed"})
    assert event["headers"][KAFKA_REQUEST_ID_HEADER].startswith("scheduler-")
