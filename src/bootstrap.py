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
from pathlib import Path
from typing import Any

from flask import Flask
from injector import Binder, Injector, Module, Provider, provider, singleton

from adapters.inbound.accounts.http import BLUEPRINTS as ACCOUNTS_BLUEPRINTS
from adapters.inbound.catalog.http import BLUEPRINTS as CATALOG_BLUEPRINTS
from adapters.inbound.cli import register_cli
from adapters.inbound.http.app import create_flask_app
from adapters.inbound.http.health import blp as health_blueprint
from adapters.inbound.payments.http import BLUEPRINTS as PAYMENTS_BLUEPRINTS
from adapters.outbound.accounts.argon2_hasher import Argon2PasswordHasher
from adapters.outbound.accounts.password_strength import ZxcvbnPasswordStrength
from adapters.outbound.accounts.jwt_tokens import JwtAccessTokens
from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import (
    MongoLoginThrottle,
    MongoOneTimeTokenStore,
    MongoRefreshSessionStore,
    MongoUserRepository,
)
from adapters.outbound.catalog.accounts_directory import AccountsSellerDirectory
from adapters.outbound.catalog.image_stores import GridFsImageStore, S3ImageStore, s3_client
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.pillow_images import PillowImageProcessor
from adapters.outbound.catalog.mongo_repositories import (
    MongoGazetteer,
    MongoLegacyProfileHours,
    MongoSellerProfileRepository,
    MongoServiceCellsBackfill,
    MongoServiceRepository,
    drop_legacy_photo_links,
)
from adapters.outbound.catalog.gazetteer_data import ShippedSpanishPlaces
from adapters.outbound.catalog.vocabulary_data import ShippedVocabulary
from adapters.outbound.catalog.orders_availability import OrdersSellerAvailability
from adapters.outbound.catalog.orders_hours import OrdersSellerHours
from adapters.outbound.catalog.public_locations import KeyedPublicLocations
from adapters.outbound.catalog.in_memory import (
    InMemoryLegacyProfileHours,
    InMemorySearchFieldsBackfill,
    InMemorySellerProfileRepository,
    InMemoryServiceRepository,
)
from adapters.outbound.kafka.health import KafkaReadiness
from adapters.outbound.mongo.backup import MongoArchiver
from adapters.outbound.mongo.connection import MongoConnection, MongoReadiness
from adapters.outbound.system_clock import SystemClock
from adapters.outbound.payments.fernet_cipher import FernetTokenCipher
from adapters.outbound.payments.orders_listener import OrdersPaymentEventsListener
from adapters.outbound.payments.mongo_documents import PAYMENTS_DOCUMENTS
from adapters.outbound.payments.mongo_repositories import (
    MongoPendingAuthorizations,
    MongoProcessedWebhookEvents,
    MongoSquareConnectionRepository,
)
from adapters.outbound.payments.square_gateway import SquarePaymentGateway
from adapters.outbound.payments.square_oauth import (
    AuthlibSquareOAuth,
    SdkSquareMerchantApi,
    SdkWebhookSignatures,
    square_base_url,
)
from application.orders.payment_gateway import PaymentGateway
from application.payments import use_cases as payments
from application.payments.ports import (
    MoneyInFlight,
    PaymentEventsListener,
    PendingAuthorizations,
    ProcessedWebhookEvents,
    SquareConnectionPolicy,
    SquareConnectionRepository,
    SquareMerchantApi,
    SquareOAuth,
    TokenCipher,
    WebhookSignatures,
)
from application.accounts import recovery as account_recovery
from application.accounts import use_cases as accounts
from application.accounts.ports import (
    AccessTokens,
    LoginThrottle,
    OneTimeTokenStore,
    PasswordHasher,
    PasswordStrength,
    RecoveryPolicy,
    RefreshSessionStore,
    UserRepository,
)
from application.catalog import use_cases as catalog
from application.catalog.ports import (
    Gazetteer,
    ImageProcessor,
    ImageStore,
    LegacyProfileHours,
    PlaceSource,
    PublicLocations,
    SearchFieldsBackfill,
    SearchVocabulary,
    SellerAccounts,
    SellerAvailability,
    SellerHours,
    SellerProfileRepository,
    ServiceRepository,
)
from application.operations import use_cases as operations
from application.operations.ports import DatabaseArchiver
from application.shared.ports import Clock, ReadinessChecks
from config import ConfigError, Settings, load_settings
from adapters.inbound.orders.http import BLUEPRINTS as ORDERS_BLUEPRINTS
from adapters.outbound.orders.catalog_services import CatalogServices
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import (
    MongoFreeTimeSummaries,
    MongoIdempotencyStore,
    MongoOrderRepository,
    MongoScheduleRepository,
)
from adapters.outbound.orders.people import AccountsPeople
from application.orders import use_cases as orders
from application.orders.free_time import FreeTimeKeeper, FreeTimeTrackingOrders, FreeTimeTrackingSchedules
from application.orders.ports import (
    FreeTimeSummaries,
    IdempotencyStore,
    OrderPolicy,
    OrderRepository,
    People,
    ScheduleRepository,
    ServiceCatalog,
)
from domain.orders.order import OrderTimers
from domain.orders.pricing import CancellationPolicy, FeePolicy

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
from adapters.outbound.support.orders_parties import OrdersRequesterOrders
from application.notifications import use_cases as notifications
from application.notifications.ports import NotificationInbox
from application.shared import outbox_relay
from application.shared.outbox_relay import EventPublisher, OutboxStore, RelayPolicy
from application.support import use_cases as support
from application.support.ports import RequesterOrders, SupportRequestRepository, TicketRepository
from domain.support.events import MARKETPLACE_EVENTS_TOPIC, SUPPORT_REQUESTS_TOPIC

