"""The inbound Kafka adapter every worker shares: a consumer group member that hands each event
to a use case, commits the offset only after the event was handled, retries a failing event a
few times and then parks it on a dead-letter topic, so one bad message never blocks a partition.

Handlers must be idempotent by event id: Kafka delivers at least once (a crash between handling
and committing redelivers the message)."""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from adapters.correlation import KAFKA_REQUEST_ID_HEADER, bind_request_id, header_value
from domain.shared.errors import InvalidInput

log = logging.getLogger(__name__)


class PoisonMessage(Exception):
    """The message can never be handled (not an event, or missing what the handler needs):
    retrying is pointless, it goes to the dead-letter topic at once."""


@dataclass(frozen=True)
class ReceivedEvent:
    event_id: str
    name: str
    occurred_at: datetime
    payload: dict[str, Any]


def decode_event(value: bytes | None) -> ReceivedEvent:
    try:
        raw = json.loads(value or b"")
        event = ReceivedEvent(event_id=str(raw["event_id"]), name=str(raw["name"]),
                              occurred_at=datetime.fromisoformat(raw["occurred_at"]), payload=raw["payload"])
    except (ValueError, TypeError, KeyError) as error:
        raise PoisonMessage(f"not an event: {type(error).__name__}: {error}") from None
    if not isinstance(event.payload, dict) or not event.event_id:
        raise PoisonMessage("not an event: the payload must be an object and the event_id set")
    return event


class StopSignal(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class Message(Protocol):
    def error(self) -> KafkaError | None: ...

    def value(self) -> bytes | None: ...

    def key(self) -> bytes | None: ...

    def headers(self) -> list[tuple[str, bytes]] | None: ...

    def topic(self) -> str: ...

    def partition(self) -> int: ...

    def offset(self) -> int: ...


class MessageSource(Protocol):
    """The part of confluent_kafka.Consumer the worker uses (a fake in unit tests)."""

    def poll(self, timeout: float) -> Message | None: ...

    def commit(self, *, message: Message, asynchronous: bool) -> Any: ...

    def close(self) -> None: ...


class DeadLetterSink(Protocol):
    """The part of confluent_kafka.Producer the worker uses to park messages."""

    def produce(self, topic: str, *, key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]],
                on_delivery: Callable[[KafkaError | None, Any], None]) -> None: ...

    def flush(self, timeout: float) -> int: ...


@dataclass(frozen=True)
class WorkerPolicy:
    dead_letter_topic: str
    max_attempts: int = 3
    retry_backoff_seconds: float = 0.2
    poll_timeout_seconds: float = 0.5
    dead_letter_timeout_seconds: float = 10.0


