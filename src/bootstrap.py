"""The composition root: the one place that chooses implementations, from configuration.

One ``injector.Module`` per bounded context; ports are bound with ``@provider`` methods.
Tests build the same app with a module of fakes appended (a later module's binding wins).
Nothing is built at import time."""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import Flask
from injector import Binder, Injector, Module, Provider, provider, singleton

from adapters.inbound.accounts.http import BLUEPRINTS as ACCOUNTS_BLUEPRINTS
from adapters.inbound.cli import register_cli
from adapters.inbound.http.app import create_flask_app
from adapters.inbound.http.health import blp as health_blueprint
from adapters.outbound.accounts.argon2_hasher import Argon2PasswordHasher
from adapters.outbound.accounts.jwt_tokens import JwtAccessTokens
from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import (
    MongoLoginThrottle,
    MongoRefreshSessionStore,
    MongoUserRepository,
)
from adapters.outbound.kafka.health import KafkaReadiness
from adapters.outbound.mongo.backup import MongoArchiver
from adapters.outbound.mongo.connection import MongoConnection, MongoReadiness
from adapters.outbound.system_clock import SystemClock
from application.accounts import use_cases as accounts
from application.accounts.ports import (
    AccessTokens,
    LoginThrottle,
    PasswordHasher,
    RefreshSessionStore,
    UserRepository,
)
from application.operations import use_cases as operations
from application.operations.ports import DatabaseArchiver
from application.shared.ports import Clock, ReadinessChecks
from config import ConfigError, Settings, load_settings


class UseCaseProvider(Provider):
    """Builds a use case (a dataclass whose fields are ports) with its ports from the injector.
    The application layer stays free of injector: no decorators on use cases."""

    def __init__(self, use_case: type) -> None:
        self._use_case = use_case
        self._hints = typing.get_type_hints(use_case)

    def get(self, injector: Injector) -> Any:
        ports = {f.name: injector.get(self._hints[f.name]) for f in dataclasses.fields(self._use_case)}
        return self._use_case(**ports)


def bind_use_cases(binder: Binder, use_cases: Iterable[type]) -> None:
    for use_case in use_cases:
        binder.bind(use_case, to=UseCaseProvider(use_case))



def _use_cases_of(module: Any) -> list[type]:
    return [value for value in vars(module).values()
            if dataclasses.is_dataclass(value) and isinstance(value, type)
            and value.__module__ == module.__name__ and hasattr(value, "execute")]


class CoreModule(Module):
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @singleton
    @provider
    def settings(self) -> Settings:
        return self._settings

    @singleton
    @provider
    def clock(self) -> Clock:
        return SystemClock()

    @singleton
    @provider
    def mongo(self, settings: Settings) -> MongoConnection:
        return MongoConnection(settings.mongodb_uri, settings.mongodb_db)

    @singleton
    @provider
    def readiness_checks(self, settings: Settings, mongo: MongoConnection) -> ReadinessChecks:
        return ReadinessChecks((MongoReadiness(mongo), KafkaReadiness(settings.kafka_bootstrap_servers)))


class AccountsModule(Module):
    USE_CASES = _use_cases_of(accounts)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def users(self, mongo: MongoConnection) -> UserRepository:
        mongo.ensure(ACCOUNTS_DOCUMENTS)
        return MongoUserRepository()

    @singleton
    @provider
    def refresh_sessions(self, mongo: MongoConnection) -> RefreshSessionStore:
        mongo.ensure(ACCOUNTS_DOCUMENTS)
        return MongoRefreshSessionStore()

    @singleton
    @provider
    def login_throttle(self, mongo: MongoConnection, settings: Settings) -> LoginThrottle:
        mongo.ensure(ACCOUNTS_DOCUMENTS)
        return MongoLoginThrottle(max_failures=settings.login_max_failures,
                                  window=timedelta(seconds=settings.login_window_seconds))

    @singleton
    @provider
    def password_hasher(self, settings: Settings) -> PasswordHasher:
        return Argon2PasswordHasher(memory_kib=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost,
                                    parallelism=settings.argon2_parallelism)

    @singleton
    @provider
    def access_tokens(self, settings: Settings) -> AccessTokens:
        return JwtAccessTokens(secret=settings.jwt_secret, issuer=settings.jwt_issuer,
                               audience=settings.jwt_audience, lifetime_seconds=settings.access_token_ttl_seconds)


class OperationsModule(Module):
    USE_CASES = _use_cases_of(operations)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def archiver(self, mongo: MongoConnection) -> DatabaseArchiver:
        return MongoArchiver(mongo.db)


CONTEXT_MODULES: list[type[Module]] = [AccountsModule, OperationsModule]
BLUEPRINTS = [health_blueprint, *ACCOUNTS_BLUEPRINTS]


def build_injector(settings: Settings, extra_modules: Iterable[Module] = ()) -> Injector:
    modules: list[Module] = [CoreModule(settings), *(m() for m in CONTEXT_MODULES), *extra_modules]
    return Injector(modules, auto_bind=False)


def verify_wiring(injector: Injector) -> None:
    """Resolve every use case once, so a missing binding fails at start-up, not on a request."""
    for module in CONTEXT_MODULES:
        for use_case in getattr(module, "USE_CASES", []):
            injector.get(use_case)


def create_app(settings: Settings | None = None, extra_modules: Iterable[Module] = ()) -> Flask:
    settings = settings or load_settings()
    injector = build_injector(settings, extra_modules)
    verify_wiring(injector)
    app = create_flask_app(settings, injector, BLUEPRINTS)
    register_cli(app)
    return app


def wsgi_app() -> Flask:
    """gunicorn's entry point: a configuration mistake stops start-up with one clear line."""
    try:
        return create_app()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
