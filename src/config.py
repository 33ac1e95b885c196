"""The one place that reads configuration: environment variables (12-factor), with defaults that
run the embedded local stack. A missing or malformed value stops start-up with one line naming it."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(Exception):
    """Raised with a message that names the variable and what is wrong with it."""


DEVELOPMENT_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"
# The local Square stand-in's credentials (devtools/square_standin.py); refused in production.
DEVELOPMENT_SQUARE_APPLICATION_ID = "sandbox-sq0idb-marketplace-local"
DEVELOPMENT_SQUARE_APPLICATION_SECRET = "sandbox-sq0csb-marketplace-local-secret"
DEVELOPMENT_SQUARE_WEBHOOK_SIGNATURE_KEY = "standin-webhook-signature-key"
DEVELOPMENT_SQUARE_TOKEN_ENCRYPTION_KEY = "ZGV2LW9ubHktc3F1YXJlLXRva2VuLWtleS0wMTIzNDU="
SQUARE_ENVIRONMENTS = ("local", "sandbox", "production")


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    mongodb_uri: str = "mongodb://127.0.0.1:27018/?directConnection=true"
    mongodb_db: str = "marketplace"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_issuer: str = "home-services-marketplace"
    jwt_audience: str = "home-services-marketplace-api"
    access_token_ttl_seconds: int = 900
    argon2_memory_kib: int = 19_456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    login_max_failures: int = 5
    login_window_seconds: int = 900
    # zxcvbn's score (0-4) a new password needs; 3 is at least 10^8 guesses.
    password_min_strength: int = 3
    max_request_bytes: int = 1_048_576
    cors_allowed_origins: tuple[str, ...] = ("http://127.0.0.1:3000", "http://localhost:3000")
    public_base_url: str = "http://127.0.0.1:8000"
    # Orders: commission, windows (seconds) and the cancellation policy.
    platform_fee_bps: int = 1000
    platform_fee_minimum: int = 100
    order_payment_window_seconds: int = 15 * 60
    seller_response_window_seconds: int = 48 * 3600
    auto_complete_after_seconds: int = 72 * 3600
    # How long before its slot a job may be started (a professional arriving early).
    earliest_start_before_slot_seconds: int = 2 * 3600
    refund_full_before_seconds: int = 24 * 3600
    refund_late_percent: int = 50
    # Slot hoarding: the bookings one buyer may hold unpaid (each holds the seller's time for the
    # payment window), with one seller and in all.
    max_unpaid_bookings_per_seller: int = 2
    max_unpaid_bookings: int = 4
    scheduler_interval_seconds: int = 5
    scheduler_lease_seconds: int = 60
    review_window_days: int = 7

    # Square. "local" is the stand-in at square_base_url; sandbox and production use the SDK's
    # own URLs unless SQUARE_BASE_URL overrides them.
    square_environment: str = "local"
    square_base_url: str = "http://127.0.0.1:8089"
    square_application_id: str = DEVELOPMENT_SQUARE_APPLICATION_ID
    square_application_secret: str = DEVELOPMENT_SQUARE_APPLICATION_SECRET
    square_webhook_signature_key: str = DEVELOPMENT_SQUARE_WEBHOOK_SIGNATURE_KEY
    square_webhook_notification_url: str = "http://127.0.0.1:8000/webhooks/square"
    square_token_encryption_key: str = DEVELOPMENT_SQUARE_TOKEN_ENCRYPTION_KEY
    # How long a card stays held before Square's delay_action (CANCEL) voids it; card-not-present
    # authorizations last at most 7 days.
    square_payment_delay: str = "P3D"
    square_timeout_seconds: int = 10
    square_max_retries: int = 1
    square_token_refresh_margin_seconds: int = 7 * 86_400
    square_oauth_state_ttl_seconds: int = 600
    square_token_refresh_every_seconds: int = 3600  # how often each `flask scheduler` renews tokens

    @property
    def square_oauth_redirect_url(self) -> str:
        return f"{self.public_base_url}/square/oauth/callback"

    # Messaging: the outbox relay, the Kafka topics and the consumer groups of the workers.
    support_requests_topic: str = "support.requests"
    support_requests_dlq_topic: str = "support.requests.dlq"
    marketplace_events_topic: str = "marketplace.events"
    marketplace_events_dlq_topic: str = "marketplace.events.dlq"
    support_worker_group: str = "support-worker"
    notifications_worker_group: str = "notifications-worker"
    consumer_max_attempts: int = 3
    consumer_retry_backoff_ms: int = 200
    kafka_session_timeout_ms: int = 10_000
    kafka_heartbeat_interval_ms: int = 1_000
    kafka_delivery_timeout_ms: int = 10_000
    outbox_batch_size: int = 100
    outbox_retry_base_ms: int = 500
    outbox_retry_max_ms: int = 60_000
    outbox_lease_seconds: int = 30
    outbox_idle_wait_ms: int = 500
    outbox_max_pending_age_seconds: int = 300
    # Turns each seller's base into the point search measures from (a stable, secret direction,
    # PUBLIC_POINT_OFFSET_KM away). Derived from JWT_SECRET when unset; set it in production and
    # never change it: two public points of one base would give the base away.
    seller_location_key: str = ""
    # Where the catalog keeps services and profiles: "mongo", or "memory" (this process only,
    # lost on exit) to measure the app's own cost without a database (bench/).
    catalog_store: str = "mongo"
    # How long a worker keeps the per-category counts of the whole catalog (browse pages, the
    # category list) before counting again; its own writes drop them at once. 0: never kept.
    catalog_counts_cache_seconds: int = 10
    # Where photos' bytes live: "gridfs" (MongoDB, the default: nothing else to run) or "s3" (any
    # S3-compatible bucket). The S3 keys may be left empty to use boto3's own chain (an IAM role).
    image_store: str = "gridfs"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "eu-west-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # More search vocabulary (CSV files with the shipped file's columns), beside the shipped one.
    search_vocabulary_files: tuple[str, ...] = ()

    # Empty: the counters live in MONGODB_URI's server (database "limits"), shared by every worker.
    rate_limit_storage_uri: str = ""
    rate_limit_auth: str = "10/minute;100/hour"
    rate_limit_writes: str = "120/minute"
    trusted_proxy_hops: int = 0
    # Shared with the web front end's server, which signs each sign-in it relays with the person's
    # address (X-Client-Address); empty: no one's relayed address is believed.
    web_proxy_secret: str = ""
    log_level: str = "INFO"
    # The scraper's bearer token for /metrics. Empty: /metrics is open outside production (the
    # local stack) and not served at all in production.
    metrics_token: str = ""
    # Every write is acknowledged only once a majority of the replica set has it in its journal:
    # with w=1 and no journal, a server SIGKILLed right after answering lost acknowledged writes
    # (tests/verify/test_faults_mongo.py). Production refuses anything weaker.
    mongodb_write_concern: str = "majority"
    mongodb_journal: bool = True

    # Privacy: copies of a person's data (GDPR exports). The link's key is derived from JWT_SECRET
    # unless DATA_EXPORT_LINK_SECRET gives one of its own.
    data_export_link_secret: str = ""
    data_export_link_ttl_seconds: int = 15 * 60
    data_export_keep_hours: int = 7 * 24
    data_export_max_per_day: int = 5

    # Deleting accounts (issue #12). The deletion log lives in a database of its own on the same
    # server ("" = "<MONGODB_DB>_deletion_log"), which backup and restore never touch.
    deletion_log_db: str = ""
    backup_retention_days: int = 200
    erasure_worker_group: str = "erasure-worker"

    # E-mail (issue #19): the SMTP server the email worker hands mail to (make run and tests start a
    # local one, devtools/mail_server.py), and the web's address its links point at.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: str = "none"  # none, starttls or ssl; production refuses none
    smtp_timeout_seconds: int = 10
    mail_from: str = "Mercado de servicios <no-reply@marketplace.local>"
    web_public_url: str = "http://127.0.0.1:3000"
    email_worker_group: str = "email-worker"
    password_reset_ttl_seconds: int = 30 * 60
    email_verification_ttl_seconds: int = 3 * 86_400

    @property
    def deletion_log_database(self) -> str:
        return self.deletion_log_db or f"{self.mongodb_db}_deletion_log"

    @property
    def rate_limit_storage(self) -> str:
        return self.rate_limit_storage_uri or self.mongodb_uri

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def _password_strength(environ: Mapping[str, str]) -> int:
    value = _int(environ, "PASSWORD_MIN_STRENGTH", Settings.password_min_strength)
    if value > 4:
        raise ConfigError(f"PASSWORD_MIN_STRENGTH: a score from 0 to 4, got {value}")
    return value


def _int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {value}")
    return value


def _str(environ: Mapping[str, str], name: str, default: str) -> str:
    raw = environ.get(name)
    return default if raw is None or raw.strip() == "" else raw.strip()


def _rate_limit(environ: Mapping[str, str], name: str, default: str) -> str:
    """flask-limiter's notation: "10/minute;100/hour"."""
    from limits import parse_many

    value = _str(environ, name, default)
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}: expected limits like '10/minute;100/hour', got {value!r}") from None
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = _str(env, "APP_ENV", "development")
    if environment not in {"development", "test", "production"}:
        raise ConfigError(f"APP_ENV: expected development, test or production, got {environment!r}")

    mongodb_uri = _str(env, "MONGODB_URI", Settings.mongodb_uri)
    if not mongodb_uri.startswith(("mongodb://", "mongodb+srv://")):
        raise ConfigError("MONGODB_URI: must start with mongodb:// or mongodb+srv://")

    jwt_secret = _str(env, "JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    if environment == "production" and jwt_secret == DEVELOPMENT_JWT_SECRET:
        raise ConfigError("JWT_SECRET: must be set in production (at least 32 random characters)")
    if len(jwt_secret) < 32:
        raise ConfigError("JWT_SECRET: must have at least 32 characters")

    seller_location_key = _str(env, "SELLER_LOCATION_KEY", "")
    if seller_location_key and len(seller_location_key) < 32:
        raise ConfigError("SELLER_LOCATION_KEY: must have at least 32 characters (or leave it unset)")
    metrics_token = _str(env, "METRICS_TOKEN", "")
    if metrics_token and (len(metrics_token) < 32 or not metrics_token.isprintable() or " " in metrics_token):
        raise ConfigError("METRICS_TOKEN: must have at least 32 characters, without spaces")

    origins = tuple(o.strip() for o in _str(env, "CORS_ALLOWED_ORIGINS", ",".join(Settings.cors_allowed_origins))
                    .split(",") if o.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigError(f"CORS_ALLOWED_ORIGINS: {origin!r} is not an http(s) origin")

    orders = _orders_settings(env)
    square = _square_settings(env, environment, public_base_url=_str(env, "PUBLIC_BASE_URL", Settings.public_base_url)
                              .rstrip("/"))
    rate_limits = {name: _rate_limit(env, name, default) for name, default in
                   (("RATE_LIMIT_AUTH", Settings.rate_limit_auth), ("RATE_LIMIT_WRITES", Settings.rate_limit_writes))}
    rate_limit_storage_uri = _str(env, "RATE_LIMIT_STORAGE_URI", "")
    if rate_limit_storage_uri and not rate_limit_storage_uri.startswith(("mongodb://", "mongodb+srv://", "memory://")):
        raise ConfigError("RATE_LIMIT_STORAGE_URI: must start with mongodb://, mongodb+srv:// or memory://")
    log_level = _str(env, "LOG_LEVEL", Settings.log_level).upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

    return Settings(
        **orders,
        **square,
        environment=environment,
        mongodb_uri=mongodb_uri,
        mongodb_db=_str(env, "MONGODB_DB", Settings.mongodb_db),
        kafka_bootstrap_servers=_str(env, "KAFKA_BOOTSTRAP_SERVERS", Settings.kafka_bootstrap_servers),
        jwt_secret=jwt_secret,
        metrics_token=metrics_token,
        seller_location_key=seller_location_key,
        jwt_issuer=_str(env, "JWT_ISSUER", Settings.jwt_issuer),
        jwt_audience=_str(env, "JWT_AUDIENCE", Settings.jwt_audience),
        access_token_ttl_seconds=_int(env, "ACCESS_TOKEN_TTL_SECONDS", 900, minimum=30),
        argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB", 19_456, minimum=8),
        argon2_time_cost=_int(env, "ARGON2_TIME_COST", 2, minimum=1),
        argon2_parallelism=_int(env, "ARGON2_PARALLELISM", 1, minimum=1),
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5, minimum=1),
        login_window_seconds=_int(env, "LOGIN_WINDOW_SECONDS", 900, minimum=1),
        password_min_strength=_password_strength(env),
        max_request_bytes=_int(env, "MAX_REQUEST_BYTES", 1_048_576, minimum=1024),
        cors_allowed_origins=origins,
        public_base_url=_str(env, "PUBLIC_BASE_URL", Settings.public_base_url).rstrip("/"),
        **_messaging_settings(env),
        review_window_days=_int(env, "REVIEW_WINDOW_DAYS", Settings.review_window_days, minimum=1),
        rate_limit_storage_uri=rate_limit_storage_uri,
        rate_limit_auth=rate_limits["RATE_LIMIT_AUTH"],
        rate_limit_writes=rate_limits["RATE_LIMIT_WRITES"],
        trusted_proxy_hops=_int(env, "TRUSTED_PROXY_HOPS", 0),
        web_proxy_secret=_web_proxy_secret(env),
        log_level=log_level,
        catalog_store=_catalog_store(env),
        catalog_counts_cache_seconds=_int(env, "CATALOG_COUNTS_CACHE_SECONDS", Settings.catalog_counts_cache_seconds,
                                          minimum=0),
        search_vocabulary_files=tuple(p.strip() for p in env.get("SEARCH_VOCABULARY_FILES", "").split(",")
                                      if p.strip()),
        **_erasure_settings(env),
        **_mongo_durability(env, environment),
        **_privacy_settings(env),
        **_image_settings(env),
        **_email_settings(env, environment),
    )


def _web_proxy_secret(env: Mapping[str, str]) -> str:
    secret = _str(env, "WEB_PROXY_SECRET", "")
    if secret and len(secret) < 32:
        raise ConfigError("WEB_PROXY_SECRET: must have at least 32 characters (or be unset)")
    return secret


IMAGE_STORES = ("gridfs", "s3")


def _image_settings(env: Mapping[str, str]) -> dict[str, object]:
    store = _str(env, "IMAGE_STORE", Settings.image_store)
    if store not in IMAGE_STORES:
        raise ConfigError(f"IMAGE_STORE: expected gridfs or s3, got {store!r}")
    bucket = _str(env, "S3_BUCKET", "")
    if store == "s3" and not bucket:
        raise ConfigError("S3_BUCKET: required when IMAGE_STORE=s3")
    return {"image_store": store, "s3_bucket": bucket, "s3_endpoint_url": _str(env, "S3_ENDPOINT_URL", ""),
            "s3_region": _str(env, "S3_REGION", Settings.s3_region),
            "s3_access_key_id": _str(env, "S3_ACCESS_KEY_ID", ""),
            "s3_secret_access_key": _str(env, "S3_SECRET_ACCESS_KEY", "")}


def _email_settings(env: Mapping[str, str], environment: str) -> dict[str, object]:
    tls = _str(env, "SMTP_TLS", Settings.smtp_tls).lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ConfigError(f"SMTP_TLS: expected none, starttls or ssl, got {tls!r}")
    smtp_host = _str(env, "SMTP_HOST", Settings.smtp_host)
    loopback = ("127.0.0.1", "localhost", "::1")
    # A relay on the same host (a sidecar) may take plain SMTP; across a network, reset links need TLS.
    if environment == "production" and tls == "none" and smtp_host not in loopback:
        raise ConfigError("SMTP_TLS: production sends mail to another host over starttls or ssl "
                          "(reset links travel in it)")
    username, password = _str(env, "SMTP_USERNAME", ""), _str(env, "SMTP_PASSWORD", "")
    if bool(username) != bool(password):
        raise ConfigError("SMTP_USERNAME and SMTP_PASSWORD: set both or neither")
    mail_from = _str(env, "MAIL_FROM", Settings.mail_from)
    if "@" not in mail_from or "\n" in mail_from:
        raise ConfigError(f"MAIL_FROM: expected an address like 'Name <no-reply@example.com>', got {mail_from!r}")
    web_public_url = _str(env, "WEB_PUBLIC_URL", Settings.web_public_url).rstrip("/")
    if not web_public_url.startswith(("http://", "https://")):
        raise ConfigError(f"WEB_PUBLIC_URL: {web_public_url!r} is not an http(s) URL")
    if (environment == "production" and not web_public_url.startswith("https://")
            and web_public_url.split("://", 1)[1].split(":")[0].split("/")[0] not in loopback):
        raise ConfigError("WEB_PUBLIC_URL: production links must be https://")
    return {
        "smtp_host": smtp_host,
        "smtp_port": _int(env, "SMTP_PORT", Settings.smtp_port, minimum=1),
        "smtp_username": username,
        "smtp_password": password,
        "smtp_tls": tls,
        "smtp_timeout_seconds": _int(env, "SMTP_TIMEOUT_SECONDS", Settings.smtp_timeout_seconds, minimum=1),
        "mail_from": mail_from,
        "web_public_url": web_public_url,
        "email_worker_group": _str(env, "EMAIL_WORKER_GROUP", Settings.email_worker_group),
        "password_reset_ttl_seconds": _int(env, "PASSWORD_RESET_TTL_SECONDS", Settings.password_reset_ttl_seconds,
                                           minimum=60),
        "email_verification_ttl_seconds": _int(env, "EMAIL_VERIFICATION_TTL_SECONDS",
                                               Settings.email_verification_ttl_seconds, minimum=60),
    }


CATALOG_STORES = ("mongo", "memory")


def _catalog_store(env: Mapping[str, str]) -> str:
    store = _str(env, "CATALOG_STORE", Settings.catalog_store)
    if store not in CATALOG_STORES:
        raise ConfigError(f"CATALOG_STORE: expected mongo or memory, got {store!r}")
    if store == "memory" and _str(env, "APP_ENV", "development") == "production":
        raise ConfigError("CATALOG_STORE: production keeps the catalog in MongoDB (memory loses it on restart)")
    return store


# Square releases a delayed-capture hold after 7 days (card not present); the seller must answer
# well before, so the void is ours and Square's delay_action CANCEL only the backstop.
SQUARE_HOLD_SECONDS = 7 * 24 * 3600


def _orders_settings(env: Mapping[str, str]) -> dict[str, int]:
    values = {
        "platform_fee_bps": _int(env, "PLATFORM_FEE_BPS", Settings.platform_fee_bps),
        "platform_fee_minimum": _int(env, "PLATFORM_FEE_MINIMUM", Settings.platform_fee_minimum),
        "order_payment_window_seconds": _int(env, "ORDER_PAYMENT_WINDOW", Settings.order_payment_window_seconds,
                                             minimum=60),
        "seller_response_window_seconds": _int(env, "SELLER_RESPONSE_WINDOW",
                                               Settings.seller_response_window_seconds, minimum=60),
        "auto_complete_after_seconds": _int(env, "AUTO_COMPLETE_AFTER", Settings.auto_complete_after_seconds),
        "earliest_start_before_slot_seconds": _int(env, "EARLIEST_START_BEFORE_SLOT",
                                                   Settings.earliest_start_before_slot_seconds),
        "refund_full_before_seconds": _int(env, "REFUND_FULL_BEFORE", Settings.refund_full_before_seconds),
        "refund_late_percent": _int(env, "REFUND_LATE_PERCENT", Settings.refund_late_percent),
        "max_unpaid_bookings_per_seller": _int(env, "MAX_UNPAID_BOOKINGS_PER_SELLER",
                                               Settings.max_unpaid_bookings_per_seller, minimum=1),
        "max_unpaid_bookings": _int(env, "MAX_UNPAID_BOOKINGS", Settings.max_unpaid_bookings, minimum=1),
        "scheduler_interval_seconds": _int(env, "SCHEDULER_INTERVAL", Settings.scheduler_interval_seconds, minimum=1),
        "scheduler_lease_seconds": _int(env, "SCHEDULER_LEASE", Settings.scheduler_lease_seconds, minimum=5),
    }
    if values["platform_fee_bps"] > 10_000:
        raise ConfigError(f"PLATFORM_FEE_BPS: basis points of the subtotal, 0 to 10000, got {values['platform_fee_bps']}")
    if values["max_unpaid_bookings"] > 100 or values["max_unpaid_bookings_per_seller"] > values["max_unpaid_bookings"]:
        raise ConfigError("MAX_UNPAID_BOOKINGS: at most 100, and MAX_UNPAID_BOOKINGS_PER_SELLER at most that, got "
                          f"{values['max_unpaid_bookings']} and {values['max_unpaid_bookings_per_seller']}")
    if values["refund_late_percent"] > 100:
        raise ConfigError(f"REFUND_LATE_PERCENT: 0 to 100, got {values['refund_late_percent']}")
    if values["seller_response_window_seconds"] >= SQUARE_HOLD_SECONDS - 3600:
        raise ConfigError("SELLER_RESPONSE_WINDOW: must end at least an hour inside Square's 7-day card hold "
                          f"(below {SQUARE_HOLD_SECONDS - 3600} seconds)")
    return values


_DELAY = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


def _square_delay(raw: str) -> str:
    match = _DELAY.match(raw)
    if not match or raw in ("P", "PT") or raw.endswith("T"):
        raise ConfigError(f"SQUARE_PAYMENT_DELAY: expected an ISO 8601 duration like P3D or PT12H, got {raw!r}")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    minutes_total = days * 1440 + hours * 60 + minutes
    if not 1 <= minutes_total <= 7 * 1440:
        raise ConfigError("SQUARE_PAYMENT_DELAY: must be between PT1M and P7D (Square holds a card at most 7 days)")
    return raw


def _square_settings(env: Mapping[str, str], environment: str, *, public_base_url: str) -> dict[str, object]:
    square_environment = _str(env, "SQUARE_ENVIRONMENT", "production" if environment == "production" else "local")
    if square_environment not in SQUARE_ENVIRONMENTS:
        raise ConfigError(f"SQUARE_ENVIRONMENT: expected one of {', '.join(SQUARE_ENVIRONMENTS)}, "
                          f"got {square_environment!r}")
    base_url = _str(env, "SQUARE_BASE_URL", Settings.square_base_url if square_environment == "local" else "")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"SQUARE_BASE_URL: {base_url!r} is not an http(s) URL")
    values: dict[str, object] = {
        "square_environment": square_environment,
        "square_base_url": base_url.rstrip("/"),
        "square_application_id": _str(env, "SQUARE_APPLICATION_ID", DEVELOPMENT_SQUARE_APPLICATION_ID),
        "square_application_secret": _str(env, "SQUARE_APPLICATION_SECRET", DEVELOPMENT_SQUARE_APPLICATION_SECRET),
        "square_webhook_signature_key": _str(env, "SQUARE_WEBHOOK_SIGNATURE_KEY",
                                             DEVELOPMENT_SQUARE_WEBHOOK_SIGNATURE_KEY),
        "square_webhook_notification_url": _str(env, "SQUARE_WEBHOOK_NOTIFICATION_URL",
                                                f"{public_base_url}/webhooks/square"),
        "square_token_encryption_key": _str(env, "SQUARE_TOKEN_ENCRYPTION_KEY",
                                            DEVELOPMENT_SQUARE_TOKEN_ENCRYPTION_KEY),
        "square_payment_delay": _square_delay(_str(env, "SQUARE_PAYMENT_DELAY", Settings.square_payment_delay)),
        "square_timeout_seconds": _int(env, "SQUARE_TIMEOUT_SECONDS", Settings.square_timeout_seconds, minimum=1),
        "square_max_retries": _int(env, "SQUARE_MAX_RETRIES", Settings.square_max_retries),
        "square_token_refresh_margin_seconds": _int(env, "SQUARE_TOKEN_REFRESH_MARGIN_SECONDS",
                                                    Settings.square_token_refresh_margin_seconds, minimum=60),
        "square_oauth_state_ttl_seconds": _int(env, "SQUARE_OAUTH_STATE_TTL_SECONDS",
                                               Settings.square_oauth_state_ttl_seconds, minimum=60),
        "square_token_refresh_every_seconds": _int(env, "SQUARE_TOKEN_REFRESH_EVERY_SECONDS",
                                                   Settings.square_token_refresh_every_seconds, minimum=60),
    }
    if 2 * int(values["square_token_refresh_every_seconds"]) > int(values["square_token_refresh_margin_seconds"]):
        raise ConfigError("SQUARE_TOKEN_REFRESH_EVERY_SECONDS: must be at most half of "
                          "SQUARE_TOKEN_REFRESH_MARGIN_SECONDS, so every token is tried twice before it expires")
    try:
        key = base64.urlsafe_b64decode(str(values["square_token_encryption_key"]).encode())
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != 32:
        raise ConfigError("SQUARE_TOKEN_ENCRYPTION_KEY: expected a Fernet key (32 bytes, url-safe base64), e.g. "
                          "from: python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'")
    if environment == "production":
        if square_environment == "local":
            raise ConfigError("SQUARE_ENVIRONMENT: production cannot use the local Square stand-in")
        for name, development_value in (
                ("SQUARE_APPLICATION_ID", DEVELOPMENT_SQUARE_APPLICATION_ID),
                ("SQUARE_APPLICATION_SECRET", DEVELOPMENT_SQUARE_APPLICATION_SECRET),
                ("SQUARE_WEBHOOK_SIGNATURE_KEY", DEVELOPMENT_SQUARE_WEBHOOK_SIGNATURE_KEY),
                ("SQUARE_TOKEN_ENCRYPTION_KEY", DEVELOPMENT_SQUARE_TOKEN_ENCRYPTION_KEY)):
            if values[name.lower()] == development_value:
                raise ConfigError(f"{name}: must be set in production (the development value is public)")
        if not str(values["square_webhook_notification_url"]).startswith("https://"):
            raise ConfigError("SQUARE_WEBHOOK_NOTIFICATION_URL: must be an https URL in production")
    return values

