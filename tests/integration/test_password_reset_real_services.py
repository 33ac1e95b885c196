"""Password reset end to end on the real stores and the real local SMTP server: the API on the
local MongoDB-compatible server records the mail in its outbox, the email worker's handler sends
it over SMTP, and the link read from the received mail works once and only once, also when the
worker died between the send and its record and the mail came twice."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from adapters.inbound.cli.email import email_event_handler, read_maildir
from adapters.inbound.cli.kafka_worker import ReceivedEvent
from application.email.ports import EmailSender, EmailTemplates, SentEmails
from application.email.use_cases import SendRequestedEmail
from application.shared.outbox_relay import OutboxStore
from application.shared.ports import Clock
from tests.conftest import app_on_mongo

pytestmark = pytest.mark.integration
PASSWORD = "a-long-enough-password-1"
NEW_PASSWORD = "a-new-long-password-2"


@pytest.fixture(scope="module")
def app(mongo_url: str, smtp_process):
    with app_on_mongo(mongo_url, "password_reset_integration", smtp_host="127.0.0.1", smtp_port=smtp_process.port,
                      smtp_tls="none", web_public_url="http://web.test") as application:
        yield application


class DiesBeforeMarking:
    """The worker process killed after the SMTP server accepted the mail, before the record."""

    def __init__(self, sent: SentEmails) -> None:
        self._sent = sent

    def was_sent(self, event_id: str) -> bool:
        return self._sent.was_sent(event_id)

    def mark_sent(self, event_id, template, at) -> None:
        raise SystemExit("SIGKILL")


def _pending_mail_events(app) -> list[ReceivedEvent]:
    injector = app.extensions["injector"]
    claimed = injector.get(OutboxStore).claim_due(injector.get(Clock).now() + timedelta(seconds=1), 100,
                                                  timedelta(seconds=1))
    return [ReceivedEvent(event_id=m.event_id, name=m.name, occurred_at=m.occurred_at, payload=m.payload)
            for m in claimed if m.name == "email.requested"]


def _worker(app, *, dies: bool = False):
    injector = app.extensions["injector"]
    sent = injector.get(SentEmails)
    return email_event_handler(SendRequestedEmail(sender=injector.get(EmailSender),
                                                  templates=injector.get(EmailTemplates),
                                                  sent=DiesBeforeMarking(sent) if dies else sent,
                                                  clock=injector.get(Clock)))


def _links(smtp_process, to: str) -> list[str]:
    return [token for mail in read_maildir(smtp_process.maildir, to=to)
            for token in re.findall(r"http://web\.test/restablecer\?token=([\w-]+)", mail["text"])]


def _signup(client, email: str) -> None:
    assert client.post("/auth/register", json={"email": email, "password": PASSWORD,
                                                "display_name": "Ana"}).status_code == 201


def test_the_mailed_link_works_once_and_only_once(app, smtp_process):
    client = app.test_client()
    _signup(client, "reset-once@example.com")
    assert client.post("/auth/password-reset", json={"email": "reset-once@example.com"}).status_code == 202
    events = _pending_mail_events(app)
    handle = _worker(app)
    for event in events:
        handle(event)
        handle(event)  # a redelivery: the sent-mail record stops it
    [token] = _links(smtp_process, "reset-once@example.com")

    first = client.post("/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    second = client.post("/auth/password-reset/confirm", json={"token": token, "new_password": "yet-another-pass-3"})
    assert first.status_code == 204
    assert second.status_code == 422 and "token" in second.json["errors"]["json"]
    assert client.post("/auth/login", json={"email": "reset-once@example.com", "password": NEW_PASSWORD}).status_code == 200


def test_a_worker_killed_between_send_and_mark_mails_the_link_twice_and_it_still_works_once(app, smtp_process):
    client = app.test_client()
    _signup(client, "reset-killed@example.com")
    client.post("/auth/password-reset", json={"email": "reset-killed@example.com"})
    [event] = [e for e in _pending_mail_events(app) if e.payload["to"] == "reset-killed@example.com"]
    with pytest.raises(SystemExit):
        _worker(app, dies=True)(event)
    _worker(app)(event)  # the group redelivers the uncommitted event to the next worker
    _worker(app)(event)  # and once more: recorded now, so nothing is sent
    tokens = _links(smtp_process, "reset-killed@example.com")
    assert len(tokens) == 2 and len(set(tokens)) == 1  # the one duplicate at-least-once allows

    answers = [client.post("/auth/password-reset/confirm", json={"token": t, "new_password": NEW_PASSWORD}).status_code
               for t in tokens]
    assert answers == [204, 422]
