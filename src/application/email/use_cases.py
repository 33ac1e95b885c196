"""E-mail: the worker's use case that turns an ``email.requested`` event into a sent mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from application.email.ports import EmailSender, EmailTemplates, SentEmails
from application.shared.ports import Clock
from domain.shared.errors import InvalidInput


@dataclass(frozen=True)
class EmailRequest:
    event_id: str
    to: str
    template: str
    language: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SendRequestedEmail:
    """Sends each requested mail once per event id, at least once: the record is written only
    after the mail server accepted the mail, so a worker that dies between the two sends it
    again on redelivery. Mails must tolerate that (a reset link is single-use: a second copy of
    a used link is refused like any used link)."""

    sender: EmailSender
    templates: EmailTemplates
    sent: SentEmails
    clock: Clock

    def execute(self, request: EmailRequest) -> bool:
        if not isinstance(request.params, dict):
            raise InvalidInput("params must be an object", field="params")
        if self.sent.was_sent(request.event_id):
            return False
        message = self.templates.render(request.template, request.language, request.to, request.params)
        self.sender.send(message)
        self.sent.mark_sent(request.event_id, request.template, self.clock.now())
        return True
