from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from domain.email.messages import OutgoingEmail


class EmailSender(Protocol):
    def send(self, message: OutgoingEmail) -> None:
        """Hand the mail to the mail server; returns once the server accepted it. Raises
        DependencyUnavailable when it cannot be reached or refuses for now (retry later)."""
        ...


class EmailTemplates(Protocol):
    def render(self, template: str, language: str, to: str, params: dict[str, Any]) -> OutgoingEmail:
        """The mail in the language asked for (Spanish when unknown); UnknownTemplate otherwise."""
        ...


class SentEmails(Protocol):
    """Which ``email.requested`` events were handed to the mail server already, by event id."""

    def was_sent(self, event_id: str) -> bool: ...

    def mark_sent(self, event_id: str, template: str, at: datetime) -> None:
        """Idempotent: marking again keeps the first record."""
        ...
