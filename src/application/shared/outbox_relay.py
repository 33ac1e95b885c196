"""The outbox relay: publishes the events saved with their aggregates, and marks each one sent
only when the broker has acknowledged it. At-least-once: a crash between the acknowledgement and
the mark publishes the event again, which is why every consumer de-duplicates by event id."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from application.shared.ports import Clock

log = logging.getLogger(__name__)

# While the broker refuses everything, one event per round is enough to notice it is back.
OUTAGE_PROBE_SIZE = 1


@dataclass(frozen=True)
class OutboxMessage:
    """An event waiting in the outbox, as the relay sees it."""

    event_id: str
    topic: str
    key: str
    name: str
    payload: dict[str, Any]
    occurred_at: datetime
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 0


class OutboxStore(Protocol):
    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        """Pending events due by ``now``, oldest first, each leased for ``lease`` so a second relay
        running at the same time skips them."""
        ...

    def mark_sent(self, event_ids: Sequence[str], now: datetime) -> None:
        """Every one of these events is acknowledged (one write for a batch)."""
        ...

    def schedule_retry(self, event_id: str, attempts: int, next_attempt_at: datetime, error: str) -> None: ...

    def bring_forward(self, now: datetime) -> int:
        """Make every event waiting out a retry delay (not one leased to a relay) due ``now``; how many."""
        ...

    def backlog(self, now: datetime) -> tuple[int, float | None]:
        """How many events wait, and the age in seconds of the oldest (None when none wait)."""
        ...

    def requeue_sent_since(self, since: datetime, now: datetime) -> int:
        """Make the events sent at or after ``since`` pending again, due ``now``; how many."""
        ...


class EventPublisher(Protocol):
    def publish(self, messages: list[OutboxMessage]) -> dict[str, str | None]:
        """Send the messages and wait (boundedly) for the broker's delivery reports: event id -> None
        when acknowledged, or the error. A message without a report is absent from the answer."""
        ...


@dataclass(frozen=True)
class RelayPolicy:
    batch_size: int = 100
    lease: timedelta = timedelta(seconds=30)
    retry_base: timedelta = timedelta(milliseconds=500)
    retry_max: timedelta = timedelta(minutes=1)
    idle_wait_seconds: float = 0.5
    # During an outage the relay probes at most this far apart: a probe is one event, and the
    # wait between probes is how long a broker that is back stays unnoticed.
    outage_probe_max: timedelta = timedelta(seconds=5)
    # A random share of each delay, so many events failing together do not retry together.
    jitter: float = 0.2

    def retry_delay(self, attempts: int, rand: Callable[[], float] = random.random) -> timedelta:
        """Exponential: base, 2*base, 4*base... up to retry_max, each lengthened by up to ``jitter``."""
        exponent = min(max(attempts - 1, 0), 30)
        delay = min(self.retry_base * (2 ** exponent), self.retry_max)
        return delay * (1 + self.jitter * rand())


class StopSignal(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass(frozen=True)
class RelayOutbox:
    store: OutboxStore
    publisher: EventPublisher
    clock: Clock
    policy: RelayPolicy

    def execute(self) -> int:
        """Relay one batch; returns how many events the broker acknowledged."""
        return self.relay(self.policy.batch_size)[1]

    def relay(self, limit: int) -> tuple[int, int]:
        """Relay up to ``limit`` due events; returns (claimed, acknowledged)."""
        messages = self.store.claim_due(self.clock.now(), limit, self.policy.lease)
        if not messages:
            return 0, 0
        try:
            reports = self.publisher.publish(messages)
        except Exception as error:  # the broker client failed as a whole: every message retries
            log.warning("publishing %d outbox events failed: %s", len(messages), error)
            reports = {m.event_id: f"{type(error).__name__}: {error}" for m in messages}
        now = self.clock.now()
        acknowledged = [m.event_id for m in messages if m.event_id in reports and reports[m.event_id] is None]
        self.store.mark_sent(acknowledged, now)
        sent = len(acknowledged)
        done = set(acknowledged)
        errors: Counter[str] = Counter()
        for message in messages:
            if message.event_id in done:
                continue
            attempts = message.attempts + 1
            error = reports.get(message.event_id) or "no delivery report before the timeout"
            errors[error] += 1
            self.store.schedule_retry(message.event_id, attempts, now + self.policy.retry_delay(attempts), error)
        if sent < len(messages):
            # The broker's own words: "not delivered" alone left a stuck relay unexplained.
            log.warning("outbox: %d of %d events not delivered; retrying with backoff (%s)", len(messages) - sent,
                        len(messages), "; ".join(f"{count} x {error}" for error, count in errors.most_common(3)))
        return len(messages), sent

    def run(self, stop: StopSignal) -> None:
        """Relay until ``stop`` is set; waits a little whenever there was nothing to send.

        When a whole round fails (the broker is away), the relay backs off like a single event
        does and then sends one event as a probe instead of a batch, until one gets through.
        Every new event is due at once, so without this the relay claimed, sent and rescheduled a
        full batch every round of an outage: database work on the API's server for nothing."""
        log.info("outbox relay: running")
        failed_rounds = 0
        while not stop.is_set():
            limit = self.policy.batch_size if failed_rounds == 0 else OUTAGE_PROBE_SIZE
            try:
                claimed, sent = self.relay(limit)
            except Exception:  # e.g. MongoDB briefly unreachable: keep the relay alive, try again
                log.exception("outbox relay round failed")
                claimed = sent = 0
            if claimed and not sent:
                failed_rounds += 1
                stop.wait(min(self.policy.retry_delay(failed_rounds), self.policy.outage_probe_max).total_seconds())
                continue
            if sent:
                if failed_rounds:
                    # The events that failed during the outage wait out their own delays (up to
                    # retry_max) behind the newer ones: the broker is back, so they go now, in order.
                    again = self.store.bring_forward(self.clock.now())
                    log.info("outbox relay: the broker acknowledges again after %d failed rounds; %d delayed "
                             "event(s) due now", failed_rounds, again)
                failed_rounds = 0
            if claimed < limit:
                # Caught up: waiting gathers the next events into one batch. Going round at once
                # claimed the one or two events written meanwhile, each batch costing the
                # database the same few commands as a full one.
                stop.wait(self.policy.idle_wait_seconds)
        log.info("outbox relay: stopped")


@dataclass(frozen=True)
class ReplayOutbox:
    """Publish again the events sent since a moment. For a broker that lost what it had
    acknowledged (Tansu on memory storage restarted, a Kafka cluster rebuilt from nothing): the
    outbox keeps sent events for a week, and consumers de-duplicate by event id, so replaying
    more than was lost is harmless."""

    store: OutboxStore
    clock: Clock

    def execute(self, since: datetime) -> int:
        now = self.clock.now()
        count = self.store.requeue_sent_since(since, now)
        log.warning("outbox: %d event(s) sent since %s queued to be published again", count, since.isoformat())
        return count