def _messaging_settings(env: Mapping[str, str]) -> dict[str, object]:
    topics = {field: _str(env, variable, getattr(Settings, field)) for field, variable in (
        ("support_requests_topic", "SUPPORT_REQUESTS_TOPIC"),
        ("support_requests_dlq_topic", "SUPPORT_REQUESTS_DLQ_TOPIC"),
        ("marketplace_events_topic", "MARKETPLACE_EVENTS_TOPIC"),
        ("marketplace_events_dlq_topic", "MARKETPLACE_EVENTS_DLQ_TOPIC"),
        ("support_worker_group", "SUPPORT_WORKER_GROUP"),
        ("notifications_worker_group", "NOTIFICATIONS_WORKER_GROUP"),
    )}
    for field, name in topics.items():
        # Kafka's own rule for topic names (group ids follow it here too, to keep them readable).
        if len(name) > 249 or not all(c.isalnum() or c in "._-" for c in name):
            raise ConfigError(f"{field.upper()}: {name!r} may only hold letters, digits, '.', '_' and '-'")
    if topics["support_requests_topic"] == topics["support_requests_dlq_topic"] or \
            topics["marketplace_events_topic"] == topics["marketplace_events_dlq_topic"]:
        raise ConfigError("a dead-letter topic must differ from the topic it serves")
    session_timeout = _int(env, "KAFKA_SESSION_TIMEOUT_MS", Settings.kafka_session_timeout_ms, minimum=1000)
    heartbeat = _int(env, "KAFKA_HEARTBEAT_INTERVAL_MS", Settings.kafka_heartbeat_interval_ms, minimum=100)
    if heartbeat >= session_timeout:
        raise ConfigError("KAFKA_HEARTBEAT_INTERVAL_MS: must be lower than KAFKA_SESSION_TIMEOUT_MS")
    retry_base = _int(env, "OUTBOX_RETRY_BASE_MS", Settings.outbox_retry_base_ms, minimum=10)
    retry_max = _int(env, "OUTBOX_RETRY_MAX_MS", Settings.outbox_retry_max_ms, minimum=10)
    if retry_max < retry_base:
        raise ConfigError("OUTBOX_RETRY_MAX_MS: must be at least OUTBOX_RETRY_BASE_MS")
    delivery_timeout = _int(env, "KAFKA_DELIVERY_TIMEOUT_MS", Settings.kafka_delivery_timeout_ms, minimum=1000)
    lease = _int(env, "OUTBOX_LEASE_SECONDS", Settings.outbox_lease_seconds, minimum=1)
    if lease * 1000 <= delivery_timeout:
        # Otherwise a second relay could claim an event while the first still waits for its report.
        raise ConfigError("OUTBOX_LEASE_SECONDS: must be longer than KAFKA_DELIVERY_TIMEOUT_MS")
    return {
        **topics,
        "consumer_max_attempts": _int(env, "CONSUMER_MAX_ATTEMPTS", Settings.consumer_max_attempts, minimum=1),
        "consumer_retry_backoff_ms": _int(env, "CONSUMER_RETRY_BACKOFF_MS", Settings.consumer_retry_backoff_ms),
        "kafka_session_timeout_ms": session_timeout,
        "kafka_heartbeat_interval_ms": heartbeat,
        "kafka_delivery_timeout_ms": delivery_timeout,
        "outbox_batch_size": _int(env, "OUTBOX_BATCH_SIZE", Settings.outbox_batch_size, minimum=1),
        "outbox_retry_base_ms": retry_base,
        "outbox_retry_max_ms": retry_max,
        "outbox_lease_seconds": lease,
        "outbox_idle_wait_ms": _int(env, "OUTBOX_IDLE_WAIT_MS", Settings.outbox_idle_wait_ms, minimum=10),
        "outbox_max_pending_age_seconds": _int(env, "OUTBOX_MAX_PENDING_AGE_SECONDS",
                                               Settings.outbox_max_pending_age_seconds, minimum=1),
    }