# Reviews.
from adapters.inbound.reviews.http import BLUEPRINTS as REVIEWS_BLUEPRINTS
from adapters.outbound.mongo.unit_of_work import MongoUnitOfWork
from adapters.outbound.reviews.account_names import AccountsAuthorNames
from adapters.outbound.reviews.catalog_ratings import CatalogRatings
from adapters.outbound.reviews.mongo_documents import REVIEWS_DOCUMENTS
from adapters.outbound.reviews.mongo_repositories import MongoReviewReports, MongoReviewRepository
from adapters.outbound.reviews.orders_facts import OrdersFacts
from application.reviews import use_cases as reviews
from application.reviews.ports import AuthorNames, Orders, Ratings, ReviewPolicy, ReviewReports, ReviewRepository
from application.shared.ports import UnitOfWork

# Conversations.
from adapters.inbound.conversations.http import BLUEPRINTS as CONVERSATIONS_BLUEPRINTS
from adapters.outbound.conversations.catalog_services import CatalogServices as ConversationCatalogServices
from adapters.outbound.conversations.mongo_documents import CONVERSATIONS_DOCUMENTS
from adapters.outbound.conversations.mongo_repositories import MongoConversationRepository, MongoMessageReports
from adapters.outbound.conversations.orders_bridge import OrdersBridge
from application.conversations import use_cases as conversations
from application.conversations.ports import ConversationRepository, MessageReports
from application.conversations.ports import Orders as ConversationOrders
from application.conversations.ports import Services as ConversationServices

# Metrics of the messaging: outbox backlog and consumer lag.
from adapters.inbound.http.metrics import register_messaging_gauges
from adapters.outbound.kafka.lag import KafkaConsumerLag
from application.shared.ports import ConsumerLag

# Orders: the seller's completed-jobs counter, in the completing transaction.
from adapters.outbound.orders.catalog_completed_jobs import CatalogCompletedJobs
from adapters.outbound.payments.orders_money_in_flight import OrdersMoneyInFlight
from application.orders.ports import CompletedJobs


# Privacy (the person's copy of their data).
import hashlib

