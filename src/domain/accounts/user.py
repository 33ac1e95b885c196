from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.accounts.email import Email
from domain.accounts.events import account_deleted
from domain.shared.access import Actor, Role
from domain.shared.erasure import FORMER_USER_NAME, erased_email
from domain.shared.errors import InvalidInput
from domain.shared.events import RecordsEvents

SELF_SERVICE_ROLES = frozenset({Role.BUYER, Role.SELLER})
MAX_DISPLAY_NAME = 80


SURNAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "i", "van", "von", "da", "di"})


def public_name(display_name: str) -> str:
    """How a person is named to strangers (a review's author): the first name and the initial of
    the last, as home-services marketplaces do ("Ana García López" -> "Ana G.")."""
    words = display_name.split()
    # The first surname names a person in Spanish ("García" of "Ana García López"); "de la" does not.
    surnames = [word for word in words[1:] if word.lower() not in SURNAME_PARTICLES]
    if not words or not surnames:
        return " ".join(words)
    return f"{words[0]} {surnames[0][0].upper()}."


def clean_display_name(name: str) -> str:
    cleaned = " ".join(name.split()) if isinstance(name, str) else ""
    if not cleaned:
        raise InvalidInput("display name must not be empty", field="display_name")
    if len(cleaned) > MAX_DISPLAY_NAME:
        raise InvalidInput(f"display name must have at most {MAX_DISPLAY_NAME} characters", field="display_name")
    return cleaned


@dataclass
class User(RecordsEvents):
    id: str
    email: Email
    display_name: str
    password_hash: str
    roles: frozenset[Role]
    created_at: datetime
    phone: str | None = None
    # Bumped on password change: access tokens issued before it stop working.
    session_epoch: int = 0
    version: int = 0
    deleted: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def register(cls, *, user_id: str, email: Email, display_name: str, password_hash: str,
                 role: Role, now: datetime) -> User:
        if role not in SELF_SERVICE_ROLES:
            raise InvalidInput("you can register as a buyer or a seller", field="role")
        # Every seller can also buy.
        roles = frozenset({Role.BUYER, Role.SELLER}) if role is Role.SELLER else frozenset({Role.BUYER})
        return cls(id=user_id, email=email, display_name=clean_display_name(display_name),
                   password_hash=password_hash, roles=roles, created_at=now)

    def as_actor(self) -> Actor:
        return Actor(user_id=self.id, roles=self.roles)

    def rename(self, display_name: str) -> None:
        self.display_name = clean_display_name(display_name)

    def change_phone(self, phone: str | None) -> None:
        if phone is not None:
            digits = phone.replace(" ", "").replace("-", "")
            if not (digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16):
                raise InvalidInput("phone must be in international format, e.g. +34 600 123 456", field="phone")
            phone = digits
        self.phone = phone

    def become_seller(self) -> None:
        self.roles = self.roles | {Role.SELLER}

    def change_password_hash(self, new_hash: str) -> None:
        self.password_hash = new_hash
        self.session_epoch += 1

    def delete(self, now: datetime, *, replayed: bool = False) -> None:
        """Erase what identifies the person and close the account, recording ``account.deleted``
        for every other context. Idempotent on the data; every call records the event, because a
        replay after a restore must reach contexts whose erasure the restore undid."""
        self.deleted = True
        self.email = Email(erased_email(self.id))
        self.display_name = FORMER_USER_NAME
        self.phone = None
        # Not a hash any hasher accepts: the password stops working even if the flag were missed.
        self.password_hash = "!erased"
        self.extra = {}
        # Access tokens already issued carry the old epoch: they are refused from now on.
        self.session_epoch += 1
        self.record(account_deleted(self.id, deleted_at=now, replayed=replayed))
