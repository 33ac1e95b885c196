"""Accounts use cases on in-memory fakes: no I/O, the fakes' state is what we assert on."""

from datetime import timedelta

import pytest

from adapters.outbound.accounts.in_memory import (
    InMemoryLoginThrottle,
    InMemoryRefreshSessionStore,
    InMemoryUserRepository,
    PlainTextPasswordHasher,
)
from adapters.outbound.accounts.jwt_tokens import JwtAccessTokens
from adapters.outbound.accounts.password_strength import ZxcvbnPasswordStrength
from application.accounts.use_cases import (
    Authenticate,
    ChangePassword,
    ChangePasswordCommand,
    LogIn,
    LogInCommand,
    LogOut,
    RefreshTokens,
    RegisterUser,
    RegisterUserCommand,
)
from domain.accounts.errors import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    WeakPassword,
)
from domain.shared.access import Role
from domain.shared.errors import InvalidInput, TooManyAttempts
from tests.fakes import FakeClock

PASSWORD = "a-long-password"


class CountingHasher(PlainTextPasswordHasher):
    def __init__(self) -> None:
        self.dummy_calls = 0
        self.outdated: set[str] = set()

    def dummy_verify(self, password: str) -> None:
        self.dummy_calls += 1

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash in self.outdated


@pytest.fixture
def world():
    class World:
        clock = FakeClock()
        users = InMemoryUserRepository()
        sessions = InMemoryRefreshSessionStore()
        throttle = InMemoryLoginThrottle(max_failures=3)
        hasher = CountingHasher()
        strength = ZxcvbnPasswordStrength()
        tokens = JwtAccessTokens(secret="s" * 40, issuer="iss", audience="aud", lifetime_seconds=900)

        def register(self, email="ana@example.com", role=Role.BUYER):
            return RegisterUser(self.users, self.hasher, self.strength, self.clock).execute(
                RegisterUserCommand(email=email, password=PASSWORD, display_name="Ana", role=role))

        def login(self, email="ana@example.com", password=PASSWORD, address="10.0.0.1"):
            return LogIn(self.users, self.hasher, self.tokens, self.sessions, self.throttle, self.clock).execute(
                LogInCommand(email=email, password=password, client_address=address))

        def refresh(self, token):
            return RefreshTokens(self.users, self.tokens, self.sessions, self.clock).execute(token)

        def authenticate(self, token):
            return Authenticate(self.users, self.tokens, self.clock).execute(token)

    return World()


class TestRegister:
    def test_stores_a_hashed_password_and_a_normalized_email(self, world):
        user = world.register(email="Ana@Example.com")
        stored = world.users.users[user.id]
        assert stored.email.value == "ana@example.com"
        assert stored.password_hash != PASSWORD and world.hasher.verify(stored.password_hash, PASSWORD)

    def test_a_seller_can_also_buy(self, world):
        assert world.register(role=Role.SELLER).roles == {Role.SELLER, Role.BUYER}

    def test_nobody_signs_up_as_staff(self, world):
        with pytest.raises(InvalidInput) as error:
            world.register(role=Role.ADMIN)
        assert error.value.field == "role"

    def test_duplicate_email_in_any_case_is_refused(self, world):
        world.register(email="ana@example.com")
        with pytest.raises(EmailAlreadyRegistered):
            world.register(email="ANA@example.com")

    def test_password_equal_to_the_email_is_refused(self, world):
        with pytest.raises(WeakPassword):
            RegisterUser(world.users, world.hasher, world.strength, world.clock).execute(
                RegisterUserCommand(email="longname@x.com", password="longname@x.com", display_name="L", role=Role.BUYER))


