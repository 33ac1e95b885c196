"""The email worker's handler on the real local SMTP server (aiosmtpd, devtools/mail_server.py):
mails arrive with both bodies, once per event id, and a worker killed between the send and the
record sends at most one copy more (the documented at-least-once)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.inbound.cli.email import email_event_handler, read_maildir
from adapters.inbound.cli.kafka_worker import PoisonMessage, ReceivedEvent
from adapters.outbound.email.in_memory import InMemorySentEmails
from adapters.outbound.email.smtp import SmtpEmailSender
from adapters.outbound.email.templates import LocalizedTemplates
from application.email.use_cases import SendRequestedEmail
from domain.shared.email_requests import PASSWORD_RESET, email_requested
from domain.shared.errors import DependencyUnavailable
from devtools.processes import free_port
from tests.fakes import FakeClock

pytestmark = pytest.mark.integration


def _sender(port: int) -> SmtpEmailSender:
    return SmtpEmailSender(host="127.0.0.1", port=port, mail_from="Mercado <no-reply@marketplace.test>", tls="none",
                           timeout_seconds=5)


def _event(to: str) -> ReceivedEvent:
    event = email_requested(to=to, template=PASSWORD_RESET, language="es", key="u1",
                            params={"token": "secret-token", "name": "Ana", "minutes": 30},
                            occurred_at=datetime(2026, 12, 4, tzinfo=UTC))
    return ReceivedEvent(event_id=event.event_id, name=event.name, occurred_at=event.occurred_at,
                         payload=event.payload)


class KilledBeforeMark(InMemorySentEmails):
    """The worker dies after the SMTP server accepted the mail and before the record is written."""

    def __init__(self) -> None:
        super().__init__()
        self.kills = 1

    def mark_sent(self, event_id, template, at) -> None:
        if self.kills:
            self.kills -= 1
            raise SystemExit("killed")
        super().mark_sent(event_id, template, at)


def test_a_mail_reaches_the_local_server_with_text_and_html_once_per_event(smtp_process):
    sent = InMemorySentEmails()
    handle = email_event_handler(SendRequestedEmail(sender=_sender(smtp_process.port),
                                                    templates=LocalizedTemplates("http://web.test"), sent=sent,
                                                    clock=FakeClock()))
    event = _event("smtp-once@example.com")
    handle(event)
    handle(event)  # Kafka redelivers: nothing more is sent
    [mail] = read_maildir(smtp_process.maildir, to="smtp-once@example.com")
    assert mail["subject"] == "Restablece tu contraseña"
    assert "http://web.test/restablecer?token=secret-token" in mail["text"]
    assert 'href="http://web.test/restablecer?token=secret-token"' in mail["html"]


def test_a_worker_killed_between_send_and_mark_sends_one_copy_more_and_no_other(smtp_process):
    sent = KilledBeforeMark()
    handle = email_event_handler(SendRequestedEmail(sender=_sender(smtp_process.port),
                                                    templates=LocalizedTemplates("http://web.test"), sent=sent,
                                                    clock=FakeClock()))
    event = _event("smtp-killed@example.com")
    with pytest.raises(SystemExit):
        handle(event)
    # The offset was not committed: the next worker gets the event again, and again after that.
    handle(event)
    handle(event)
    assert len(read_maildir(smtp_process.maildir, to="smtp-killed@example.com")) == 2


def test_an_unreachable_server_is_a_dependency_to_retry_and_nothing_is_marked():
    sent = InMemorySentEmails()
    handle = email_event_handler(SendRequestedEmail(sender=_sender(free_port()),
                                                    templates=LocalizedTemplates("http://web.test"), sent=sent,
                                                    clock=FakeClock()))
    with pytest.raises(DependencyUnavailable):
        handle(_event("nobody@example.com"))
    assert not sent.sent


def test_a_malformed_request_is_poison():
    handle = email_event_handler(None)  # type: ignore[arg-type]
    with pytest.raises(PoisonMessage):
        handle(ReceivedEvent(event_id="e", name="email.requested", occurred_at=datetime.now(UTC), payload={}))
    handle(ReceivedEvent(event_id="e", name="order.paid", occurred_at=datetime.now(UTC), payload={}))


def test_starttls_never_falls_back_to_plain_text(smtp_process):
    """The local server offers no STARTTLS: a sender configured for it refuses to send in the clear."""
    sender = SmtpEmailSender(host="127.0.0.1", port=smtp_process.port, mail_from="no-reply@marketplace.test",
                             tls="starttls", timeout_seconds=5)
    from domain.email.messages import OutgoingEmail

    with pytest.raises(DependencyUnavailable):
        sender.send(OutgoingEmail(to="plain@example.com", subject="s", text="t", html="<p>h</p>"))
    assert read_maildir(smtp_process.maildir, to="plain@example.com") == []
