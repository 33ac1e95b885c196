"""Getting back into an account by e-mail: a password reset mailed as a single-use, short-lived
link (issue #19). The mail is requested through the outbox (``email.requested``) and sent by
the email worker; these use cases never talk to a mail server."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from application.accounts.ports import (
    LoginThrottle,
    OneTimeTokenStore,
    PasswordHasher,
    RecoveryPolicy,
    RefreshSessionStore,
    UserRepository,
)
from application.shared.ports import Clock
from domain.accounts.email import Email
from domain.accounts.one_time_tokens import (
    PASSWORD_RESET,
    InvalidOneTimeToken,
    OneTimeToken,
    hash_one_time_token,
)
from domain.accounts.password_policy import check_password_policy
from domain.accounts.user import User
from domain.shared import email_requests
from domain.shared.errors import InvalidInput, TooManyAttempts
from domain.shared.ids import new_id


def mail_token(user: User, *, purpose: str, template: str, language: str, tokens: OneTimeTokenStore,
               clock: Clock, lifetime: timedelta) -> None:
    """Store a new token's hash and record the mail that carries it, on the user (the outbox)."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    tokens.add(OneTimeToken(id=new_id(), user_id=user.id, purpose=purpose, token_hash=hash_one_time_token(token),
                            email=user.email.value, issued_at=now, expires_at=now + lifetime))
    user.record(email_requests.email_requested(
        to=user.email.value, template=template, language=language, key=user.id, occurred_at=now,
        params={"token": token, "name": user.display_name, "minutes": int(lifetime.total_seconds() // 60)}))


@dataclass(frozen=True)
class RequestPasswordResetCommand:
    email: str
    client_address: str
    language: str = email_requests.DEFAULT_LANGUAGE


@dataclass(frozen=True)
class RequestPasswordReset:
    """Mails a reset link if the address has an account; the caller learns nothing either way
    (same answer, and the same throttle for known and unknown addresses)."""

    users: UserRepository
    tokens: OneTimeTokenStore
    throttle: LoginThrottle
    policy: RecoveryPolicy
    clock: Clock

    def execute(self, command: RequestPasswordResetCommand) -> None:
        email = Email(command.email)
        now = self.clock.now()
        # Every request counts, not only failures: this throttle bounds the mails one address or
        # one client can make us send (someone else's inbox flooded with our links).
        keys = [f"password-reset:{email.value}", f"address:password-reset:{command.client_address}"]
        wait = self.throttle.retry_after(keys, now)
        if wait is not None:
            raise TooManyAttempts("too many password reset requests; try again later", retry_after_seconds=wait)
        self.throttle.record_failure(keys, now)
        user = self.users.get_by_email(email)
        if user is None or user.deleted:
            return
        mail_token(user, purpose=PASSWORD_RESET, template=email_requests.PASSWORD_RESET, language=command.language,
                   tokens=self.tokens, clock=self.clock, lifetime=self.policy.password_reset_ttl)
        self.users.save(user)


@dataclass(frozen=True)
class ConfirmPasswordResetCommand:
    token: str
    new_password: str


@dataclass(frozen=True)
class ConfirmPasswordReset:
    """Sets the new password with a reset link's token, once: the token is used up, every other
    reset link of the person dies, and every session (refresh token, access token) ends."""

    users: UserRepository
    hasher: PasswordHasher
    tokens: OneTimeTokenStore
    sessions: RefreshSessionStore
    clock: Clock

    def execute(self, command: ConfirmPasswordResetCommand) -> None:
        if not isinstance(command.token, str) or not command.token or len(command.token) > 200:
            raise InvalidInput("token must be the one of the link you received", field="token")
        now = self.clock.now()
        token = self.tokens.find_usable(hash_one_time_token(command.token), PASSWORD_RESET, now)
        if token is None:
            raise InvalidOneTimeToken()
        user = self.users.get(token.user_id)
        if user is None or user.deleted or user.email.value != token.email:
            raise InvalidOneTimeToken()
        # Checked before the token is spent: a refused password leaves the link usable.
        check_password_policy(command.new_password, user.email, field="new_password")
        if not self.tokens.consume(token.id, now):
            raise InvalidOneTimeToken()  # the same link used twice at once: one of them wins
        user.change_password_hash(self.hasher.hash(command.new_password))
        self.users.save(user)
        self.tokens.revoke_all(user.id, PASSWORD_RESET, now)
        self.sessions.revoke_all_for_user(user.id, now)