from adapters.inbound.privacy.http import BLUEPRINTS as PRIVACY_BLUEPRINTS
from adapters.outbound.privacy.accounts import AccountDataSource
from adapters.outbound.privacy.catalog import SellerPhotosDataSource, SellerProfileDataSource, ServicesDataSource
from adapters.outbound.privacy.conversations import MessagesDataSource
from adapters.outbound.privacy.mongo_documents import PRIVACY_DOCUMENTS
from adapters.outbound.privacy.mongo_repositories import GridFsExportArchives, MongoDataExportRepository
from adapters.outbound.privacy.notifications import NotificationsDataSource
from adapters.outbound.privacy.orders import OrdersAndPaymentsDataSource
from adapters.outbound.privacy.reviews import ReviewsDataSource
from adapters.outbound.privacy.support import SupportTicketsDataSource
from application.privacy import use_cases as privacy
from application.privacy.ports import DataExportRepository, ExportArchives, ExportPolicy, PersonalDataSources

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
        write_concern = settings.mongodb_write_concern
        return MongoConnection(settings.mongodb_uri, settings.mongodb_db, journal=settings.mongodb_journal,
                               write_concern=int(write_concern) if write_concern.isdigit() else write_concern)

    @singleton
    @provider
    def readiness_checks(self, settings: Settings, mongo: MongoConnection, clock: Clock) -> ReadinessChecks:
        mongo.ensure([OutboxDocument])
        return ReadinessChecks((MongoReadiness(mongo), KafkaReadiness(settings.kafka_bootstrap_servers),
                                OutboxBacklogReadiness(MongoOutboxStore(), clock,
                                                       settings.outbox_max_pending_age_seconds)))


class AccountsModule(Module):
    USE_CASES = [*_use_cases_of(accounts), *_use_cases_of(account_recovery)]

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
    def password_strength(self, settings: Settings) -> PasswordStrength:
        return ZxcvbnPasswordStrength(minimum_score=settings.password_min_strength)

    @singleton
    @provider
    def access_tokens(self, settings: Settings) -> AccessTokens:
        return JwtAccessTokens(secret=settings.jwt_secret, issuer=settings.jwt_issuer,
                               audience=settings.jwt_audience, lifetime_seconds=settings.access_token_ttl_seconds)

    # Mailed single-use tokens: password reset and e-mail confirmation (issue #19).
    @singleton
    @provider
    def one_time_tokens(self, mongo: MongoConnection) -> OneTimeTokenStore:
        mongo.ensure(ACCOUNTS_DOCUMENTS)
        return MongoOneTimeTokenStore()

    @singleton
    @provider
    def recovery_policy(self, settings: Settings) -> RecoveryPolicy:
        return RecoveryPolicy(password_reset_ttl=timedelta(seconds=settings.password_reset_ttl_seconds),
                              email_verification_ttl=timedelta(seconds=settings.email_verification_ttl_seconds))


class OperationsModule(Module):
    USE_CASES = _use_cases_of(operations)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def archiver(self, mongo: MongoConnection) -> DatabaseArchiver:
        return MongoArchiver(mongo.db)


