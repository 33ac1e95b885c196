"""One contract, three implementations: the in-memory fake, MongoDB via mongomock, and the real
MongoDB-compatible server. A fake that drifts from the real adapter fails here."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import mongomock
import pytest

from adapters.outbound.accounts.in_memory import (
    InMemoryLoginThrottle,
    InMemoryRefreshSessionStore,
    InMemoryUserRepository,
)
from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import (
    MongoLoginThrottle,
    MongoRefreshSessionStore,
    MongoUserRepository,
)
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from domain.accounts.email import Email
from domain.accounts.errors import EmailAlreadyRegistered
from domain.accounts.sessions import RefreshSession
from domain.accounts.user import User
from domain.shared.access import Role
from domain.shared.errors import Conflict
from domain.shared.ids import new_id

# Real time: TTL indexes expire documents by the server's clock, so a fake clock in the past
# would see its documents vanish.
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=["memory", "mongomock", "mongodb"])
def backend(request):
    if request.param == "memory":
        yield "memory"
        return
    if request.param == "mongomock":
        connection = MongoConnection("mongodb://localhost", "accounts_mock", client_class=mongomock.MongoClient)
    else:
        connection = MongoConnection(request.getfixturevalue("mongo_url"), f"accounts_{new_id()[:8]}")
    connection.ensure(ACCOUNTS_DOCUMENTS)
    try:
        yield request.param
    finally:
        connection.db.client.drop_database(connection.db.name)
        disconnect()


def users_for(backend):
    return InMemoryUserRepository() if backend == "memory" else MongoUserRepository()


def sessions_for(backend):
    return InMemoryRefreshSessionStore() if backend == "memory" else MongoRefreshSessionStore()


def throttle_for(backend):
    kwargs = {"max_failures": 3, "window": timedelta(minutes=15)}
    return InMemoryLoginThrottle(**kwargs) if backend == "memory" else MongoLoginThrottle(**kwargs)


def a_user(email="ana@example.com") -> User:
    return User.register(user_id=new_id(), email=Email(email), display_name="Ana", password_hash="h",
                         role=Role.SELLER, now=NOW)


class TestUserRepositoryContract:
    def test_round_trip(self, backend):
        users = users_for(backend)
        user = a_user()
        users.add(user)
        loaded = users.get(user.id)
        assert loaded == user or (loaded.id, loaded.email, loaded.roles, loaded.created_at) == (
            user.id, user.email, user.roles, user.created_at)
        assert users.get_by_email(Email("ANA@example.com")).id == user.id
        assert users.get("missing") is None

    def test_email_is_unique(self, backend):
        users = users_for(backend)
        users.add(a_user())
        with pytest.raises(EmailAlreadyRegistered):
            users.add(a_user("Ana@Example.com"))

    def test_stale_save_is_a_conflict(self, backend):
        users = users_for(backend)
        user = a_user()
        users.add(user)
        first, second = users.get(user.id), users.get(user.id)
        first.rename("First")
        users.save(first)
        second.rename("Second")
        with pytest.raises(Conflict):
            users.save(second)
        assert users.get(user.id).display_name == "First"


class TestRefreshSessionContract:
    def test_rotation_happens_once(self, backend):
        sessions = sessions_for(backend)
        session = RefreshSession(id=new_id(), family_id="f", user_id="u", token_hash="h1", issued_at=NOW,
                                 expires_at=NOW + timedelta(days=30))
        sessions.add(session)
        assert sessions.mark_rotated(session.id, NOW) is True
        assert sessions.mark_rotated(session.id, NOW) is False
        assert sessions.get_by_token_hash("h1").rotated_at is not None

    def test_revoking_a_family_and_a_user(self, backend):
        sessions = sessions_for(backend)
        for index, family in enumerate(["f1", "f1", "f2"]):
            sessions.add(RefreshSession(id=new_id(), family_id=family, user_id="u", token_hash=f"h{index}",
                                        issued_at=NOW, expires_at=NOW + timedelta(days=1)))
        sessions.revoke_family("f1", NOW)
        assert [sessions.get_by_token_hash(f"h{i}").revoked_at is not None for i in range(3)] == [True, True, False]
        sessions.revoke_all_for_user("u", NOW)
        assert sessions.get_by_token_hash("h2").revoked_at is not None


class TestLoginThrottleContract:
    def test_blocks_after_the_limit_and_forgets_after_the_window(self, backend):
        throttle = throttle_for(backend)
        keys = ["email:a@x.com", "address:1.2.3.4"]
        for minute in range(3):
            assert throttle.retry_after(keys, NOW) is None
            throttle.record_failure(keys, NOW + timedelta(minutes=minute))
        wait = throttle.retry_after(keys, NOW + timedelta(minutes=3))
        assert wait is not None and 0 < wait <= 15 * 60
        assert throttle.retry_after(keys, NOW + timedelta(minutes=16)) is None

    def test_success_resets_the_email_only(self, backend):
        throttle = throttle_for(backend)
        throttle.record_failure(["email:a@x.com"], NOW)
        throttle.reset(["email:a@x.com", "address:1.2.3.4"])
        for _ in range(3):
            throttle.record_failure(["email:b@x.com"], NOW)
        assert throttle.retry_after(["email:a@x.com"], NOW) is None
        assert throttle.retry_after(["email:b@x.com"], NOW) is not None


def test_concurrent_registrations_of_one_email_leave_exactly_one_account(mongo_url):
    """The unique index decides under concurrency, not a read before the write."""
    connection = MongoConnection(mongo_url, f"accounts_race_{new_id()[:8]}")
    connection.ensure(ACCOUNTS_DOCUMENTS)
    users = MongoUserRepository()
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attempt():
        barrier.wait()
        try:
            users.add(a_user("race@example.com"))
            outcomes.append("created")
        except EmailAlreadyRegistered:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == ["created"] + ["duplicate"] * 7
        assert connection.db.users.count_documents({"email": "race@example.com"}) == 1
    finally:
        connection.db.client.drop_database(connection.db.name)
        disconnect()
