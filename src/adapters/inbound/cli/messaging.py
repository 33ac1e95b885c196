"""The worker processes beside the API: the outbox relay, the support worker and the
notifications worker (`flask outbox-relay`, `flask support-worker`, `flask notifications-worker`).
Each stops cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from injector import Injector

from adapters.inbound.cli.kafka_worker import (
    ConsumerSettings,
    KafkaWorker,
    PoisonMessage,
    ReceivedEvent,
    WorkerPolicy,
    build_consumer,
    build_dead_letter_producer,
    ensure_topics,
    run_until_signalled,
)
from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.shared.outbox_relay import RelayOutbox, ReplayOutbox
from application.shared.ports import Clock
from application.support.use_cases import OpenTicket, OpenTicketCommand
from config import Settings
from domain.support.events import SUPPORT_REQUEST_SUBMITTED
from domain.support.requests import Category


def support_event_handler(open_ticket: OpenTicket) -> Callable[[ReceivedEvent], None]:
    def handle(event: ReceivedEvent) -> None:
        if event.name != SUPPORT_REQUEST_SUBMITTED:
            return  # another kind of event on the topic: not ours to act on
        payload = event.payload
        try:
            command = OpenTicketCommand(
                request_id=str(payload["request_id"]), user_id=str(payload["user_id"]),
                category=Category(payload["category"]), subject=str(payload["subject"]),
                description=str(payload["description"]),
                submitted_at=datetime.fromisoformat(payload["submitted_at"]),
                order_id=payload.get("order_id"), page_url=payload.get("page_url"))
        except (KeyError, ValueError, TypeError) as error:
            raise PoisonMessage(f"not a support request: {type(error).__name__}: {error}") from None
        open_ticket.execute(command)

    return handle


def notifications_event_handler(deliver: DeliverNotifications) -> Callable[[ReceivedEvent], None]:
    def handle(event: ReceivedEvent) -> None:
        deliver.execute(IncomingEvent(event_id=event.event_id, name=event.name, occurred_at=event.occurred_at,
                                      payload=event.payload))

    return handle


def _worker(name: str, settings: Settings, *, topic: str, dead_letter_topic: str, group_id: str,
            handler: Callable[[ReceivedEvent], None]) -> KafkaWorker:
    ensure_topics(settings.kafka_bootstrap_servers, [topic, dead_letter_topic])
    consumer = build_consumer(ConsumerSettings(
        bootstrap_servers=settings.kafka_bootstrap_servers, group_id=group_id, topic=topic,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms))
    dead_letters = build_dead_letter_producer(settings.kafka_bootstrap_servers,
                                              delivery_timeout_ms=settings.kafka_delivery_timeout_ms)
    policy = WorkerPolicy(dead_letter_topic=dead_letter_topic, max_attempts=settings.consumer_max_attempts,
                          retry_backoff_seconds=settings.consumer_retry_backoff_ms / 1000)
    return KafkaWorker(name, consumer, dead_letters, handler, policy)


def support_worker(settings: Settings, injector: Injector) -> KafkaWorker:
    return _worker("support-worker", settings, topic=settings.support_requests_topic,
                   dead_letter_topic=settings.support_requests_dlq_topic, group_id=settings.support_worker_group,
                   handler=support_event_handler(injector.get(OpenTicket)))


def notifications_worker(settings: Settings, injector: Injector) -> KafkaWorker:
    return _worker("notifications-worker", settings, topic=settings.marketplace_events_topic,
                   dead_letter_topic=settings.marketplace_events_dlq_topic,
                   group_id=settings.notifications_worker_group,
                   handler=notifications_event_handler(injector.get(DeliverNotifications)))


def _app_parts() -> tuple[Settings, Injector]:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return current_app.extensions["settings"], current_app.extensions["injector"]


@click.command("outbox-relay")
@with_appcontext
def outbox_relay() -> None:
    """Publish the outbox's pending events to Kafka, until stopped."""
    _, injector = _app_parts()
    run_until_signalled(injector.get(RelayOutbox).run)


@click.command("support-worker")
@with_appcontext
def support_worker_command() -> None:
    """Open a ticket for every support request on Kafka, until stopped."""
    settings, injector = _app_parts()
    run_until_signalled(support_worker(settings, injector).run)


@click.command("notifications-worker")
@with_appcontext
def notifications_worker_command() -> None:
    """Write the events on the marketplace events topic to the inboxes they name, until stopped."""
    settings, injector = _app_parts()
    run_until_signalled(notifications_worker(settings, injector).run)


_DURATION = re.compile(r"(\d+)([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str, now: datetime) -> datetime:
    """``45m``, ``2h``, ``1d`` before now, or an ISO 8601 time (UTC when it names no offset)."""
    text = value.strip()
    if match := _DURATION.fullmatch(text):
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter("expected a duration like 45m, 2h, 1d or an ISO 8601 time",
                                 param_hint="--since") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment > now:
        raise click.BadParameter("must not be in the future", param_hint="--since")
    return moment


@click.command("outbox-replay")
@click.option("--since", "since", required=True, metavar="WHEN",
              help="Publish again what was sent since then: 45m, 2h, 1d, or an ISO 8601 time.")
@with_appcontext
def outbox_replay(since: str) -> None:
    """Publish again the events sent since WHEN: after the broker lost what it had acknowledged
    (a broker without storage restarted, a cluster rebuilt). Consumers ignore copies they handled."""
    injector: Injector = current_app.extensions["injector"]
    moment = parse_since(since, injector.get(Clock).now())
    count = injector.get(ReplayOutbox).execute(since=moment)
    click.echo(f"{count} event(s) sent since {moment.isoformat()} queued; the outbox relay publishes them again")


WORKER_COMMANDS = [outbox_relay, support_worker_command, notifications_worker_command, outbox_replay]