def _erasure_settings(env: Mapping[str, str]) -> dict[str, object]:
    mongodb_db = _str(env, "MONGODB_DB", Settings.mongodb_db)
    deletion_log_db = _str(env, "DELETION_LOG_DB", Settings.deletion_log_db)
    if deletion_log_db and deletion_log_db == mongodb_db:
        # In the backed-up database a restore would roll the log back with everything else.
        raise ConfigError("DELETION_LOG_DB: must not be MONGODB_DB (backups must not contain the deletion log)")
    return {"deletion_log_db": deletion_log_db,
            "backup_retention_days": _int(env, "BACKUP_RETENTION_DAYS", Settings.backup_retention_days, minimum=1),
            "erasure_worker_group": _str(env, "ERASURE_WORKER_GROUP", Settings.erasure_worker_group)}


def _mongo_durability(env: Mapping[str, str], environment: str) -> dict[str, object]:
    """MONGODB_WRITE_CONCERN ("majority" or how many members, at least 1) and MONGODB_JOURNAL
    (true/false). A test stack may trade durability for speed; production may not."""
    write_concern = _str(env, "MONGODB_WRITE_CONCERN", Settings.mongodb_write_concern)
    if write_concern != "majority" and not (write_concern.isdigit() and int(write_concern) >= 1):
        raise ConfigError(f"MONGODB_WRITE_CONCERN: expected majority or a whole number of at least 1, "
                          f"got {write_concern!r}")
    journal_raw = _str(env, "MONGODB_JOURNAL", "true").lower()
    if journal_raw not in {"true", "false", "1", "0"}:
        raise ConfigError(f"MONGODB_JOURNAL: expected true or false, got {journal_raw!r}")
    journal = journal_raw in {"true", "1"}
    if environment == "production" and (write_concern != "majority" or not journal):
        raise ConfigError("MONGODB_WRITE_CONCERN/MONGODB_JOURNAL: production writes must be majority and "
                          "journaled (an acknowledged write must survive a crashed primary)")
    return {"mongodb_write_concern": write_concern, "mongodb_journal": journal}


def _privacy_settings(env: Mapping[str, str]) -> dict[str, object]:
    secret = _str(env, "DATA_EXPORT_LINK_SECRET", "")
    if secret and len(secret) < 32:
        raise ConfigError("DATA_EXPORT_LINK_SECRET: must have at least 32 characters (or leave it unset)")
    return {
        "data_export_link_secret": secret,
        "data_export_link_ttl_seconds": _int(env, "DATA_EXPORT_LINK_TTL_SECONDS",
                                             Settings.data_export_link_ttl_seconds, minimum=30),
        "data_export_keep_hours": _int(env, "DATA_EXPORT_KEEP_HOURS", Settings.data_export_keep_hours, minimum=1),
        "data_export_max_per_day": _int(env, "DATA_EXPORT_MAX_PER_DAY", Settings.data_export_max_per_day, minimum=1),
    }
