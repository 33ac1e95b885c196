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
from application.shared.ports import Clock, ReadinessChecks
from config import ConfigError, Settings, load_settings

# Support, notifications and the outbox relay.
from adapters.inbound.notifications.http import BLUEPRINTS as NOTIFICATIONS_BLUEPRINTS
from adapters.inbound.support.http import BLUEPRINTS as SUPPORT_BLUEPRINTS
from adapters.outbound.kafka.publisher import KafkaEventPublisher
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.mongo.outbox_store import MongoOutboxStore, OutboxBacklogReadiness
from adapters.outbound.notifications.mongo_documents import NOTIFICATIONS_DOCUMENTS
from adapters.outbound.notifications.mongo_repositories import MongoNotificationInbox
from adapters.outbound.support.mongo_documents import SUPPORT_DOCUMENTS
from adapters.outbound.support.mongo_repositories import MongoSupportRequestRepository, MongoTicketRepository
from application.notifications import use_cases as notifications
from application.notifications.ports import NotificationInbox
from application.shared import outbox_relay
from application.shared.outbox_relay import EventPublisher, OutboxStore, RelayPolicy
from application.support import use_cases as support
from application.support.ports import SupportRequestRepository, TicketRepository
from domain.support.events import MARKETPLACE_EVENTS_TOPIC, SUPPORT_REQUESTS_TOPIC


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
    def readiness_checks(self, settings: Settings, mongo: MongoConnection, clock: Clock) -> ReadinessChecks:
        mongo.ensure([OutboxDocument])
        return ReadinessChecks((MongoReadiness(mongo), KafkaReadiness(settings.kafka_bootstrap_servers),
                                OutboxBacklogReadiness(MongoOutboxStore(), clock,
                                                       settings.outbox_max_pending_age_seconds)))


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


class MessagingModule(Module):
    """The transactional outbox's relay to Kafka, shared by every context that records events."""

    USE_CASES = _use_cases_of(outbox_relay)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def outbox_store(self, mongo: MongoConnection) -> OutboxStore:
        mongo.ensure([OutboxDocument])
        return MongoOutboxStore()

    @singleton
    @provider
    def event_publisher(self, settings: Settings) -> EventPublisher:
        return KafkaEventPublisher(settings.kafka_bootstrap_servers,
                                   topics={SUPPORT_REQUESTS_TOPIC: settings.support_requests_topic,
                                           MARKETPLACE_EVENTS_TOPIC: settings.marketplace_events_topic},
                                   delivery_timeout_ms=settings.kafka_delivery_timeout_ms)

    @singleton
    @provider
    def relay_policy(self, settings: Settings) -> RelayPolicy:
        return RelayPolicy(batch_size=settings.outbox_batch_size,
                           lease=timedelta(seconds=settings.outbox_lease_seconds),
                           retry_base=timedelta(milliseconds=settings.outbox_retry_base_ms),
                           retry_max=timedelta(milliseconds=settings.outbox_retry_max_ms),
                           idle_wait_seconds=settings.outbox_idle_wait_ms / 1000)


class SupportModule(Module):
    USE_CASES = _use_cases_of(support)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def support_requests(self, mongo: MongoConnection) -> SupportRequestRepository:
        mongo.ensure([*SUPPORT_DOCUMENTS, OutboxDocument])
        return MongoSupportRequestRepository()

    @singleton
    @provider
    def tickets(self, mongo: MongoConnection) -> TicketRepository:
        mongo.ensure([*SUPPORT_DOCUMENTS, OutboxDocument])
        return MongoTicketRepository()


class NotificationsModule(Module):
    USE_CASES = _use_cases_of(notifications)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def inbox(self, mongo: MongoConnection) -> NotificationInbox:
        mongo.ensure(NOTIFICATIONS_DOCUMENTS)
        return MongoNotificationInbox()


CONTEXT_MODULES: list[type[Module]] = [AccountsModule]
CONTEXT_MODULES += [MessagingModule, SupportModule, NotificationsModule]
BLUEPRINTS = [health_blueprint, *ACCOUNTS_BLUEPRINTS]
BLUEPRINTS += [*SUPPORT_BLUEPRINTS, *NOTIFICATIONS_BLUEPRINTS]


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
