from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.outbound.kafka.in_memory import InMemoryEventPublisher
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from application.shared.outbox_relay import RelayOutbox, RelayPolicy, ReplayOutbox
from domain.shared.events import DomainEvent
from tests.fakes import FakeClock

POLICY = RelayPolicy(batch_size=10, lease=timedelta(seconds=30), retry_base=timedelta(seconds=1),
                     retry_max=timedelta(seconds=8), jitter=0, outage_probe_max=timedelta(seconds=8))


def event(clock: FakeClock, n: int = 0) -> DomainEvent:
    return DomainEvent(name="thing.happened", topic="marketplace.events", key=f"user-{n}",
                       occurred_at=clock.now(), payload={"n": n})


def setup(clock: FakeClock, events: int = 3):
    outbox, publisher = InMemoryOutbox(), InMemoryEventPublisher()
    outbox.append([event(clock, n) for n in range(events)])
    return outbox, publisher, RelayOutbox(store=outbox, publisher=publisher, clock=clock, policy=POLICY)


def test_pending_events_are_published_in_order_and_marked_sent_on_their_report():
    clock = FakeClock()
    outbox, publisher, relay = setup(clock)

    assert relay.execute() == 3

    assert [m.payload["n"] for m in publisher.published] == [0, 1, 2]
    assert outbox.messages(status="pending") == [] and len(outbox.messages(status="sent")) == 3
    assert relay.execute() == 0


def test_a_batch_is_marked_sent_in_one_write_and_only_what_was_acknowledged():
    clock = FakeClock()
    outbox, publisher, _ = setup(clock, events=4)
    marks: list[list[str]] = []

    class RecordingStore(_CountingStore):
        def mark_sent(self, event_ids, now):
            marks.append(list(event_ids))
            self.inner.mark_sent(event_ids, now)

    relay = RelayOutbox(store=RecordingStore(outbox), publisher=publisher, clock=clock, policy=POLICY)
    lost = outbox.messages()[2].event_id
    publisher.silent_for = {lost}

    assert relay.execute() == 3

    assert len(marks) == 1 and lost not in marks[0] and len(marks[0]) == 3
    assert [m.event_id for m in outbox.messages(status="pending")] == [lost]


def test_a_failed_delivery_stays_pending_and_retries_with_exponential_backoff():
    clock = FakeClock()
    outbox, publisher, relay = setup(clock, events=1)
    publisher.failing_with = "broker down"

    for expected_wait in (1, 2, 4, 8, 8):  # capped at retry_max
        assert relay.execute() == 0
        record = next(iter(outbox.records.values()))
        assert record.next_attempt_at == clock.now() + timedelta(seconds=expected_wait)
        assert record.last_error == "broker down"
        clock.advance(seconds=expected_wait - 0.5)
        assert relay.execute() == 0, "not due yet"
        clock.advance(seconds=0.5)

    publisher.failing_with = None
    assert relay.execute() == 1
    assert outbox.messages(status="sent")[0].payload == {"n": 0}


def test_no_delivery_report_is_a_failure_not_a_success():
    clock = FakeClock()
    outbox, publisher, relay = setup(clock, events=2)
    publisher.silent = True

    assert relay.execute() == 0
    assert len(outbox.messages(status="pending")) == 2
    assert all(r.message.attempts == 1 for r in outbox.records.values())


def test_a_publisher_that_raises_leaves_every_event_pending():
    clock = FakeClock()
    outbox, _, _ = setup(clock, events=2)

    class Exploding:
        def publish(self, messages):
            raise RuntimeError("client died")

    relay = RelayOutbox(store=outbox, publisher=Exploding(), clock=clock, policy=POLICY)
    assert relay.execute() == 0
    assert {r.last_error for r in outbox.records.values()} == {"RuntimeError: client died"}


def test_two_relays_never_claim_the_same_event_within_its_lease():
    clock = FakeClock()
    outbox, _, _ = setup(clock, events=5)

    first = outbox.claim_due(clock.now(), 3, POLICY.lease)
    second = outbox.claim_due(clock.now(), 10, POLICY.lease)

    assert {m.event_id for m in first}.isdisjoint(m.event_id for m in second)
    assert len(first) + len(second) == 5
    clock.advance(seconds=31)
    assert len(outbox.claim_due(clock.now(), 10, POLICY.lease)) == 5, "a crashed relay's lease runs out"


def test_jitter_lengthens_a_delay_by_at_most_its_share():
    policy = RelayPolicy(retry_base=timedelta(seconds=1), retry_max=timedelta(seconds=60), jitter=0.2)
    assert policy.retry_delay(3, rand=lambda: 0.0) == timedelta(seconds=4)
    assert policy.retry_delay(3, rand=lambda: 1.0) == timedelta(seconds=4.8)


def test_run_stops_when_asked():
    import threading

    clock = FakeClock()
    outbox, publisher, relay = setup(clock, events=2)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        deadline = 50
        while len(publisher.published) < 2 and deadline:
            stop.wait(0.05)
            deadline -= 1
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive() and len(publisher.published) == 2


