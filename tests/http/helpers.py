"""Small helpers for HTTP tests: sign people up and in through the API itself."""

from __future__ import annotations

from domain.shared.access import Role
from tests.fakes import FakesModule

PASSWORD = "a-long-password"


def register(client, email: str, role: str = "buyer", name: str = "Someone") -> dict:
    response = client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": name, "role": role})
    assert response.status_code == 201, response.json
    return response.json


def login(client, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.json
    return response.json


def auth(token_pair: dict) -> dict:
    return {"Authorization": f"Bearer {token_pair['access_token']}"}


def signed_in(client, email: str, role: str = "buyer") -> dict:
    register(client, email, role)
    return auth(login(client, email))


def staff(client, fakes: FakesModule, email: str, role: Role) -> dict:
    """Support agents and admins are not self-registered: promote a registered user in the fake store."""
    account = register(client, email)
    stored = fakes.users.users[account["id"]]
    stored.roles = frozenset({role})
    return auth(login(client, email))


def deliver_mails(app, fakes: FakesModule) -> None:
    """What the email worker does, here and now: every email.requested event in the outbox is
    rendered and handed to the fake sender (once per event id, as the worker de-duplicates)."""
    from adapters.inbound.cli.email import email_event_handler
    from adapters.inbound.cli.kafka_worker import ReceivedEvent
    from application.email.use_cases import SendRequestedEmail

    handle = email_event_handler(app.extensions["injector"].get(SendRequestedEmail))
    for message in fakes.outbox.messages():
        handle(ReceivedEvent(event_id=message.event_id, name=message.name, occurred_at=message.occurred_at,
                             payload=message.payload))


def mailed_token(app, fakes: FakesModule, to: str, page: str = "/restablecer") -> str:
    """The token of the newest link to ``page`` mailed to ``to``, read from the mail's text as a person would."""
    import re

    deliver_mails(app, fakes)
    links = [m for mail in fakes.email_sender.to(to) for m in re.findall(rf"{page}\?token=([\w%-]+)", mail.text)]
    assert links, f"no mail with a {page} link to {to}"
    from urllib.parse import unquote

    return unquote(links[-1])
