"""The EmailSender on a real SMTP server (smtplib): STARTTLS or implicit TLS, with credentials
from configuration. Every call opens its own connection: the worker sends a few mails a minute,
and a connection kept open would die quietly between them."""

from __future__ import annotations

import smtplib
import ssl
import socket
from email.message import EmailMessage
from email.utils import make_msgid

from domain.email.messages import OutgoingEmail
from domain.shared.errors import DependencyUnavailable, InvalidInput

TLS_MODES = ("none", "starttls", "ssl")


class SmtpEmailSender:
    def __init__(self, *, host: str, port: int, mail_from: str, username: str = "", password: str = "",
                 tls: str = "starttls", timeout_seconds: float = 10.0) -> None:
        if tls not in TLS_MODES:
            raise ValueError(f"tls must be one of {TLS_MODES}")
        self._host, self._port, self._from = host, port, mail_from
        self._username, self._password, self._tls = username, password, tls
        self._timeout = timeout_seconds

    def build(self, message: OutgoingEmail) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self._from
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(domain=self._from.rsplit("@", 1)[-1].strip(">") or None)
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        return mail

    def send(self, message: OutgoingEmail) -> None:
        mail = self.build(message)
        context = ssl.create_default_context()
        try:
            if self._tls == "ssl":
                server: smtplib.SMTP = smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=context)
            else:
                server = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with server:
                if self._tls == "starttls":
                    server.starttls(context=context)
                if self._username:
                    server.login(self._username, self._password)
                server.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            # The address itself is refused for good: retrying cannot help, so the worker parks it.
            raise InvalidInput(f"the mail server refused the recipient: {error.recipients}", field="to") from None
        except (smtplib.SMTPException, OSError, socket.timeout) as error:
            raise DependencyUnavailable(f"the mail server cannot take the mail now: {type(error).__name__}") from None
