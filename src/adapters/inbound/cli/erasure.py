"""The erasure worker (`flask erasure-worker`): on ``account.deleted`` every bounded context erases
its own part of the person, through its own use case.

One process and one consumer group with a handler per context, rather than a group per context:
every handler is naturally idempotent (erasing what is erased changes nothing), so a redelivered
or retried event is harmless and one offset is all there is to watch. One context failing (Square
unreachable for the revocation) does not stop the others: each is run, then the event fails as a
whole and is retried, re-running the finished contexts as no-ops. After the worker's retries it
is parked on the dead-letter topic, from where an operator re-drives it.

``ERASURE_HANDLERS`` is the list a context joins by holding personal data; the architecture test
fails for a context in bootstrap's CONTEXT_MODULES that is in neither it nor ``HOLDS_NO_PERSONAL_DATA``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from injector import Injector

from adapters.inbound.cli.kafka_worker import KafkaWorker, PoisonMessage, ReceivedEvent, run_until_signalled
from adapters.inbound.cli.messaging import _worker
from application.accounts.use_cases import EraseAccountData
from application.catalog.use_cases import EraseSellerListings
from application.conversations.use_cases import EraseMessagesOfDeletedPerson
from application.notifications.use_cases import EmptyInboxOfDeletedPerson
from application.orders.use_cases import EraseOrderPersonalData
from application.payments.use_cases import RevokeSquareOfDeletedSeller
from application.privacy.use_cases import ForgetExportsOfDeletedPerson
from application.reviews.use_cases import DetachReviewsOfDeletedPerson
from application.shared.erasure import PersonDeleted
from application.support.use_cases import EraseSupportDataOfDeletedPerson
from config import Settings
from domain.accounts.events import ACCOUNT_DELETED

log = logging.getLogger(__name__)

# Context (its package name under application/) -> its erasure use case, whose execute takes PersonDeleted.
ERASURE_HANDLERS: dict[str, type] = {
    "accounts": EraseAccountData,
    "catalog": EraseSellerListings,
    "orders": EraseOrderPersonalData,
    "payments": RevokeSquareOfDeletedSeller,
    "reviews": DetachReviewsOfDeletedPerson,
    "conversations": EraseMessagesOfDeletedPerson,
    "support": EraseSupportDataOfDeletedPerson,
    "notifications": EmptyInboxOfDeletedPerson,
    "privacy": ForgetExportsOfDeletedPerson,
}

# Contexts that keep nothing about a person of their own, and why. A new context lands in one of the two.
HOLDS_NO_PERSONAL_DATA: dict[str, str] = {
    "operations": "backups are whole-database archives: the README's retention bounds them, and a restore "
                  "replays the deletions made since (the deletion log)",
    "email": "sent-mail records keep the event id, the template and the time only; the address travels in the "
             "email.requested event, which the outbox expires like any other",
    "shared": "the outbox relays other contexts' events; sent events expire after 7 days (TTL index) and "
              "account.deleted itself carries only the user id",
}


class ErasureFailed(Exception):
    """Some contexts could not erase their part; the event is retried for all (the rest are no-ops)."""


def erasure_event_handler(handlers: dict[str, Callable[[PersonDeleted], object]]) -> Callable[[ReceivedEvent], None]:
    def handle(event: ReceivedEvent) -> None:
        if event.name != ACCOUNT_DELETED:
            return  # the other events on the topic are the notifications worker's
        try:
            deleted = PersonDeleted(person_id=str(event.payload["user_id"]),
                                    deleted_at=datetime.fromisoformat(event.payload["deleted_at"]))
        except (KeyError, ValueError, TypeError) as error:
            raise PoisonMessage(f"not an account deletion: {type(error).__name__}: {error}") from None
        failed = []
        for context, erase in handlers.items():
            try:
                erase(deleted)
            except Exception as error:  # one context's failure must not keep the others from erasing
                log.warning("erasure of %s in %s failed: %s: %s", deleted.person_id, context,
                            type(error).__name__, error)
                failed.append(context)
        if failed:
            raise ErasureFailed(f"erasure of {deleted.person_id} failed in {', '.join(failed)}")
        log.info("erased %s in %d contexts (event %s)", deleted.person_id, len(handlers), event.event_id)

    return handle


def erasure_handlers(injector: Injector) -> dict[str, Callable[[PersonDeleted], object]]:
    return {context: injector.get(use_case).execute for context, use_case in ERASURE_HANDLERS.items()}


def erasure_worker(settings: Settings, injector: Injector) -> KafkaWorker:
    return _worker("erasure-worker", settings, topic=settings.marketplace_events_topic,
                   dead_letter_topic=settings.marketplace_events_dlq_topic, group_id=settings.erasure_worker_group,
                   handler=erasure_event_handler(erasure_handlers(injector)))


@click.command("erasure-worker")
@with_appcontext
def erasure_worker_command() -> None:
    """Erase deleted people's data in every context (account.deleted on the events topic), until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings, injector = current_app.extensions["settings"], current_app.extensions["injector"]
    run_until_signalled(erasure_worker(settings, injector).run)