class CatalogModule(Module):
    USE_CASES = _use_cases_of(catalog)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def services(self, mongo: MongoConnection, settings: Settings, cells: SearchFieldsBackfill) -> ServiceRepository:
        mongo.ensure(CATALOG_DOCUMENTS)
        # Services stored before a release derived their grid cell are not found near a buyer
        # until they have one: fill them in at every start (a scan that finds none when current).
        cells.backfill()
        drop_legacy_photo_links()
        return MongoServiceRepository(counts_ttl_seconds=settings.catalog_counts_cache_seconds)

    @singleton
    @provider
    def public_locations(self, settings: Settings) -> PublicLocations:
        key = (settings.seller_location_key.encode() or
               hashlib.sha256(b"seller-locations\x00" + settings.jwt_secret.encode()).digest())
        return KeyedPublicLocations(key)

    @singleton
    @provider
    def search_fields_backfill(self, mongo: MongoConnection) -> SearchFieldsBackfill:
        mongo.ensure(CATALOG_DOCUMENTS)
        return MongoServiceCellsBackfill()

    @singleton
    @provider
    def seller_profiles(self, mongo: MongoConnection) -> SellerProfileRepository:
        mongo.ensure(CATALOG_DOCUMENTS)
        return MongoSellerProfileRepository()

    @provider
    def seller_accounts(self, users: UserRepository) -> SellerAccounts:
        return AccountsSellerDirectory(users)

    @singleton
    @provider
    def gazetteer(self, mongo: MongoConnection) -> Gazetteer:
        mongo.ensure(CATALOG_DOCUMENTS)
        return MongoGazetteer()

    @provider
    def place_source(self) -> PlaceSource:
        return ShippedSpanishPlaces()

    @singleton
    @provider
    def search_vocabulary(self, settings: Settings) -> SearchVocabulary:
        vocabulary = ShippedVocabulary(Path(p) for p in settings.search_vocabulary_files)
        vocabulary.vocabulary()  # a bad file stops the start, not the first search
        return vocabulary

    @provider
    def seller_availability(self, free_time: orders.GetSellersFreeTime) -> SellerAvailability:
        return OrdersSellerAvailability(free_time)

    @provider
    def seller_hours(self, get: orders.GetBookableHours, adopt: orders.AdoptWeeklyHours) -> SellerHours:
        return OrdersSellerHours(get, adopt)

    @singleton
    @provider
    def legacy_profile_hours(self, mongo: MongoConnection) -> LegacyProfileHours:
        mongo.ensure(CATALOG_DOCUMENTS)
        return MongoLegacyProfileHours()

    @singleton
    @provider
    def image_store(self, settings: Settings, mongo: MongoConnection) -> ImageStore:
        if settings.image_store == "s3":
            client = s3_client(region=settings.s3_region, endpoint_url=settings.s3_endpoint_url,
                               access_key_id=settings.s3_access_key_id, secret_access_key=settings.s3_secret_access_key)
            return S3ImageStore(client, settings.s3_bucket)
        return GridFsImageStore(mongo.db)

    @provider
    def image_processor(self) -> ImageProcessor:
        return PillowImageProcessor()


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

    @singleton
    @provider
    def consumer_lag(self, settings: Settings) -> ConsumerLag:
        return KafkaConsumerLag(settings.kafka_bootstrap_servers,
                                groups={settings.support_worker_group: settings.support_requests_topic,
                                        settings.notifications_worker_group: settings.marketplace_events_topic})


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

    @provider
    def requester_orders(self, is_party: orders.IsPartyToOrder) -> RequesterOrders:
        return OrdersRequesterOrders(is_party)


class NotificationsModule(Module):
    USE_CASES = _use_cases_of(notifications)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def inbox(self, mongo: MongoConnection) -> NotificationInbox:
        mongo.ensure(NOTIFICATIONS_DOCUMENTS)
        return MongoNotificationInbox()