class KafkaWorker:
    def __init__(self, name: str, consumer: MessageSource, dead_letters: DeadLetterSink,
                 handler: Callable[[ReceivedEvent], None], policy: WorkerPolicy) -> None:
        self.name = name
        self._consumer = consumer
        self._dead_letters = dead_letters
        self._handler = handler
        self._policy = policy
        self.handled = 0
        self.dead_lettered = 0

    def run(self, stop: StopSignal) -> None:
        log.info("%s: running", self.name)
        try:
            while not stop.is_set():
                message = self._consumer.poll(self._policy.poll_timeout_seconds)
                if message is None:
                    continue
                if message.error() is not None:
                    # Broker hiccups (a topic not created yet, a restart) are reported here and
                    # retried by the client itself.
                    log.warning("%s: %s", self.name, message.error())
                    continue
                if self.process(message, stop):
                    self._commit(message)
        finally:
            self._consumer.close()
            log.info("%s: stopped", self.name)

    def process(self, message: Message, stop: StopSignal) -> bool:
        """Handle one message, or park it; False when stopping before either happened (then its
        offset is not committed and the group redelivers it). Every log line written meanwhile,
        and every event the handler records, carries the request id that caused the message, so
        support can follow one request from the API's access line to here (and on)."""
        with bind_request_id(header_value(message.headers(), KAFKA_REQUEST_ID_HEADER)):
            return self._process(message, stop)

    def _process(self, message: Message, stop: StopSignal) -> bool:
        attempts = 0
        while True:
            attempts += 1
            try:
                event = decode_event(message.value())
                self._handler(event)
                self.handled += 1
                log.info("%s: handled %s %s", self.name, event.name, event.event_id,
                         extra={"event_id": event.event_id, "event_name": event.name, "topic": message.topic(),
                                "partition": message.partition(), "offset": message.offset()})
                return True
            except (PoisonMessage, InvalidInput) as error:
                return self._park(message, error, attempts, stop)
            except Exception as error:  # a use case failure: maybe transient, retry a few times
                if attempts >= self._policy.max_attempts:
                    return self._park(message, error, attempts, stop)
                log.warning("%s: attempt %d at offset %d failed: %s", self.name, attempts, message.offset(), error)
                if stop.wait(self._policy.retry_backoff_seconds * 2 ** (attempts - 1)):
                    return False

    def _park(self, message: Message, error: Exception, attempts: int, stop: StopSignal) -> bool:
        log.error("%s: parking %s[%d]@%d on %s after %d attempt(s): %s", self.name, message.topic(),
                  message.partition(), message.offset(), self._policy.dead_letter_topic, attempts, error)
        headers = [*(message.headers() or []),
                   ("dlq.error", f"{type(error).__name__}: {error}"[:1000].encode()),
                   ("dlq.source", f"{message.topic()}[{message.partition()}]@{message.offset()}".encode()),
                   ("dlq.attempts", str(attempts).encode())]
        while not stop.is_set():
            reports: list[KafkaError | None] = []
            try:
                self._dead_letters.produce(self._policy.dead_letter_topic, key=message.key(), value=message.value(),
                                           headers=headers, on_delivery=lambda err, _msg: reports.append(err))
                self._dead_letters.flush(self._policy.dead_letter_timeout_seconds)
            except (KafkaException, BufferError) as produce_error:
                reports = [KafkaError(KafkaError._FAIL, str(produce_error))]
            if reports and reports[0] is None:
                self.dead_lettered += 1
                return True
            # Committing without the message safely parked would lose it: hold the partition instead.
            log.error("%s: dead-letter topic unavailable (%s); retrying", self.name,
                      reports[0] if reports else "timeout")
            stop.wait(self._policy.retry_backoff_seconds * 5)
        return False

    def _commit(self, message: Message) -> None:
        try:
            self._consumer.commit(message=message, asynchronous=False)
        except KafkaException as error:
            # E.g. a rebalance took the partition away: the next owner redelivers the message and
            # the idempotent handler ignores it.
            log.warning("%s: commit at offset %d failed: %s", self.name, message.offset(), error)


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topic: str
    session_timeout_ms: int
    heartbeat_interval_ms: int


def ensure_topics(bootstrap_servers: str, topics: list[str], timeout: float = 10.0) -> None:
    """Create the topics a worker reads and writes if the broker lacks them, so a fresh broker
    does not leave the group waiting for a topic to appear."""
    admin = AdminClient({"bootstrap.servers": bootstrap_servers})
    futures = admin.create_topics([NewTopic(t, num_partitions=3, replication_factor=1) for t in topics],
                                  request_timeout=timeout)
    for topic, future in futures.items():
        try:
            future.result(timeout)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise


def build_consumer(settings: ConsumerSettings) -> Consumer:
    consumer = Consumer({
        "bootstrap.servers": settings.bootstrap_servers,
        "group.id": settings.group_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": settings.session_timeout_ms,
        "heartbeat.interval.ms": settings.heartbeat_interval_ms,
        # Notice a topic that was re-created (e.g. a broker restarted without storage) quickly.
        "topic.metadata.refresh.interval.ms": 5_000,
        "logger": logging.getLogger("kafka.consumer"),
    })
    consumer.subscribe([settings.topic])
    return consumer


def build_dead_letter_producer(bootstrap_servers: str, *, delivery_timeout_ms: int) -> Producer:
    # Not idempotent on purpose: an idempotent producer dies for good when the broker forgets its
    # producer id (a restart), and a duplicate on the dead-letter topic is harmless.
    return Producer({"bootstrap.servers": bootstrap_servers, "acks": "all",
                     "message.timeout.ms": delivery_timeout_ms, "logger": logging.getLogger("kafka.producer")})


def run_until_signalled(run: Callable[[StopSignal], None]) -> None:
    """Run a worker loop until SIGTERM or Ctrl-C, then let it finish the message in hand."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        run(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

