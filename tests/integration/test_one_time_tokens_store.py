"""The mailed-token store's contract on the in-memory fake, mongomock and the real MongoDB-compatible
server: found only while usable, consumed once (also by two threads at once), revoked per purpose."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from adapters.outbound.accounts.in_memory import InMemoryOneTimeTokenStore
from adapters.outbound.accounts.mongo_repositories import MongoOneTimeTokenStore
from domain.accounts.one_time_tokens import PASSWORD_RESET, VERIFY_EMAIL, OneTimeToken, hash_one_time_token
from domain.shared.ids import new_id
from tests.integration.test_accounts_adapters import NOW, backend  # noqa: F401 (the fixture)

pytestmark = pytest.mark.integration


def _store(backend: str):  # noqa: F811
    return InMemoryOneTimeTokenStore() if backend == "memory" else MongoOneTimeTokenStore()


def _token(user_id: str = "u1", purpose: str = PASSWORD_RESET, secret: str | None = None) -> tuple[OneTimeToken, str]:
    secret = secret or new_id()
    return OneTimeToken(id=new_id(), user_id=user_id, purpose=purpose, token_hash=hash_one_time_token(secret),
                        email="ana@example.com", issued_at=NOW, expires_at=NOW + timedelta(minutes=30)), secret


def test_found_while_usable_for_its_purpose_only(backend):  # noqa: F811
    store = _store(backend)
    token, secret = _token()
    store.add(token)
    assert store.find_usable(hash_one_time_token(secret), PASSWORD_RESET, NOW).id == token.id
    assert store.find_usable(hash_one_time_token(secret), VERIFY_EMAIL, NOW) is None
    assert store.find_usable(hash_one_time_token(secret), PASSWORD_RESET, NOW + timedelta(minutes=31)) is None
    assert store.find_usable(hash_one_time_token("other"), PASSWORD_RESET, NOW) is None


def test_consumed_once_even_by_two_requests_at_once(backend):  # noqa: F811
    store = _store(backend)
    token, secret = _token()
    store.add(token)
    wins: list[bool] = []
    threads = [threading.Thread(target=lambda: wins.append(store.consume(token.id, NOW))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert store.find_usable(hash_one_time_token(secret), PASSWORD_RESET, NOW) is None
    assert store.consume(token.id, NOW) is False


def test_an_expired_token_cannot_be_consumed(backend):  # noqa: F811
    store = _store(backend)
    token, _ = _token()
    store.add(token)
    assert store.consume(token.id, NOW + timedelta(minutes=30)) is False


def test_revoking_a_purpose_leaves_the_others_and_other_people(backend):  # noqa: F811
    store = _store(backend)
    reset, reset_secret = _token()
    verify, verify_secret = _token(purpose=VERIFY_EMAIL)
    someone_else, other_secret = _token(user_id="u2")
    for token in (reset, verify, someone_else):
        store.add(token)
    store.revoke_all("u1", PASSWORD_RESET, NOW)
    assert store.find_usable(hash_one_time_token(reset_secret), PASSWORD_RESET, NOW) is None
    assert store.find_usable(hash_one_time_token(verify_secret), VERIFY_EMAIL, NOW) is not None
    assert store.find_usable(hash_one_time_token(other_secret), PASSWORD_RESET, NOW) is not None
