"""Sending a requested mail: rendered in the reader's language, sent once per event id."""

from __future__ import annotations

import pytest

from adapters.outbound.email.in_memory import InMemoryEmailSender, InMemorySentEmails
from adapters.outbound.email.templates import LocalizedTemplates, template_names
from application.email.use_cases import EmailRequest, SendRequestedEmail
from domain.email.messages import OutgoingEmail, UnknownTemplate
from domain.shared.email_requests import LANGUAGES, PASSWORD_RESET
from domain.shared.errors import InvalidInput
from tests.fakes import FakeClock


def _send() -> tuple[SendRequestedEmail, InMemoryEmailSender, InMemorySentEmails]:
    sender, sent = InMemoryEmailSender(), InMemorySentEmails()
    return SendRequestedEmail(sender=sender, templates=LocalizedTemplates("https://web.example/"), sent=sent,
                              clock=FakeClock()), sender, sent


def _reset(event_id: str = "ev-1", language: str = "es") -> EmailRequest:
    return EmailRequest(event_id=event_id, to="ana@example.com", template=PASSWORD_RESET, language=language,
                        params={"token": "tok/en+1", "name": "Ana <b>", "minutes": 30})


def test_a_reset_mail_is_spanish_by_default_with_the_link_in_both_bodies():
    send, sender, _ = _send()
    assert send.execute(_reset(language="fr")) is True
    [mail] = sender.outbox
    assert mail.subject == "Restablece tu contraseña"
    link = "https://web.example/restablecer?token=tok%2Fen%2B1"
    assert link in mail.text and f'href="{link}"' in mail.html
    assert "30 minutos" in mail.text and "Hola, Ana <b>:" in mail.text
    assert "Ana &lt;b&gt;" in mail.html and "<b>" not in mail.html.replace("<body", "")


def test_english_readers_get_english():
    send, sender, _ = _send()
    send.execute(_reset(language="en"))
    assert sender.outbox[0].subject == "Reset your password" and "valid for 30 minutes" in sender.outbox[0].text


def test_the_same_event_again_sends_nothing():
    send, sender, sent = _send()
    assert send.execute(_reset()) is True
    assert send.execute(_reset()) is False
    assert len(sender.outbox) == 1 and set(sent.sent) == {"ev-1"}
    send.execute(_reset("ev-2"))
    assert len(sender.outbox) == 2


def test_a_failed_send_is_not_marked_so_the_redelivery_sends_it():
    send, sender, sent = _send()

    class Down:
        def send(self, message: OutgoingEmail) -> None:
            raise ConnectionError("smtp down")

    failing = SendRequestedEmail(sender=Down(), templates=send.templates, sent=sent, clock=FakeClock())
    with pytest.raises(ConnectionError):
        failing.execute(_reset())
    assert not sent.sent
    send.execute(_reset())
    assert len(sender.outbox) == 1


def test_an_unknown_template_or_a_missing_token_is_bad_input():
    send, _, _ = _send()
    with pytest.raises(UnknownTemplate):
        send.execute(EmailRequest(event_id="e", to="a@b.es", template="nope", language="es", params={"token": "x"}))
    with pytest.raises(InvalidInput) as error:
        send.execute(EmailRequest(event_id="e", to="a@b.es", template=PASSWORD_RESET, language="es", params={}))
    assert error.value.field == "token"


def test_every_template_has_both_languages():
    templates = LocalizedTemplates("http://w")
    for name in template_names():
        subjects = {templates.render(name, lang, "a@b.es", {"token": "t", "name": "A", "minutes": 1}).subject
                    for lang in LANGUAGES}
        assert len(subjects) == len(LANGUAGES), name


def test_a_header_injection_in_the_address_is_refused():
    with pytest.raises(InvalidInput):
        OutgoingEmail(to="a@b.es\nBcc: all@x.es", subject="s", text="t", html="h")
