"""The rules of deleting an account (issue #12), on fakes: refusals, what one deletion writes, and
that erasing again or replaying after a restore is safe."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.outbound.accounts.in_memory import (
    InMemoryErasureBlockers,
    InMemoryLoginThrottle,
    InMemoryRefreshSessionStore,
    InMemoryUserRepository,
    PlainTextPasswordHasher,
)
from adapters.outbound.mongo.in_memory_deletion_log import InMemoryDeletionLog
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.operations.accounts_replay import AccountsDeletionReplay
from adapters.outbound.operations.in_memory import InMemoryArchiver
from application.accounts.use_cases import (
    DeleteMyAccount,
    DeleteMyAccountCommand,
    EraseAccountData,
    LogIn,
    LogInCommand,
    RegisterUser,
    RegisterUserCommand,
    ReplayAccountDeletion,
)
from application.operations.ports import Progress
from application.operations.use_cases import BackupDatabase, RestoreDatabase
from application.shared.erasure import PersonDeleted
from domain.accounts.errors import AccountHasOpenCommitments, WrongPassword
from domain.shared.access import Role
from domain.shared.erasure import BlockerKind, ErasureBlocker
from domain.shared.errors import TooManyAttempts
from adapters.outbound.accounts.jwt_tokens import JwtAccessTokens
from adapters.outbound.accounts.password_strength import ZxcvbnPasswordStrength
from tests.fakes import FakeClock

PASSWORD = "a-long-password-1"


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.outbox = InMemoryOutbox()
        self.users = InMemoryUserRepository(self.outbox)
        self.sessions = InMemoryRefreshSessionStore()
        self.throttle = InMemoryLoginThrottle()
        self.hasher = PlainTextPasswordHasher()
        self.strength = ZxcvbnPasswordStrength()
        self.blockers = InMemoryErasureBlockers()
        self.log = InMemoryDeletionLog()

    def register(self, email: str = "ana@example.com"):
        user = RegisterUser(self.users, self.hasher, self.strength, self.clock).execute(
            RegisterUserCommand(email=email, password=PASSWORD, display_name="Ana García", role=Role.SELLER))
        tokens = JwtAccessTokens(secret="s" * 40, issuer="i", audience="a", lifetime_seconds=900)
        LogIn(self.users, self.hasher, tokens, self.sessions, self.throttle, self.clock).execute(
            LogInCommand(email=email, password=PASSWORD, client_address="10.0.0.1"))
        return user

    def delete(self, user, password: str = PASSWORD) -> None:
        DeleteMyAccount(self.users, self.hasher, self.sessions, self.throttle, self.blockers, self.log,
                        self.clock).execute(user.as_actor(), DeleteMyAccountCommand(password=password))

    def deletions(self):
        return [m for m in self.outbox.messages() if m.name == "account.deleted"]


@pytest.fixture
def world() -> World:
    return World()


def test_open_orders_refuse_naming_each_and_change_nothing(world):
    user = world.register()
    world.blockers.blocked[user.id] = [ErasureBlocker("o-1", BlockerKind.OPEN, "accepted"),
                                       ErasureBlocker("o-2", BlockerKind.PAYMENT, "authorized")]

    with pytest.raises(AccountHasOpenCommitments) as refused:
        world.delete(user)

    assert "order o-1 is still open (accepted)" in refused.value.message and "o-2" in refused.value.message
    assert refused.value.details == {"blockers": [{"order_id": "o-1", "kind": "open", "status": "accepted"},
                                                  {"order_id": "o-2", "kind": "payment", "status": "authorized"}]}
    assert not world.users.get(user.id).deleted and world.deletions() == [] and world.log.entries == {}
    assert all(s.revoked_at is None for s in world.sessions.sessions.values())


def test_a_wrong_password_changes_nothing_and_counts_as_a_failure(world):
    user = world.register()
    with pytest.raises(WrongPassword) as wrong:
        world.delete(user, password="not-it-at-all")
    assert wrong.value.field == "password"
    assert not world.users.get(user.id).deleted and world.deletions() == []
    for attempt in range(4):
        with pytest.raises(WrongPassword):
            world.delete(user, password=f"guess-{attempt}")
    with pytest.raises(TooManyAttempts):
        world.delete(user)  # even the right password waits once the account is under attack


def test_one_deletion_anonymizes_revokes_records_the_event_and_logs_it(world):
    user = world.register()
    world.delete(user)

    stored = world.users.get(user.id)
    assert stored.deleted and stored.display_name == "Former user" and stored.phone is None
    assert stored.email.value == f"erased-{user.id}@deleted.invalid" and stored.session_epoch == 1
    assert not world.hasher.verify(stored.password_hash, PASSWORD)
    assert all(s.revoked_at == world.clock.now() for s in world.sessions.sessions.values())
    [event] = world.deletions()
    assert event.payload == {"user_id": user.id, "deleted_at": world.clock.now().isoformat(), "replayed": False}
    assert world.log.entries == {user.id: world.clock.now()}


def test_the_accounts_handler_is_idempotent_and_heals_a_missing_log_entry(world):
    user = world.register()
    world.delete(user)
    deleted_at = world.clock.now()
    world.log.entries.clear()  # as if the process died between the commit and the log write
    world.clock.advance(minutes=5)
    handler = EraseAccountData(world.users, world.sessions, world.log, world.clock)

    handler.execute(PersonDeleted(user.id, deleted_at))
    handler.execute(PersonDeleted(user.id, deleted_at))

    assert world.log.entries == {user.id: deleted_at}
    assert len(world.deletions()) == 1  # an erased account is not deleted (nor announced) again
    assert world.users.get(user.id).version == 1  # saved once, by the deletion: the handler saved nothing


def test_a_restore_replays_the_deletions_since_the_backup_and_only_those(world):
    archiver = InMemoryArchiver({"users": []})
    replay = AccountsDeletionReplay(ReplayAccountDeletion(world.users, world.sessions, world.clock))
    restore = RestoreDatabase(archiver, world.log, replay)
    old, recent = world.register("old@example.com"), world.register("recent@example.com")
    world.log.record(old.id, world.clock.now() - timedelta(days=3))  # deleted long before the backup
    BackupDatabase(archiver, world.clock).execute("nightly.zip", Progress())
    world.clock.advance(hours=2)
    world.log.record(recent.id, world.clock.now())
    world.log.record("registered-after-the-backup", world.clock.now())

    summary = restore.execute("nightly.zip", drop=True, progress=Progress())

    # The in-memory archiver restores its own dicts only: the users are as the restore left them.
    assert summary.deletions_replayed == 1
    assert world.users.get(recent.id).deleted and not world.users.get(old.id).deleted
    [event] = world.deletions()
    assert event.payload["user_id"] == recent.id and event.payload["replayed"] is True