class PaymentsModule(Module):
    """Sellers' Square connections, Square's webhooks, and the orders' PaymentGateway on Square."""

    USE_CASES = _use_cases_of(payments)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def square_connections(self, mongo: MongoConnection) -> SquareConnectionRepository:
        mongo.ensure(PAYMENTS_DOCUMENTS)
        return MongoSquareConnectionRepository()

    @singleton
    @provider
    def pending_authorizations(self, mongo: MongoConnection) -> PendingAuthorizations:
        mongo.ensure(PAYMENTS_DOCUMENTS)
        return MongoPendingAuthorizations()

    @singleton
    @provider
    def processed_webhook_events(self, mongo: MongoConnection) -> ProcessedWebhookEvents:
        mongo.ensure(PAYMENTS_DOCUMENTS)
        return MongoProcessedWebhookEvents()

    @singleton
    @provider
    def token_cipher(self, settings: Settings) -> TokenCipher:
        return FernetTokenCipher(settings.square_token_encryption_key)

    @singleton
    @provider
    def square_oauth(self, settings: Settings) -> SquareOAuth:
        return AuthlibSquareOAuth(base_url=square_base_url(settings.square_environment, settings.square_base_url),
                                  application_id=settings.square_application_id,
                                  application_secret=settings.square_application_secret,
                                  redirect_url=settings.square_oauth_redirect_url,
                                  timeout_seconds=settings.square_timeout_seconds)

    @singleton
    @provider
    def square_merchant_api(self, settings: Settings) -> SquareMerchantApi:
        return SdkSquareMerchantApi(base_url=square_base_url(settings.square_environment, settings.square_base_url),
                                    timeout_seconds=settings.square_timeout_seconds)

    @singleton
    @provider
    def webhook_signatures(self, settings: Settings) -> WebhookSignatures:
        return SdkWebhookSignatures(signature_key=settings.square_webhook_signature_key,
                                    notification_url=settings.square_webhook_notification_url)

    @provider
    def money_in_flight(self, find: orders.FindSellersMoneyInFlight) -> MoneyInFlight:
        return OrdersMoneyInFlight(find)

    @singleton
    @provider
    def connection_policy(self, settings: Settings) -> SquareConnectionPolicy:
        return SquareConnectionPolicy(authorization_ttl_seconds=settings.square_oauth_state_ttl_seconds,
                                      refresh_margin_seconds=settings.square_token_refresh_margin_seconds)

    @singleton
    @provider
    def payment_events_listener(self, payment_updates: orders.ApplyPaymentUpdate,
                                refund_updates: orders.ApplyRefundUpdate,
                                invoice_updates: orders.ApplyInvoiceUpdate) -> PaymentEventsListener:
        return OrdersPaymentEventsListener(payments=payment_updates, refunds=refund_updates, invoices=invoice_updates)

    @singleton
    @provider
    def payment_gateway(self, settings: Settings, credentials: payments.GetSellerSquareCredentials,
                        connections: payments.CheckSellerCanTakePayments) -> PaymentGateway:
        return SquarePaymentGateway(credentials=credentials, connections=connections,
                                    base_url=square_base_url(settings.square_environment, settings.square_base_url),
                                    payment_delay=settings.square_payment_delay,
                                    timeout_seconds=settings.square_timeout_seconds,
                                    max_retries=settings.square_max_retries)