class _Stop:
    """Stops the relay after ``rounds`` waits; each wait moves the fake clock on by its timeout."""

    def __init__(self, clock: FakeClock, rounds: int, on_wait=None) -> None:
        self.clock, self.rounds, self.on_wait = clock, rounds, on_wait
        self.waits: list[float] = []

    def is_set(self) -> bool:
        return len(self.waits) >= self.rounds

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        self.clock.advance(seconds=timeout)
        if self.on_wait:
            self.on_wait(len(self.waits))
        return False


class _CountingStore:
    def __init__(self, inner: InMemoryOutbox) -> None:
        self.inner = inner
        self.limits: list[int] = []

    def claim_due(self, now, limit, lease):
        self.limits.append(limit)
        return self.inner.claim_due(now, limit, lease)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_while_the_broker_is_down_the_relay_backs_off_and_probes_with_one_event():
    clock = FakeClock()
    outbox, publisher, _ = setup(clock, events=30)
    store = _CountingStore(outbox)
    relay = RelayOutbox(store=store, publisher=publisher, clock=clock, policy=POLICY)
    publisher.failing_with = "broker down"

    def during_outage(waits: int) -> None:
        if waits <= 4:
            outbox.append([event(clock, 100 + waits)])  # requests keep coming: each new event is due at once
        if waits == 4:
            publisher.failing_with = None

    stop = _Stop(clock, rounds=5, on_wait=during_outage)
    relay.run(stop)

    # One full batch fails, then single-event probes with the event backoff between rounds
    # (1, 2, 4, 8 s) instead of a full batch every round; the first acknowledged probe ends it.
    assert store.limits[:6] == [10, 1, 1, 1, 1, 10]
    assert stop.waits[:4] == [1, 2, 4, 8] and stop.waits[4] == POLICY.idle_wait_seconds
    assert outbox.messages(status="pending") == [] and len(publisher.published) == 34


def test_a_long_outage_is_probed_at_most_outage_probe_max_apart():
    clock = FakeClock()
    outbox, publisher, _ = setup(clock, events=5)
    policy = replace(POLICY, retry_max=timedelta(minutes=1), outage_probe_max=timedelta(seconds=3))
    relay = RelayOutbox(store=outbox, publisher=publisher, clock=clock, policy=policy)
    publisher.failing_with = "broker down"

    stop = _Stop(clock, rounds=6)
    relay.run(stop)

    assert stop.waits == [1, 2, 3, 3, 3, 3]


def test_when_the_broker_is_back_the_events_delayed_by_the_outage_go_at_once():
    clock = FakeClock()
    outbox, publisher, _ = setup(clock, events=3)
    policy = replace(POLICY, retry_max=timedelta(minutes=1), outage_probe_max=timedelta(seconds=2))
    relay = RelayOutbox(store=outbox, publisher=publisher, clock=clock, policy=policy)
    publisher.failing_with = "broker down"

    def recover(waits: int) -> None:
        if waits == 8:
            publisher.failing_with = None

    stop = _Stop(clock, rounds=10, on_wait=recover)
    relay.run(stop)

    # Probed over and over, the oldest events had delays of up to a minute when the broker came
    # back (at about 16 s); they went in the rounds right after it, not a minute later.
    assert max(r.message.attempts for r in outbox.records.values()) >= 4
    assert outbox.messages(status="pending") == [] and len(publisher.published) == 3


def test_bringing_forward_leaves_leased_events_to_their_relay():
    clock = FakeClock()
    outbox, _, _ = setup(clock, events=2)
    leased, delayed = outbox.messages()
    outbox.claim_due(clock.now(), 1, POLICY.lease)
    outbox.schedule_retry(delayed.event_id, 3, clock.now() + timedelta(seconds=40), "broker down")

    assert outbox.bring_forward(clock.now()) == 1

    assert [m.event_id for m in outbox.claim_due(clock.now(), 10, POLICY.lease)] == [delayed.event_id]


@pytest.mark.parametrize(("events", "rounds"), [
    (3, [10]),            # some delivered: not an outage; caught up, so it waits for more
    (25, [10, 10, 10]),   # full batches go back to back; the part batch after them waits
])
def test_the_relay_waits_for_events_to_gather_only_once_caught_up(events, rounds):
    clock = FakeClock()
    outbox, publisher, _ = setup(clock, events=events)
    store = _CountingStore(outbox)
    relay = RelayOutbox(store=store, publisher=publisher, clock=clock, policy=POLICY)
    stop = _Stop(clock, rounds=1)

    relay.run(stop)

    assert store.limits == rounds and stop.waits == [POLICY.idle_wait_seconds]
    assert len(publisher.published) == events


def test_a_replay_publishes_again_only_what_was_sent_since_the_moment_given():
    clock = FakeClock()
    outbox, publisher, relay = setup(clock, events=1)
    relay.execute()
    clock.advance(minutes=10)
    outbox.append([event(clock, 1), event(clock, 2)])
    relay.execute()
    since = clock.now()
    clock.advance(minutes=1)

    replayed = ReplayOutbox(store=outbox, clock=clock).execute(since=since)

    assert replayed == 2
    assert [m.payload["n"] for m in outbox.messages(status="pending")] == [1, 2]
    assert relay.execute() == 2
    assert [m.payload["n"] for m in publisher.published] == [0, 1, 2, 1, 2]
    assert [m.event_id for m in publisher.published[3:]] == [m.event_id for m in publisher.published[1:3]]
