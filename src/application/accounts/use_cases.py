"""Accounts: registration, login with rotating refresh tokens, profile and password."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.accounts.ports import (
    AccessClaims,
    AccessTokens,
    DeletionLog,
    ErasureBlockers,
    LoginThrottle,
    PasswordHasher,
    PasswordStrength,
    RefreshSessionStore,
    UserRepository,
)
from application.shared.erasure import PersonDeleted
from application.shared.ports import Clock
from domain.accounts.email import Email
from domain.accounts.errors import (
    AccountHasOpenCommitments,
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    UserNotFound,
    WrongPassword,
)
from domain.accounts.password_policy import check_password_policy, refuse_weak_password
from domain.accounts.sessions import RefreshSession
from domain.accounts.user import User, public_name
from domain.shared.access import Actor, Role
from domain.shared.errors import DomainError, TooManyAttempts
from domain.shared.ids import new_id

REFRESH_TOKEN_LIFETIME = timedelta(days=30)


def hash_refresh_token(token: str) -> str:
    # A refresh token is 256 random bits: a fast hash is enough, and only the hash is stored.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str
    user: User


def _check_new_password(password: str, email: Email, names: list[str], strength: PasswordStrength, *,
                        field: str = "password") -> None:
    check_password_policy(password, email, field=field)
    weakness = strength.weakness(password, [email.value, *names])
    if weakness is not None:
        raise refuse_weak_password(weakness, field=field)


@dataclass(frozen=True)
class RegisterUserCommand:
    email: str
    password: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class RegisterUser:
    users: UserRepository
    hasher: PasswordHasher
    strength: PasswordStrength
    clock: Clock

    def execute(self, command: RegisterUserCommand) -> User:
        email = Email(command.email)
        _check_new_password(command.password, email, [command.display_name], self.strength)
        user = User.register(user_id=new_id(), email=email, display_name=command.display_name,
                             password_hash=self.hasher.hash(command.password), role=command.role,
                             now=self.clock.now())
        self.users.add(user)
        return user


def _issue_pair(user: User, *, tokens: AccessTokens, sessions: RefreshSessionStore, clock: Clock,
                family_id: str | None = None) -> TokenPair:
    now = clock.now()
    access_token, expires_in = tokens.issue(user, now)
    refresh_token = secrets.token_urlsafe(32)
    sessions.add(RefreshSession(id=new_id(), family_id=family_id or new_id(), user_id=user.id,
                                token_hash=hash_refresh_token(refresh_token), issued_at=now,
                                expires_at=now + REFRESH_TOKEN_LIFETIME))
    return TokenPair(access_token=access_token, expires_in=expires_in, refresh_token=refresh_token, user=user)


@dataclass(frozen=True)
class LogInCommand:
    email: str
    password: str
    client_address: str


@dataclass(frozen=True)
class LogIn:
    users: UserRepository
    hasher: PasswordHasher
    tokens: AccessTokens
    sessions: RefreshSessionStore
    throttle: LoginThrottle
    clock: Clock

    def execute(self, command: LogInCommand) -> TokenPair:
        now = self.clock.now()
        keys = [f"email:{command.email.strip().lower()}", f"address:{command.client_address}"]
        wait = self.throttle.retry_after(keys, now)
        if wait is not None:
            raise TooManyAttempts("too many failed logins; try again later", retry_after_seconds=wait)
        user = self._find(command.email)
        if user is None or user.deleted:
            self.hasher.dummy_verify(command.password)
            self.throttle.record_failure(keys, now)
            raise InvalidCredentials()
        if not self.hasher.verify(user.password_hash, command.password):
            self.throttle.record_failure(keys, now)
            raise InvalidCredentials()
        self.throttle.reset(keys)
        if self.hasher.needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(command.password)
            self.users.save(user)
        return _issue_pair(user, tokens=self.tokens, sessions=self.sessions, clock=self.clock)

    def _find(self, raw_email: str) -> User | None:
        try:
            email = Email(raw_email)
        except Exception:  # a malformed e-mail is just an unknown one here
            return None
        return self.users.get_by_email(email)


@dataclass(frozen=True)
class RefreshTokens:
    users: UserRepository
    tokens: AccessTokens
    sessions: RefreshSessionStore
    clock: Clock

    def execute(self, refresh_token: str) -> TokenPair:
        now = self.clock.now()
        token_hash = hash_refresh_token(refresh_token)
        session = self.sessions.get_by_token_hash(token_hash)
        if session is None:
            raise InvalidToken("refresh token is not valid")
        if session.rotated_at is None:
            if not session.is_usable(now):
                raise InvalidToken("refresh token has expired or was revoked")
            if self.sessions.mark_rotated(session.id, now):
                return self._pair_in_family(session)
            # Another request rotated it between our read and our write.
            session = self.sessions.get_by_token_hash(token_hash) or session
        if _concurrent_use(session, now):
            return self._pair_in_family(session)
        self.sessions.revoke_family(session.family_id, now)
        raise RefreshTokenReused()

    def _pair_in_family(self, session: RefreshSession) -> TokenPair:
        user = self.users.get(session.user_id)
        if user is None or user.deleted:
            raise InvalidToken("the account of this session no longer exists")
        return _issue_pair(user, tokens=self.tokens, sessions=self.sessions, clock=self.clock,
                           family_id=session.family_id)


# One browser can send the same refresh token twice at once (a page load and a prefetch, two tabs).
# Within this window a second use is that race, not a stolen token: it gets a pair of the same family.
# Later, a reuse revokes the whole family.
REUSE_GRACE = timedelta(seconds=15)


def _concurrent_use(session: RefreshSession, now: datetime) -> bool:
    return (session.rotated_at is not None and session.revoked_at is None and now < session.expires_at
            and now - session.rotated_at <= REUSE_GRACE)


@dataclass(frozen=True)
class LogOut:
    sessions: RefreshSessionStore
    clock: Clock

    def execute(self, refresh_token: str) -> None:
        session = self.sessions.get_by_token_hash(hash_refresh_token(refresh_token))
        if session is not None:
            self.sessions.revoke_family(session.family_id, self.clock.now())


@dataclass(frozen=True)
class Authenticate:
    """Turns an access token into the Actor that use cases check roles and ownership against."""

    users: UserRepository
    tokens: AccessTokens
    clock: Clock

    def execute(self, access_token: str) -> Actor:
        claims: AccessClaims = self.tokens.verify(access_token, self.clock.now())
        user = self.users.get(claims.user_id)
        if user is None or user.deleted:
            raise InvalidToken("the account of this token no longer exists")
        if claims.session_epoch != user.session_epoch:
            raise InvalidToken("this token was issued before the password changed")
        return user.as_actor()


@dataclass(frozen=True)
class GetMyAccount:
    users: UserRepository

    def execute(self, actor: Actor) -> User:
        user = self.users.get(actor.user_id)
        if user is None:
            raise UserNotFound()
        return user


@dataclass(frozen=True)
class UpdateMyAccountCommand:
    display_name: str | None = None
    phone: str | None = None
    clear_phone: bool = False
    become_seller: bool = False


@dataclass(frozen=True)
class UpdateMyAccount:
    users: UserRepository

    def execute(self, actor: Actor, command: UpdateMyAccountCommand) -> User:
        user = self.users.get(actor.user_id)
        if user is None:
            raise UserNotFound()
        if command.display_name is not None:
            user.rename(command.display_name)
        if command.phone is not None or command.clear_phone:
            user.change_phone(None if command.clear_phone else command.phone)
        if command.become_seller:
            user.become_seller()
        self.users.save(user)
        return user


def _confirm_password(user: User, password: object, *, hasher: PasswordHasher, throttle: LoginThrottle,
                      now: datetime, wrong: Callable[[], DomainError]) -> None:
    """A signed-in person confirms an action with their current password. The same throttle as
    sign-in, per account, and one budget for every route that asks: a stolen access token must
    not be able to guess the password, here or by moving from one such route to the next."""
    keys = [f"password-check:{user.id}"]
    wait = throttle.retry_after(keys, now)
    if wait is not None:
        raise TooManyAttempts("too many wrong passwords; try again later", retry_after_seconds=wait)
    if not isinstance(password, str) or not hasher.verify(user.password_hash, password):
        throttle.record_failure(keys, now)
        raise wrong()


@dataclass(frozen=True)
class ChangePasswordCommand:
    current_password: str
    new_password: str


@dataclass(frozen=True)
class ChangePassword:
    users: UserRepository
    hasher: PasswordHasher
    tokens: AccessTokens
    sessions: RefreshSessionStore
    throttle: LoginThrottle
    strength: PasswordStrength
    clock: Clock

    def execute(self, actor: Actor, command: ChangePasswordCommand) -> TokenPair:
        user = self.users.get(actor.user_id)
        if user is None:
            raise UserNotFound()
        _confirm_password(user, command.current_password, hasher=self.hasher, throttle=self.throttle,
                          now=self.clock.now(), wrong=InvalidCredentials)
        _check_new_password(command.new_password, user.email, [user.display_name], self.strength,
                            field="new_password")
        user.change_password_hash(self.hasher.hash(command.new_password))
        self.users.save(user)
        # Every other session ends; the caller gets a fresh pair and stays signed in.
        self.sessions.revoke_all_for_user(user.id, self.clock.now())
        return _issue_pair(user, tokens=self.tokens, sessions=self.sessions, clock=self.clock)


@dataclass(frozen=True)
class CreateStaffAccountCommand:
    email: str
    password: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class CreateStaffAccount:
    """Support agents and admins are created by operators (CLI, demo data), never by sign-up."""

    users: UserRepository
    hasher: PasswordHasher
    strength: PasswordStrength
    clock: Clock

    def execute(self, command: CreateStaffAccountCommand) -> User:
        email = Email(command.email)
        _check_new_password(command.password, email, [command.display_name], self.strength)
        user = User.register(user_id=new_id(), email=email, display_name=command.display_name,
                             password_hash=self.hasher.hash(command.password), role=Role.BUYER,
                             now=self.clock.now())
        user.roles = frozenset({command.role})
        self.users.add(user)
        return user


# -- Deleting an account (issue #12) ---------------------------------------------------------------

@dataclass(frozen=True)
class DeleteMyAccountCommand:
    password: str


@dataclass(frozen=True)
class DeleteMyAccount:
    """The person deletes their own account, confirming with their current password (a stolen
    access token alone must not be enough to erase someone). Refused while an order of theirs is
    open or a payment pending. The account is anonymized and ``account.deleted`` recorded in one
    write; every other context erases its own part when it handles that event."""

    users: UserRepository
    hasher: PasswordHasher
    sessions: RefreshSessionStore
    throttle: LoginThrottle
    blockers: ErasureBlockers
    deletion_log: DeletionLog
    clock: Clock

    def execute(self, actor: Actor, command: DeleteMyAccountCommand) -> None:
        now = self.clock.now()
        user = self.users.get(actor.user_id)
        if user is None or user.deleted:
            raise UserNotFound()
        _confirm_password(user, command.password, hasher=self.hasher, throttle=self.throttle, now=now,
                          wrong=WrongPassword)
        blockers = self.blockers.find(user.id)
        if blockers:
            raise AccountHasOpenCommitments(blockers)
        user.delete(now)
        self.users.save(user)
        self.sessions.revoke_all_for_user(user.id, now)
        # After the commit: a deletion that did not happen must never be replayed onto a restore.
        # A crash right here is healed by EraseAccountData, which records it again from the event.
        self.deletion_log.record(user.id, now)


@dataclass(frozen=True)
class EraseAccountData:
    """The accounts context's handler of ``account.deleted``: makes sure the account is erased
    and its sessions revoked, and that the deletion is in the deletion log. Idempotent."""

    users: UserRepository
    sessions: RefreshSessionStore
    deletion_log: DeletionLog
    clock: Clock

    def execute(self, deleted: PersonDeleted) -> None:
        person_id, deleted_at = deleted.person_id, deleted.deleted_at
        user = self.users.get(person_id)
        if user is not None and not user.deleted:
            # Only after a restore that lost the deletion: erase again (and tell the others again).
            user.delete(self.clock.now(), replayed=True)
            self.users.save(user)
        self.sessions.revoke_all_for_user(person_id, self.clock.now())
        self.deletion_log.record(person_id, deleted_at)


@dataclass(frozen=True)
class ReplayAccountDeletion:
    """After a backup is restored: a person deleted since that backup is deleted again, and
    ``account.deleted`` recorded again so every context erases what the restore brought back.
    No refusal for open orders: the person left already; the restored orders are only records."""

    users: UserRepository
    sessions: RefreshSessionStore
    clock: Clock

    def execute(self, person_id: str) -> bool:
        user = self.users.get(person_id)
        if user is None:
            return False  # registered after the backup: nothing of theirs came back
        user.delete(self.clock.now(), replayed=True)
        self.users.save(user)
        self.sessions.revoke_all_for_user(person_id, self.clock.now())
        return True
@dataclass(frozen=True)
class ExportAccountData:
    """For the privacy context's export: the person's account, by id (the export runs in a worker,
    after the request that asked for it)."""

    users: UserRepository

    def execute(self, user_id: str) -> User | None:
        return self.users.get(user_id)


@dataclass(frozen=True)
class GetPublicNames:
    """Public names of people for another context's public pages; a deleted or unknown person has none."""

    users: UserRepository

    def execute(self, user_ids: list[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        for user_id in dict.fromkeys(user_ids):  # a page of reviews: at most a page size of reads
            user = self.users.get(user_id)
            if user is not None and not user.deleted:
                names[user_id] = public_name(user.display_name)
        return names
