"""The worker loop with a fake consumer and a fake dead-letter producer: no broker."""

import json
import threading

from confluent_kafka import KafkaError

from adapters.inbound.cli.kafka_worker import KafkaWorker, PoisonMessage, WorkerPolicy, decode_event
from adapters.inbound.cli.messaging import notifications_event_handler, support_event_handler
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.notifications.in_memory import InMemoryNotificationInbox
from adapters.outbound.support.in_memory import InMemoryTicketRepository
from application.notifications.use_cases import DeliverNotifications
from application.support.use_cases import OpenTicket
from domain.shared.errors import InvalidInput
from tests.fakes import FakeClock

POLICY = WorkerPolicy(dead_letter_topic="things.dlq", max_attempts=3, retry_backoff_seconds=0.001,
                      poll_timeout_seconds=0.01)


class FakeMessage:
    def __init__(self, value: bytes | None, offset: int, error: KafkaError | None = None) -> None:
        self._value, self._offset, self._error = value, offset, error

    def error(self):
        return self._error

    def value(self):
        return self._value

    def key(self):
        return b"user-1"

    def headers(self):
        return [("event_id", b"e")]

    def topic(self):
        return "things"

    def partition(self):
        return 0

    def offset(self):
        return self._offset


class FakeConsumer:
    """Hands out its messages, then sets ``stop`` so the loop ends."""

    def __init__(self, messages: list[FakeMessage], stop: threading.Event) -> None:
        self.messages, self.stop = list(messages), stop
        self.committed: list[int] = []
        self.closed = False

    def poll(self, timeout):
        if not self.messages:
            self.stop.set()
            return None
        return self.messages.pop(0)

    def commit(self, *, message, asynchronous):
        assert asynchronous is False
        self.committed.append(message.offset())

    def close(self):
        self.closed = True


class FakeDeadLetters:
    def __init__(self, fail_times: int = 0) -> None:
        self.parked: list[tuple[str, bytes, dict]] = []
        self.fail_times = fail_times

    def produce(self, topic, *, key, value, headers, on_delivery):
        if self.fail_times:
            self.fail_times -= 1
            on_delivery(KafkaError(KafkaError._MSG_TIMED_OUT), None)
            return
        self.parked.append((topic, value, dict(headers)))
        on_delivery(None, None)

    def flush(self, timeout):
        return 0


def event_bytes(event_id: str, payload: dict | None = None, name: str = "thing.happened") -> bytes:
    return json.dumps({"event_id": event_id, "name": name, "occurred_at": "2026-11-23T10:00:00+00:00",
                       "payload": payload or {}}).encode()


def run(messages, handler, dead_letters=None):
    stop = threading.Event()
    consumer = FakeConsumer(messages, stop)
    dead_letters = dead_letters or FakeDeadLetters()
    worker = KafkaWorker("test", consumer, dead_letters, handler, POLICY)
    worker.run(stop)
    return worker, consumer, dead_letters


def test_each_message_is_committed_after_it_was_handled():
    log = []
    stop = threading.Event()

    class LoggingConsumer(FakeConsumer):
        def commit(self, *, message, asynchronous):
            super().commit(message=message, asynchronous=asynchronous)
            log.append(("commit", message.offset()))

    consumer = LoggingConsumer([FakeMessage(event_bytes("e1"), 0), FakeMessage(event_bytes("e2"), 1)], stop)
    KafkaWorker("test", consumer, FakeDeadLetters(), lambda e: log.append(("handle", e.event_id)), POLICY).run(stop)

    assert log == [("handle", "e1"), ("commit", 0), ("handle", "e2"), ("commit", 1)]
    assert consumer.closed


def test_a_poison_message_is_parked_at_once_and_the_next_one_is_still_handled():
    seen = []
    worker, consumer, dlq = run([FakeMessage(b"not json", 0), FakeMessage(event_bytes("e2"), 1)],
                                lambda e: seen.append(e.event_id))

    assert seen == ["e2"] and consumer.committed == [0, 1]
    [(topic, value, headers)] = dlq.parked
    assert topic == "things.dlq" and value == b"not json"
    assert headers["dlq.attempts"] == b"1" and headers["dlq.source"] == b"things[0]@0"
    assert headers["event_id"] == b"e", "the original headers travel with it"


def test_a_domain_rejection_is_poison_too():
    def handler(event):
        raise InvalidInput("bad", field="x")

    worker, _, dlq = run([FakeMessage(event_bytes("e1"), 0)], handler)
    assert worker.dead_lettered == 1 and dlq.parked[0][2]["dlq.attempts"] == b"1"


