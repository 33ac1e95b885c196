"""The messaging gauges at /metrics, on the app wired with fakes: the outbox backlog and the
workers' consumer lag, read when scraped."""

from __future__ import annotations

from datetime import timedelta

from domain.shared.events import DomainEvent


def _value(text: str, series: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_the_outbox_backlog_is_counted_and_aged_at_scrape_time(client, fakes, clock):
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, "outbox_pending_events") == 0 and _value(text, "outbox_oldest_pending_age_seconds") == 0

    fakes.outbox.append([DomainEvent(name="x", topic="t", key="k", occurred_at=clock.now() - timedelta(seconds=90),
                                     payload={}),
                         DomainEvent(name="y", topic="t", key="k", occurred_at=clock.now(), payload={})])
    clock.advance(seconds=10)
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, "outbox_pending_events") == 2
    assert _value(text, "outbox_oldest_pending_age_seconds") == 100


def test_consumer_lag_is_reported_per_topic_and_group_and_left_out_when_the_broker_does_not_answer(client, fakes):
    fakes.consumer_lag.lags = {("support.requests", "support-worker"): 3,
                               ("marketplace.events", "notifications-worker"): 0}
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, 'kafka_consumer_lag{group="support-worker",topic="support.requests"}') == 3
    assert _value(text, 'kafka_consumer_lag{group="notifications-worker",topic="marketplace.events"}') == 0

    fakes.consumer_lag.failing_with = TimeoutError("broker away")
    answer = client.get("/metrics")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "kafka_consumer_lag{" not in text and _value(text, "outbox_pending_events") == 0