class OrdersModule(Module):
    USE_CASES = _use_cases_of(orders)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def order_policy(self, settings: Settings) -> OrderPolicy:
        return OrderPolicy(
            fees=FeePolicy(basis_points=settings.platform_fee_bps, minimum=settings.platform_fee_minimum),
            timers=OrderTimers(payment_window=timedelta(seconds=settings.order_payment_window_seconds),
                               seller_response_window=timedelta(seconds=settings.seller_response_window_seconds),
                               auto_complete_after=timedelta(seconds=settings.auto_complete_after_seconds)),
            cancellation=CancellationPolicy(full_refund_before=timedelta(seconds=settings.refund_full_before_seconds),
                                            late_refund_percent=settings.refund_late_percent),
            scheduler_lease=timedelta(seconds=settings.scheduler_lease_seconds),
            earliest_start_before_slot=timedelta(seconds=settings.earliest_start_before_slot_seconds),
            max_unpaid_per_seller=settings.max_unpaid_bookings_per_seller,
            max_unpaid_per_buyer=settings.max_unpaid_bookings)

    @singleton
    @provider
    def orders(self, mongo: MongoConnection, keeper: FreeTimeKeeper) -> OrderRepository:
        mongo.ensure(ORDERS_DOCUMENTS)
        return FreeTimeTrackingOrders(MongoOrderRepository(), keeper)

    @singleton
    @provider
    def schedules(self, mongo: MongoConnection, keeper: FreeTimeKeeper) -> ScheduleRepository:
        mongo.ensure(ORDERS_DOCUMENTS)
        return FreeTimeTrackingSchedules(MongoScheduleRepository(), keeper)

    @singleton
    @provider
    def free_time_summaries(self, mongo: MongoConnection) -> FreeTimeSummaries:
        mongo.ensure(ORDERS_DOCUMENTS)
        return MongoFreeTimeSummaries()

    @singleton
    @provider
    def free_time_keeper(self, mongo: MongoConnection, summaries: FreeTimeSummaries, clock: Clock,
                         policy: OrderPolicy) -> FreeTimeKeeper:
        # Built on the bare repositories: the tracking wrappers above are built on this keeper.
        mongo.ensure(ORDERS_DOCUMENTS)
        return FreeTimeKeeper(MongoScheduleRepository(), MongoOrderRepository(), summaries, clock, policy)

    @singleton
    @provider
    def idempotency(self, mongo: MongoConnection) -> IdempotencyStore:
        mongo.ensure(ORDERS_DOCUMENTS)
        return MongoIdempotencyStore()

    @singleton
    @provider
    def people(self, users: UserRepository) -> People:
        return AccountsPeople(users)

    @provider
    def service_catalog(self, get_service: catalog.GetService) -> ServiceCatalog:
        return CatalogServices(get_service)

    @provider
    def completed_jobs(self, profiles: SellerProfileRepository, services: ServiceRepository) -> CompletedJobs:
        return CatalogCompletedJobs(profiles, services)


class ReviewsModule(Module):
    USE_CASES = _use_cases_of(reviews)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def unit_of_work(self, mongo: MongoConnection) -> UnitOfWork:
        # Shared by any context whose writes must land together; reviews needed it first.
        return MongoUnitOfWork()

    @singleton
    @provider
    def review_policy(self, settings: Settings) -> ReviewPolicy:
        return ReviewPolicy(window=timedelta(days=settings.review_window_days))

    @singleton
    @provider
    def order_reviews(self, mongo: MongoConnection) -> ReviewRepository:
        mongo.ensure([*REVIEWS_DOCUMENTS, OutboxDocument])
        return MongoReviewRepository()

    @singleton
    @provider
    def review_reports(self, mongo: MongoConnection) -> ReviewReports:
        mongo.ensure(REVIEWS_DOCUMENTS)
        return MongoReviewReports()

    @provider
    def reviewed_orders(self, orders: OrderRepository) -> Orders:
        return OrdersFacts(orders)

    @provider
    def ratings(self, services: ServiceRepository, profiles: SellerProfileRepository) -> Ratings:
        return CatalogRatings(services, profiles)

    @provider
    def author_names(self, names: accounts.GetPublicNames) -> AuthorNames:
        return AccountsAuthorNames(names)


class ConversationsModule(Module):
    USE_CASES = _use_cases_of(conversations)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def conversations(self, mongo: MongoConnection) -> ConversationRepository:
        mongo.ensure([*CONVERSATIONS_DOCUMENTS, OutboxDocument])
        return MongoConversationRepository()

    @singleton
    @provider
    def message_reports(self, mongo: MongoConnection) -> MessageReports:
        mongo.ensure(CONVERSATIONS_DOCUMENTS)
        return MongoMessageReports()

    @provider
    def conversation_orders(self, order_repository: OrderRepository,
                            get_order: orders.GetOrder) -> ConversationOrders:
        return OrdersBridge(order_repository, get_order)

    @provider
    def conversation_services(self, get_service: catalog.GetService) -> ConversationServices:
        return ConversationCatalogServices(get_service)


