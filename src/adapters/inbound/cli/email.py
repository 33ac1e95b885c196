"""`flask email-worker`: sends the mails requested through the outbox (``email.requested`` on the
marketplace events topic), once per event id at least once (see SendRequestedEmail), and
`flask mail-inbox`: what the local SMTP server of `make run` received."""

from __future__ import annotations

import email
import email.policy
import mailbox
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext
from injector import Injector

from adapters.inbound.cli.kafka_worker import KafkaWorker, PoisonMessage, ReceivedEvent, run_until_signalled
from adapters.inbound.cli.messaging import _app_parts, _worker
from application.email.use_cases import EmailRequest, SendRequestedEmail
from config import Settings
from domain.shared.email_requests import EMAIL_REQUESTED


def email_event_handler(send: SendRequestedEmail) -> Callable[[ReceivedEvent], None]:
    def handle(event: ReceivedEvent) -> None:
        if event.name != EMAIL_REQUESTED:
            return  # the topic carries every marketplace event; only mail requests are ours
        payload = event.payload
        try:
            request = EmailRequest(event_id=event.event_id, to=str(payload["to"]), template=str(payload["template"]),
                                   language=str(payload.get("language") or "es"), params=dict(payload["params"]))
        except (KeyError, TypeError, ValueError) as error:
            raise PoisonMessage(f"not a mail request: {type(error).__name__}: {error}") from None
        send.execute(request)

    return handle


def email_worker(settings: Settings, injector: Injector) -> KafkaWorker:
    return _worker("email-worker", settings, topic=settings.marketplace_events_topic,
                   dead_letter_topic=settings.marketplace_events_dlq_topic, group_id=settings.email_worker_group,
                   handler=email_event_handler(injector.get(SendRequestedEmail)))


@click.command("email-worker")
@with_appcontext
def email_worker_command() -> None:
    """Send the mails requested on the marketplace events topic, until stopped."""
    settings, injector = _app_parts()
    run_until_signalled(email_worker(settings, injector).run)


def read_maildir(path: str | Path, *, to: str | None = None) -> list[dict[str, str]]:
    """The mails of a Maildir, oldest first: to, subject, date and both bodies."""
    if not Path(path, "cur").is_dir():
        return []
    box = mailbox.Maildir(str(path), factory=None, create=False)
    mails = []
    for key in box.keys():
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        mails.append({"key": key, "to": str(message["To"] or ""), "subject": str(message["Subject"] or ""),
                      "date": str(message["Date"] or ""), "received": str(message["X-Received-At"] or ""),
                      "text": text.get_content() if text else "", "html": html.get_content() if html else ""})
    mails.sort(key=lambda m: (m["received"], m["key"]))
    return [m for m in mails if to is None or to.lower() in m["to"].lower()]


@click.command("mail-inbox")
@click.option("--maildir", default="var/mail", show_default=True, help="The local SMTP server's store.")
@click.option("--last", default=10, show_default=True, help="How many of the newest mails to show.")
@click.option("--to", "recipient", default=None, help="Only mails to this address.")
def mail_inbox(maildir: str, last: int, recipient: str | None) -> None:
    """Show the mails the local SMTP server (make run, devtools/mail_server.py) received, newest last."""
    mails = read_maildir(maildir, to=recipient)
    if not mails:
        click.echo(f"no mail in {maildir}")
    for mail in mails[-last:]:
        click.echo(f"--- {mail['received'] or mail['date']}  to {mail['to']}\nSubject: {mail['subject']}\n\n{mail['text']}")
