"""`flask outbox-replay --since`: what it accepts, what it refuses, and what it queues."""

from __future__ import annotations

from domain.shared.events import DomainEvent


def sent_event(fakes, clock, n: int) -> None:
    fakes.outbox.append([DomainEvent(name="thing.happened", topic="marketplace.events", key="k",
                                     occurred_at=clock.now(), payload={"n": n})])
    [message] = [m for m in fakes.outbox.messages(status="pending")]
    fakes.outbox.mark_sent([message.event_id], clock.now())


def test_a_duration_queues_the_events_sent_within_it(app, fakes, clock):
    sent_event(fakes, clock, 0)
    clock.advance(hours=3)
    sent_event(fakes, clock, 1)
    clock.advance(minutes=30)

    result = app.test_cli_runner().invoke(args=["outbox-replay", "--since", "2h"])

    assert result.exit_code == 0, result.output
    assert "1 event(s) sent since" in result.output
    assert [m.payload["n"] for m in fakes.outbox.messages(status="pending")] == [1]


def test_an_iso_time_without_offset_is_utc(app, fakes, clock):
    sent_event(fakes, clock, 0)
    clock.advance(minutes=5)
    sent_event(fakes, clock, 1)
    since = clock.now().replace(tzinfo=None)  # the moment event 1 was sent, written without an offset
    clock.advance(minutes=1)

    result = app.test_cli_runner().invoke(args=["outbox-replay", "--since", since.isoformat(timespec="minutes")])

    assert result.exit_code == 0 and result.output.startswith("1 event(s)"), result.output
    assert [m.payload["n"] for m in fakes.outbox.messages(status="pending")] == [1]


def test_a_malformed_or_future_since_is_refused_naming_the_option(app, clock):
    runner = app.test_cli_runner()
    for value in ("yesterday", "2h30", (clock.now().replace(year=2099)).isoformat()):
        result = runner.invoke(args=["outbox-replay", "--since", value])
        assert result.exit_code == 2 and "--since" in result.output, result.output