class PrivacyModule(Module):
    """The person's copy of their data: one source per context, each calling that context's own
    export use case, so a context's storage stays its own business."""

    USE_CASES = _use_cases_of(privacy)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def data_exports(self, mongo: MongoConnection) -> DataExportRepository:
        mongo.ensure(PRIVACY_DOCUMENTS)
        return MongoDataExportRepository()

    @singleton
    @provider
    def export_archives(self, mongo: MongoConnection) -> ExportArchives:
        return GridFsExportArchives(mongo.db)

    @singleton
    @provider
    def export_policy(self, settings: Settings) -> ExportPolicy:
        # A key of its own, derived when none is configured: a download token is never a valid JWT key.
        secret = (settings.data_export_link_secret.encode() or
                  hashlib.sha256(b"data-export-links\x00" + settings.jwt_secret.encode()).digest())
        return ExportPolicy(link_secret=secret, link_ttl=timedelta(seconds=settings.data_export_link_ttl_seconds),
                            keep_for=timedelta(hours=settings.data_export_keep_hours),
                            max_per_day=settings.data_export_max_per_day)

    @provider
    def personal_data_sources(self, account: accounts.ExportAccountData, profile: catalog.ExportSellerProfileData,
                              services: catalog.ExportSellerServicesData, photos: catalog.ExportSellerPhotosData,
                              orders_data: orders.ExportOrdersData, square: payments.ExportSquareConnectionData,
                              messages: conversations.ExportMessagesData, reviews_data: reviews.ExportReviewsData,
                              support_data: support.ExportSupportData,
                              inbox: notifications.ExportNotificationsData) -> PersonalDataSources:
        return PersonalDataSources((
            AccountDataSource(account), SellerProfileDataSource(profile), ServicesDataSource(services),
            SellerPhotosDataSource(photos),
            OrdersAndPaymentsDataSource(orders_data, square), MessagesDataSource(messages),
            ReviewsDataSource(reviews_data), SupportTicketsDataSource(support_data), NotificationsDataSource(inbox)))


CONTEXT_MODULES: list[type[Module]] = [AccountsModule, OperationsModule, CatalogModule, MessagingModule, SupportModule,
                                       NotificationsModule, PaymentsModule, OrdersModule, ReviewsModule,
                                       ConversationsModule]
BLUEPRINTS = [health_blueprint, *ACCOUNTS_BLUEPRINTS, *CATALOG_BLUEPRINTS, *SUPPORT_BLUEPRINTS,
              *NOTIFICATIONS_BLUEPRINTS, *PAYMENTS_BLUEPRINTS, *ORDERS_BLUEPRINTS, *REVIEWS_BLUEPRINTS,
              *CONVERSATIONS_BLUEPRINTS]
CONTEXT_MODULES.append(PrivacyModule)
BLUEPRINTS.extend(PRIVACY_BLUEPRINTS)

class InMemoryCatalogModule(Module):
    """CATALOG_STORE=memory: the catalog in this process's memory, appended after CatalogModule so
    its bindings win. The benchmarks use it to measure the app's own cost without a database."""

    @singleton
    @provider
    def services(self) -> ServiceRepository:
        return InMemoryServiceRepository()

    @singleton
    @provider
    def seller_profiles(self) -> SellerProfileRepository:
        return InMemorySellerProfileRepository()

    @singleton
    @provider
    def search_fields_backfill(self) -> SearchFieldsBackfill:
        return InMemorySearchFieldsBackfill()

    @singleton
    @provider
    def legacy_profile_hours(self) -> LegacyProfileHours:
        return InMemoryLegacyProfileHours()


def _store_modules(settings: Settings) -> list[Module]:
    return [InMemoryCatalogModule()] if settings.catalog_store == "memory" else []


def build_injector(settings: Settings, extra_modules: Iterable[Module] = ()) -> Injector:
    modules: list[Module] = [CoreModule(settings), *(m() for m in CONTEXT_MODULES), *_store_modules(settings),
                             *extra_modules]
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
    register_messaging_gauges(injector.get(OutboxStore), injector.get(Clock), injector.get(ConsumerLag))
    register_cli(app)
    register_database_outage_answer(app)
    return app