class TestLogIn:
    def test_gives_a_token_that_authenticates_the_user(self, world):
        user = world.register()
        pair = world.login()
        assert world.authenticate(pair.access_token).user_id == user.id

    def test_unknown_email_and_wrong_password_fail_the_same_way(self, world):
        world.register()
        with pytest.raises(InvalidCredentials) as unknown:
            world.login(email="nobody@example.com")
        with pytest.raises(InvalidCredentials) as wrong:
            world.login(password="wrong-password")
        assert str(unknown.value) == str(wrong.value)
        # The unknown e-mail still paid for a hash verification: same time as a wrong password.
        assert world.hasher.dummy_calls == 1

    def test_repeated_failures_are_slowed_down(self, world):
        world.register()
        for _ in range(3):
            with pytest.raises(InvalidCredentials):
                world.login(password="wrong-password")
        with pytest.raises(TooManyAttempts) as error:
            world.login()  # even the right password waits
        assert 0 < error.value.retry_after_seconds <= 15 * 60 + 1
        world.clock.advance(minutes=16)
        world.login()

    def test_rehashes_when_parameters_changed(self, world):
        user = world.register()
        world.hasher.outdated.add(world.users.users[user.id].password_hash)
        world.hasher.hash = lambda password: f"plain${password}"  # same scheme, new parameters
        world.login()
        assert world.users.users[user.id].version == 1


class TestTokens:
    def test_expired_access_token_is_refused(self, world):
        world.register()
        pair = world.login()
        world.clock.advance(seconds=901)
        with pytest.raises(InvalidToken):
            world.authenticate(pair.access_token)

    def test_tampered_token_is_refused(self, world):
        world.register()
        token = world.login().access_token
        header, payload, signature = token.split(".")
        with pytest.raises(InvalidToken):
            world.authenticate(".".join([header, payload[:-2] + "xx", signature]))

    def test_refresh_rotates_and_reuse_revokes_the_family(self, world):
        world.register()
        first = world.login()
        second = world.refresh(first.refresh_token)
        assert second.refresh_token != first.refresh_token
        world.clock.advance(seconds=16)  # past the window in which a second use is a browser's race
        with pytest.raises(RefreshTokenReused):
            world.refresh(first.refresh_token)
        # The thief's replay also ended the legitimate session that came from it.
        with pytest.raises(InvalidToken):
            world.refresh(second.refresh_token)

    def test_a_second_use_at_the_same_moment_is_a_race_not_a_theft(self, world):
        world.register()
        first = world.login()
        page_load = world.refresh(first.refresh_token)
        prefetch = world.refresh(first.refresh_token)  # same token, same moment
        assert page_load.refresh_token != prefetch.refresh_token
        world.clock.advance(seconds=5)
        world.refresh(page_load.refresh_token)
        world.refresh(prefetch.refresh_token)

    def test_logout_revokes_the_refresh_token(self, world):
        world.register()
        pair = world.login()
        LogOut(world.sessions, world.clock).execute(pair.refresh_token)
        with pytest.raises(InvalidToken):
            world.refresh(pair.refresh_token)

    def test_refresh_token_expires(self, world):
        world.register()
        pair = world.login()
        world.clock.advance(days=31)
        with pytest.raises(InvalidToken):
            world.refresh(pair.refresh_token)


class TestChangePassword:
    def test_revokes_other_sessions_and_old_access_tokens(self, world):
        user = world.register()
        other_device = world.login()
        new_pair = ChangePassword(world.users, world.hasher, world.tokens, world.sessions, world.throttle,
                                  world.strength, world.clock).execute(
            user.as_actor(), ChangePasswordCommand(current_password=PASSWORD, new_password="another-long-one"))
        with pytest.raises(InvalidToken):
            world.refresh(other_device.refresh_token)
        with pytest.raises(InvalidToken):
            world.authenticate(other_device.access_token)
        assert world.authenticate(new_pair.access_token).user_id == user.id
        world.clock.advance(minutes=1)
        world.login(password="another-long-one")

    def test_needs_the_current_password(self, world):
        user = world.register()
        with pytest.raises(InvalidCredentials):
            ChangePassword(world.users, world.hasher, world.tokens, world.sessions, world.throttle,
                                  world.strength, world.clock).execute(
                user.as_actor(), ChangePasswordCommand(current_password="nope-nope-nope", new_password="another-long-one"))


def test_refresh_session_lifetime_is_a_month():
    from application.accounts.use_cases import REFRESH_TOKEN_LIFETIME

    assert REFRESH_TOKEN_LIFETIME == timedelta(days=30)