def test_a_failing_handler_is_retried_then_parked_after_max_attempts():
    calls = []

    def handler(event):
        calls.append(event.event_id)
        raise RuntimeError("database away")

    _, consumer, dlq = run([FakeMessage(event_bytes("e1"), 0)], handler)
    assert calls == ["e1"] * 3 and consumer.committed == [0]
    assert dlq.parked[0][2]["dlq.attempts"] == b"3"
    assert b"RuntimeError: database away" in dlq.parked[0][2]["dlq.error"]


def test_a_transient_failure_that_clears_is_handled_without_parking():
    calls = []

    def handler(event):
        calls.append(1)
        if len(calls) < 2:
            raise RuntimeError("blip")

    worker, _, dlq = run([FakeMessage(event_bytes("e1"), 0)], handler)
    assert worker.handled == 1 and dlq.parked == []


def test_the_offset_waits_until_the_dead_letter_topic_took_the_message():
    _, consumer, dlq = run([FakeMessage(b"{}", 0)], lambda e: None, FakeDeadLetters(fail_times=2))
    assert len(dlq.parked) == 1 and consumer.committed == [0]


def test_stopping_while_the_dead_letter_topic_is_down_commits_nothing():
    stop = threading.Event()
    consumer = FakeConsumer([FakeMessage(b"{}", 0)], stop)

    class DownDeadLetters(FakeDeadLetters):
        def produce(self, topic, *, key, value, headers, on_delivery):
            stop.set()
            on_delivery(KafkaError(KafkaError._TRANSPORT), None)

    KafkaWorker("test", consumer, DownDeadLetters(), lambda e: None, POLICY).run(stop)
    assert consumer.committed == [], "redelivered after the restart instead of lost"


def test_broker_errors_from_poll_are_skipped():
    seen = []
    _, consumer, _ = run([FakeMessage(None, 0, KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART)),
                          FakeMessage(event_bytes("e1"), 1)], lambda e: seen.append(e.event_id))
    assert seen == ["e1"] and consumer.committed == [1]


def test_decode_refuses_what_is_not_an_event():
    for value in (None, b"[]", b'{"event_id": "e"}', event_bytes("e").replace(b'"payload": {}', b'"payload": 3')):
        try:
            decode_event(value)
        except PoisonMessage:
            continue
        raise AssertionError(f"{value!r} was accepted")


def test_the_support_handler_opens_one_ticket_per_request_even_when_redelivered():
    tickets = InMemoryTicketRepository(InMemoryOutbox())
    payload = {"request_id": "r1", "user_id": "ana", "category": "order", "subject": "s", "description": "d",
               "submitted_at": "2026-11-23T10:00:00+00:00", "order_id": None, "page_url": None}
    message = event_bytes("e1", payload, name="support.request_submitted")
    run([FakeMessage(message, 0), FakeMessage(message, 1)], support_event_handler(OpenTicket(tickets, FakeClock())))
    assert list(tickets.tickets) == ["r1"]


def test_the_support_handler_parks_a_request_it_cannot_read():
    tickets = InMemoryTicketRepository(InMemoryOutbox())
    bad = event_bytes("e1", {"request_id": "r1", "category": "nonsense"}, name="support.request_submitted")
    worker, _, dlq = run([FakeMessage(bad, 0)], support_event_handler(OpenTicket(tickets, FakeClock())))
    assert tickets.tickets == {} and len(dlq.parked) == 1


def test_the_notifications_handler_parks_bad_recipients_and_writes_good_ones():
    inbox = InMemoryNotificationInbox()
    handler = notifications_event_handler(DeliverNotifications(inbox))
    worker, consumer, dlq = run([FakeMessage(event_bytes("e1", {"recipient_ids": "ana"}), 0),
                                 FakeMessage(event_bytes("e2", {"recipient_ids": ["ana"], "title": "Hi"}), 1)],
                                handler)
    assert len(dlq.parked) == 1 and [n.title for n in inbox.of("ana")] == ["Hi"]


def test_the_support_handler_commits_past_events_it_does_not_act_on():
    tickets = InMemoryTicketRepository(InMemoryOutbox())
    worker, consumer, dlq = run([FakeMessage(event_bytes("e1", {"x": 1}, name="support.something_else"), 0)],
                                support_event_handler(OpenTicket(tickets, FakeClock())))
    assert tickets.tickets == {} and dlq.parked == [] and consumer.committed == [0]
