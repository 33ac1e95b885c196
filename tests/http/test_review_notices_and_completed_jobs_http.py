"""Over HTTP on the app wired with fakes: a published review reaches the reviewed person's inbox
(outbox -> relay -> notifications use case, as Kafka would carry it), and completing a job moves
the seller's public completed-jobs count once."""

from __future__ import annotations

from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.shared.outbox_relay import RelayOutbox
from tests.http.test_reviews_http import review, world  # noqa: F401 (fixture)


def deliver_published(app, fakes) -> None:
    with app.app_context():
        injector = app.extensions["injector"]
        injector.get(RelayOutbox).execute()
        deliver = injector.get(DeliverNotifications)
        for message in fakes.publisher.published:
            deliver.execute(IncomingEvent(event_id=message.event_id, name=message.name,
                                          occurred_at=message.occurred_at, payload=message.payload))


def test_each_side_finds_the_review_about_them_in_their_inbox_once_published(app, client, fakes, world):  # noqa: F811
    review(client, world["buyer"], stars=4, text="Rápido y limpio")
    deliver_published(app, fakes)
    assert client.get("/notifications", headers=world["seller"]).json["total"] == 0  # still blind

    review(client, world["seller"], stars=5, text="Clienta amable")
    deliver_published(app, fakes)
    [to_seller] = client.get("/notifications", headers=world["seller"]).json["items"]
    assert to_seller["event"] == "reviews.review_published" and "Rápido y limpio" in to_seller["body"]
    assert to_seller["data"]["order_id"] == "order-1" and to_seller["data"]["stars"] == 4
    [to_buyer] = client.get("/notifications", headers=world["buyer"]).json["items"]
    assert "Clienta amable" in to_buyer["body"]


def test_completing_a_job_moves_the_sellers_public_count_once(client, world):  # noqa: F811
    before = client.get(f"/sellers/{world['seller_id']}").json["completed_jobs"]
    retried = {**world["seller"], "Idempotency-Key": "complete-1"}
    # The client's retry replays the first answer; the other side completing too is refused.
    assert [client.post("/orders/order-live/complete", headers=retried).status_code for _ in range(2)] == [200, 200]
    other = client.post("/orders/order-live/complete", headers={**world["buyer"], "Idempotency-Key": "complete-2"})
    assert other.status_code == 409
    assert client.get(f"/sellers/{world['seller_id']}").json["completed_jobs"] == before + 1