def register_database_outage_answer(app: Flask) -> None:
    """The database unreachable for longer than the driver waits (a server restarting, a failover
    taking long) is ours to retry later, not a bug: 503, like any dependency that is away."""
    from pymongo.errors import ConnectionFailure

    from adapters.inbound.http.errors import handle_domain_error
    from domain.shared.errors import DependencyUnavailable

    def answer(_error: ConnectionFailure):
        return handle_domain_error(DependencyUnavailable("the database cannot be reached now; try again shortly"))

    app.register_error_handler(ConnectionFailure, answer)


def wsgi_app() -> Flask:
    """gunicorn's entry point: a configuration mistake stops start-up with one clear line."""
    try:
        return create_app()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


# Deleting accounts (issue #12): the ports the accounts and operations contexts share around a
# deletion. Each context's own erasure handler is a use case of that context (USE_CASES above);
# the erasure worker lists them (adapters/inbound/cli/erasure.py).
from adapters.outbound.accounts.orders_blockers import OrdersErasureBlockers
from adapters.outbound.mongo.deletion_log import MongoDeletionLog
from adapters.outbound.operations.accounts_replay import AccountsDeletionReplay
from application.accounts.ports import DeletionLog as AccountsDeletionLog
from application.accounts.ports import ErasureBlockers
from application.operations.ports import DeletionLog as OperationsDeletionLog
from application.operations.ports import DeletionReplay


class AccountDeletionModule(Module):
    @singleton
    @provider
    def deletion_log(self, mongo: MongoConnection, settings: Settings) -> MongoDeletionLog:
        return MongoDeletionLog(mongo.db.client, settings.deletion_log_database,
                                retention=timedelta(days=settings.backup_retention_days))

    @provider
    def accounts_deletion_log(self, log: MongoDeletionLog) -> AccountsDeletionLog:
        return log

    @provider
    def operations_deletion_log(self, log: MongoDeletionLog) -> OperationsDeletionLog:
        return log

    @provider
    def erasure_blockers(self, find: orders.FindErasureBlockers) -> ErasureBlockers:
        return OrdersErasureBlockers(find)

    @provider
    def deletion_replay(self, replay: accounts.ReplayAccountDeletion) -> DeletionReplay:
        return AccountsDeletionReplay(replay)


CONTEXT_MODULES.append(AccountDeletionModule)


# E-mail (issue #19): mails requested through the outbox (email.requested), sent by `flask email-worker`.
from adapters.outbound.email.mongo import EMAIL_DOCUMENTS, MongoSentEmails
from adapters.outbound.email.smtp import SmtpEmailSender
from adapters.outbound.email.templates import LocalizedTemplates
from application.email import use_cases as email
from application.email.ports import EmailSender, EmailTemplates, SentEmails


class EmailModule(Module):
    USE_CASES = _use_cases_of(email)

    def configure(self, binder: Binder) -> None:
        bind_use_cases(binder, self.USE_CASES)

    @singleton
    @provider
    def email_sender(self, settings: Settings) -> EmailSender:
        return SmtpEmailSender(host=settings.smtp_host, port=settings.smtp_port, mail_from=settings.mail_from,
                               username=settings.smtp_username, password=settings.smtp_password,
                               tls=settings.smtp_tls, timeout_seconds=settings.smtp_timeout_seconds)

    @singleton
    @provider
    def email_templates(self, settings: Settings) -> EmailTemplates:
        return LocalizedTemplates(settings.web_public_url)

    @singleton
    @provider
    def sent_emails(self, mongo: MongoConnection) -> SentEmails:
        mongo.ensure(EMAIL_DOCUMENTS)
        return MongoSentEmails()


CONTEXT_MODULES.append(EmailModule)


# Getting back into an account by e-mail (issue #19): its routes; its ports are the accounts context's.
from adapters.inbound.accounts.recovery_http import BLUEPRINTS as RECOVERY_BLUEPRINTS

BLUEPRINTS.extend(RECOVERY_BLUEPRINTS)
