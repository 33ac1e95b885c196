"""The app wired with in-memory fakes: appended after the real modules, its bindings win."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from injector import Module, provider, singleton

from adapters.outbound.accounts.in_memory import (
    InMemoryLoginThrottle,
    InMemoryRefreshSessionStore,
    InMemoryUserRepository,
    PlainTextPasswordHasher,
)
from adapters.outbound.accounts.password_strength import ZxcvbnPasswordStrength
from adapters.outbound.orders.in_memory import (
    InMemoryIdempotencyStore,
    InMemoryOrderRepository,
    InMemoryPeople,
    InMemoryScheduleRepository,
    InMemoryServiceCatalog,
)
from adapters.outbound.payments.in_memory import (
    AcceptingWebhookSignatures,
    InMemoryPaymentGateway,
    InMemoryPendingAuthorizations,
    InMemoryProcessedWebhookEvents,
    InMemorySquareConnectionRepository,
    InMemorySquareMerchantApi,
    InMemorySquareOAuth,
    RecordingPaymentEventsListener,
    ReversibleTokenCipher,
)
from application.accounts.ports import (
    LoginThrottle,
    PasswordHasher,
    PasswordStrength,
    RefreshSessionStore,
    UserRepository,
)
from application.orders.payment_gateway import PaymentGateway
from application.payments.ports import (
    MoneyInFlight,
    PaymentEventsListener,
    PendingAuthorizations,
    ProcessedWebhookEvents,
    SquareConnectionRepository,
    SquareMerchantApi,
    SquareOAuth,
    TokenCipher,
    WebhookSignatures,
)
from application.orders.ports import IdempotencyStore, OrderRepository, People, ScheduleRepository, ServiceCatalog
from adapters.outbound.kafka.in_memory import InMemoryEventPublisher
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.notifications.in_memory import InMemoryNotificationInbox
from adapters.outbound.support.in_memory import InMemorySupportRequestRepository, InMemoryTicketRepository
from application.notifications.ports import NotificationInbox
from application.shared.outbox_relay import EventPublisher, OutboxStore
from adapters.outbound.catalog.accounts_directory import AccountsSellerDirectory
from adapters.outbound.catalog.in_memory import (
    InMemoryImageStore,
    InMemoryLegacyProfileHours,
    InMemorySellerProfileRepository,
    InMemoryServiceRepository,
)
from application.catalog.ports import (
    ImageStore,
    LegacyProfileHours,
    SellerAccounts,
    SellerHours,
    SellerProfileRepository,
    ServiceRepository,
)
from adapters.outbound.catalog.orders_hours import OrdersSellerHours
from application.orders.use_cases import AdoptWeeklyHours, GetBookableHours
from adapters.outbound.catalog.gazetteer_data import spanish_places
from adapters.outbound.catalog.in_memory import InMemoryGazetteer, InMemoryPlaceSource, InMemoryVocabulary
from adapters.outbound.catalog.vocabulary_data import VOCABULARY_CSV, read_entries
from adapters.outbound.catalog.in_memory import InMemorySearchFieldsBackfill
from application.catalog.ports import SearchFieldsBackfill
from adapters.outbound.catalog.orders_availability import OrdersSellerAvailability
from application.orders.use_cases import GetSellersFreeTime
from adapters.outbound.orders.in_memory import InMemoryFreeTimeSummaries
from application.catalog.ports import Gazetteer, PlaceSource, SearchVocabulary, SellerAvailability
from application.orders.free_time import FreeTimeKeeper
from application.orders.ports import FreeTimeSummaries, OrderPolicy
from adapters.outbound.operations.in_memory import InMemoryArchiver
from application.operations.ports import DatabaseArchiver
from application.shared.ports import Clock, ReadinessChecks
from application.support.ports import SupportRequestRepository, TicketRepository
from adapters.outbound.mongo.in_memory_unit_of_work import InMemoryUnitOfWork
from adapters.outbound.reviews.account_names import AccountsAuthorNames
from adapters.outbound.reviews.catalog_ratings import CatalogRatings
from application.accounts.use_cases import GetPublicNames
from adapters.outbound.reviews.in_memory import InMemoryReviewReports, InMemoryReviewRepository
from adapters.outbound.reviews.orders_facts import OrdersFacts
from application.reviews.ports import AuthorNames, Orders, Ratings, ReviewReports, ReviewRepository
from application.shared.ports import UnitOfWork
from adapters.outbound.conversations.catalog_services import CatalogServices as ConversationCatalogServices
from adapters.outbound.conversations.in_memory import InMemoryConversationRepository, InMemoryMessageReports
from adapters.outbound.conversations.orders_bridge import OrdersBridge
from application.catalog.use_cases import GetService
from application.conversations.ports import ConversationRepository, MessageReports
from application.conversations.ports import Orders as ConversationOrders
from application.conversations.ports import Services as ConversationServices
from application.orders.use_cases import GetOrder
from adapters.outbound.accounts.orders_blockers import OrdersErasureBlockers
from adapters.outbound.payments.orders_money_in_flight import OrdersMoneyInFlight
from adapters.outbound.mongo.in_memory_deletion_log import InMemoryDeletionLog
from adapters.outbound.operations.accounts_replay import AccountsDeletionReplay
from application.accounts.ports import DeletionLog as AccountsDeletionLog
from application.accounts.ports import ErasureBlockers
from application.accounts.use_cases import ReplayAccountDeletion
from application.operations.ports import DeletionLog as OperationsDeletionLog
from application.operations.ports import DeletionReplay
from application.orders.use_cases import FindErasureBlockers, FindSellersMoneyInFlight
from adapters.outbound.kafka.in_memory import InMemoryConsumerLag
from application.shared.ports import ConsumerLag
from adapters.outbound.orders.catalog_completed_jobs import CatalogCompletedJobs
from application.orders.ports import CompletedJobs
from adapters.outbound.privacy.in_memory import InMemoryDataExportRepository, InMemoryExportArchives
from application.privacy.ports import DataExportRepository, ExportArchives
from adapters.outbound.support.orders_parties import OrdersRequesterOrders
from adapters.outbound.catalog.public_locations import KeyedPublicLocations
from application.catalog.ports import PublicLocations
from application.orders.use_cases import IsPartyToOrder
from application.support.ports import RequesterOrders
from adapters.outbound.accounts.in_memory import InMemoryOneTimeTokenStore
from application.accounts.ports import OneTimeTokenStore
from adapters.outbound.email.in_memory import InMemoryEmailSender, InMemorySentEmails
from adapters.outbound.email.templates import LocalizedTemplates
from application.email.ports import EmailSender, EmailTemplates, SentEmails


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class StaticReadiness:
    def __init__(self, name: str, up: bool = True) -> None:
        self.name = name
        self.up = up

    def check(self) -> tuple[bool, str]:
        return self.up, "fake"


@functools.cache
def shipped_vocabulary() -> InMemoryVocabulary:
    """The real words (a small file, read and indexed once per test run): search tests ask what
    buyers type. Read-only, so every test may share it."""
    return InMemoryVocabulary(read_entries(VOCABULARY_CSV))


class FakesModule(Module):
    """Every port bound to an in-memory fake; the test keeps a handle on each to inspect it."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.users = InMemoryUserRepository(outbox := InMemoryOutbox())
        self.sessions = InMemoryRefreshSessionStore()
        self.throttle = InMemoryLoginThrottle()
        self.hasher = PlainTextPasswordHasher()
        self.readiness = [StaticReadiness("mongodb"), StaticReadiness("kafka")]
        self.orders = InMemoryOrderRepository()
        self.schedules = InMemoryScheduleRepository()
        self.catalog = InMemoryServiceCatalog()
        self.people = InMemoryPeople()
        self.idempotency = InMemoryIdempotencyStore()
        self.square_connections = InMemorySquareConnectionRepository()
        # The real bridge over the fake orders, as for erasure blockers.
        self.money_in_flight = OrdersMoneyInFlight(FindSellersMoneyInFlight(self.orders))
        self.pending_authorizations = InMemoryPendingAuthorizations()
        self.token_cipher = ReversibleTokenCipher()
        self.square_oauth = InMemorySquareOAuth(self.clock.now)
        self.square_merchant_api = InMemorySquareMerchantApi(self.square_oauth)
        self.webhook_signatures = AcceptingWebhookSignatures()
        self.webhook_events = InMemoryProcessedWebhookEvents()
        self.payment_events = RecordingPaymentEventsListener()
        self.payment_gateway = InMemoryPaymentGateway()
        self.outbox = outbox
        self.publisher = InMemoryEventPublisher()
        self.support_requests = InMemorySupportRequestRepository(self.outbox)
        self.tickets = InMemoryTicketRepository(self.outbox)
        self.inbox = InMemoryNotificationInbox()
        self.services = InMemoryServiceRepository()
        self.seller_profiles = InMemorySellerProfileRepository()
        self.legacy_profile_hours = InMemoryLegacyProfileHours()
        self.images = InMemoryImageStore()
        self.unit_of_work = InMemoryUnitOfWork()
        self.order_reviews = InMemoryReviewRepository(self.outbox)
        self.review_reports = InMemoryReviewReports()
        self.conversations = InMemoryConversationRepository(self.outbox)
        self.message_reports = InMemoryMessageReports()
        self.place_source = InMemoryPlaceSource(spanish_places())
        self.gazetteer = InMemoryGazetteer(self.place_source.places())
        self.search_fields_backfill = InMemorySearchFieldsBackfill()
        self.vocabulary = shipped_vocabulary()
        self.free_time = InMemoryFreeTimeSummaries()
        self.archiver = InMemoryArchiver()
        # Outside the in-memory "database", like the real deletion log (issue #12).
        self.deletion_log = InMemoryDeletionLog()
        self.consumer_lag = InMemoryConsumerLag()
        self.data_exports = InMemoryDataExportRepository()
        self.export_archives = InMemoryExportArchives()
        self.email_sender = InMemoryEmailSender()
        self.sent_emails = InMemorySentEmails()
        self.one_time_tokens = InMemoryOneTimeTokenStore()

    @provider
    def provide_clock(self) -> Clock:
        return self.clock

    @provider
    def provide_readiness(self) -> ReadinessChecks:
        return ReadinessChecks(tuple(self.readiness))

    @provider
    def provide_users(self) -> UserRepository:
        return self.users

    @singleton
    @provider
    def provide_sessions(self) -> RefreshSessionStore:
        return self.sessions

    @provider
    def provide_throttle(self) -> LoginThrottle:
        return self.throttle

    @provider
    def provide_hasher(self) -> PasswordHasher:
        return self.hasher

    @provider
    def provide_public_locations(self) -> PublicLocations:
        # The real one with a key of the tests' own: pure computation, and search must hide bases.
        return KeyedPublicLocations(b"tests-seller-location-key-0123456789")

    @provider
    def provide_password_strength(self) -> PasswordStrength:
        # The real estimator: pure computation, no I/O, and the rule tests must see.
        return ZxcvbnPasswordStrength()

    @provider
    def provide_orders(self) -> OrderRepository:
        return self.orders

    @provider
    def provide_schedules(self) -> ScheduleRepository:
        return self.schedules

    @provider
    def provide_catalog(self) -> ServiceCatalog:
        return self.catalog

    @provider
    def provide_people(self) -> People:
        return self.people

    @provider
    def provide_idempotency(self) -> IdempotencyStore:
        return self.idempotency

    @provider
    def provide_square_connections(self) -> SquareConnectionRepository:
        return self.square_connections

    @provider
    def provide_pending_authorizations(self) -> PendingAuthorizations:
        return self.pending_authorizations

    @provider
    def provide_token_cipher(self) -> TokenCipher:
        return self.token_cipher

    @provider
    def provide_square_oauth(self) -> SquareOAuth:
        return self.square_oauth

    @provider
    def provide_square_merchant_api(self) -> SquareMerchantApi:
        return self.square_merchant_api

    @provider
    def provide_webhook_signatures(self) -> WebhookSignatures:
        return self.webhook_signatures

    @provider
    def provide_webhook_events(self) -> ProcessedWebhookEvents:
        return self.webhook_events

    @provider
    def provide_payment_events(self) -> PaymentEventsListener:
        return self.payment_events

    @provider
    def provide_payment_gateway(self) -> PaymentGateway:
        return self.payment_gateway

    @provider
    def provide_outbox(self) -> OutboxStore:
        return self.outbox

    @provider
    def provide_publisher(self) -> EventPublisher:
        return self.publisher

    @provider
    def provide_support_requests(self) -> SupportRequestRepository:
        return self.support_requests

    @provider
    def provide_tickets(self) -> TicketRepository:
        return self.tickets

    @provider
    def provide_inbox(self) -> NotificationInbox:
        return self.inbox

    @provider
    def provide_services(self) -> ServiceRepository:
        return self.services

    @provider
    def provide_seller_profiles(self) -> SellerProfileRepository:
        return self.seller_profiles

    @provider
    def provide_images(self) -> ImageStore:
        return self.images

    @provider
    def provide_seller_accounts(self) -> SellerAccounts:
        # The real directory over the fake accounts: member-since comes from registered users.
        return AccountsSellerDirectory(self.users)

    @provider
    def provide_unit_of_work(self) -> UnitOfWork:
        return self.unit_of_work

    @provider
    def provide_order_reviews(self) -> ReviewRepository:
        return self.order_reviews

    @provider
    def provide_review_reports(self) -> ReviewReports:
        return self.review_reports

    @provider
    def provide_reviewed_orders(self) -> Orders:
        # The real bridge over the fake orders: HTTP tests complete orders through the orders fake.
        return OrdersFacts(self.orders)

    @provider
    def provide_ratings(self) -> Ratings:
        return CatalogRatings(self.services, self.seller_profiles)

    @provider
    def provide_author_names(self) -> AuthorNames:
        # The real bridge over the fake accounts: reviews name people as the accounts context says.
        return AccountsAuthorNames(GetPublicNames(self.users))

    @provider
    def provide_conversations(self) -> ConversationRepository:
        return self.conversations

    @provider
    def provide_message_reports(self) -> MessageReports:
        return self.message_reports

    @provider
    def provide_conversation_orders(self, policy: OrderPolicy) -> ConversationOrders:
        # The real bridge over the fake orders and people: masking follows the order's real status.
        return OrdersBridge(self.orders, GetOrder(self.orders, self.people, policy, self.clock))

    @provider
    def provide_conversation_services(self) -> ConversationServices:
        return ConversationCatalogServices(GetService(self.services))

    @provider
    def provide_gazetteer(self) -> Gazetteer:
        return self.gazetteer

    @provider
    def provide_place_source(self) -> PlaceSource:
        return self.place_source

    @provider
    def provide_search_vocabulary(self) -> SearchVocabulary:
        return self.vocabulary

    @provider
    def provide_free_time(self) -> FreeTimeSummaries:
        return self.free_time

    # The real adapter (no I/O) over the orders use case on the fake summaries, so HTTP tests see
    # the orders context's date rules.
    @provider
    def provide_seller_availability(self, policy: OrderPolicy) -> SellerAvailability:
        return OrdersSellerAvailability(GetSellersFreeTime(self.free_time, policy, self.clock))

    @provider
    def provide_free_time_keeper(self, policy: OrderPolicy) -> FreeTimeKeeper:
        return FreeTimeKeeper(self.schedules, self.orders, self.free_time, self.clock, policy)

    @provider
    def provide_archiver(self) -> DatabaseArchiver:
        return self.archiver

    # Deleting accounts (issue #12).
    @provider
    def provide_accounts_deletion_log(self) -> AccountsDeletionLog:
        return self.deletion_log

    @provider
    def provide_operations_deletion_log(self) -> OperationsDeletionLog:
        return self.deletion_log

    # The real bridges (no I/O) over the fakes, so a test deletes through the orders' own rules.
    @provider
    def provide_money_in_flight(self) -> MoneyInFlight:
        return self.money_in_flight

    @provider
    def provide_erasure_blockers(self) -> ErasureBlockers:
        return OrdersErasureBlockers(FindErasureBlockers(self.orders))

    @provider
    def provide_deletion_replay(self) -> DeletionReplay:
        return AccountsDeletionReplay(ReplayAccountDeletion(self.users, self.sessions, self.clock))

    @provider
    def provide_consumer_lag(self) -> ConsumerLag:
        return self.consumer_lag

    @provider
    def provide_completed_jobs(self) -> CompletedJobs:
        # The real bridge over the fake catalog: HTTP tests see the seller's public counter move.
        return CatalogCompletedJobs(self.seller_profiles, self.services)

    @provider
    def provide_data_exports(self) -> DataExportRepository:
        return self.data_exports

    @provider
    def provide_export_archives(self) -> ExportArchives:
        return self.export_archives

    @provider
    def provide_search_fields_backfill(self) -> SearchFieldsBackfill:
        return self.search_fields_backfill

    @provider
    def provide_legacy_profile_hours(self) -> LegacyProfileHours:
        return self.legacy_profile_hours

    # The real adapter (no I/O) over the orders use cases on the fake schedules: HTTP tests see a
    # profile show the hours /me/availability set.
    @provider
    def provide_seller_hours(self, get: GetBookableHours, adopt: AdoptWeeklyHours) -> SellerHours:
        return OrdersSellerHours(get, adopt)

    @provider
    def provide_requester_orders(self) -> RequesterOrders:
        # The real bridge over the fake orders: a support request names only the requester's own.
        return OrdersRequesterOrders(IsPartyToOrder(self.orders))

    @provider
    def provide_email_sender(self) -> EmailSender:
        return self.email_sender

    @provider
    def provide_sent_emails(self) -> SentEmails:
        return self.sent_emails

    @provider
    def provide_email_templates(self) -> EmailTemplates:
        # The real templates (no I/O): tests read the links the mails carry.
        return LocalizedTemplates("http://web.test")

    @provider
    def provide_one_time_tokens(self) -> OneTimeTokenStore:
        return self.one_time_tokens
