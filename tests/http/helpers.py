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
