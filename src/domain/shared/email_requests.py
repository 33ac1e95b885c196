"""The contract between a context that wants a person e-mailed and the e-mail context that sends:
an ``email.requested`` event on the marketplace events topic, written to the outbox with the
change that caused it. The event names a template and its parameters, never a rendered body, so
the words live in one place (the e-mail context's templates) in each language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.shared.events import DomainEvent

TOPIC = "marketplace.events"
EMAIL_REQUESTED = "email.requested"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"

PASSWORD_RESET = "password_reset"
VERIFY_EMAIL = "verify_email"


def email_requested(*, to: str, template: str, language: str, params: dict[str, Any], key: str,
                    occurred_at: datetime) -> DomainEvent:
    # ``key`` (the user id) keeps one person's mails in order on one partition.
    return DomainEvent(name=EMAIL_REQUESTED, topic=TOPIC, key=key, occurred_at=occurred_at,
                       payload={"to": to, "template": template,
                                "language": language if language in LANGUAGES else DEFAULT_LANGUAGE,
                                "params": dict(params)})
