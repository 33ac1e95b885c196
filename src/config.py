"""The one place that reads configuration: environment variables (12-factor), with defaults that
run the embedded local stack. A missing or malformed value stops start-up with one line naming it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(Exception):
    """Raised with a message that names the variable and what is wrong with it."""


DEVELOPMENT_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"


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
    max_request_bytes: int = 1_048_576
    cors_allowed_origins: tuple[str, ...] = ("http://127.0.0.1:3000", "http://localhost:3000")
    public_base_url: str = "http://127.0.0.1:8000"
    # Empty: the counters live in MONGODB_URI's server (database "limits"), shared by every worker.
    rate_limit_storage_uri: str = ""
    rate_limit_auth: str = "10/minute;100/hour"
    rate_limit_writes: str = "120/minute"
    trusted_proxy_hops: int = 0
    log_level: str = "INFO"

    @property
    def rate_limit_storage(self) -> str:
        return self.rate_limit_storage_uri or self.mongodb_uri

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


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

    origins = tuple(o.strip() for o in _str(env, "CORS_ALLOWED_ORIGINS", ",".join(Settings.cors_allowed_origins))
                    .split(",") if o.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigError(f"CORS_ALLOWED_ORIGINS: {origin!r} is not an http(s) origin")

    rate_limits = {name: _rate_limit(env, name, default) for name, default in
                   (("RATE_LIMIT_AUTH", Settings.rate_limit_auth), ("RATE_LIMIT_WRITES", Settings.rate_limit_writes))}
    rate_limit_storage_uri = _str(env, "RATE_LIMIT_STORAGE_URI", "")
    if rate_limit_storage_uri and not rate_limit_storage_uri.startswith(("mongodb://", "mongodb+srv://", "memory://")):
        raise ConfigError("RATE_LIMIT_STORAGE_URI: must start with mongodb://, mongodb+srv:// or memory://")
    log_level = _str(env, "LOG_LEVEL", Settings.log_level).upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

    return Settings(
        environment=environment,
        mongodb_uri=mongodb_uri,
        mongodb_db=_str(env, "MONGODB_DB", Settings.mongodb_db),
        kafka_bootstrap_servers=_str(env, "KAFKA_BOOTSTRAP_SERVERS", Settings.kafka_bootstrap_servers),
        jwt_secret=jwt_secret,
        jwt_issuer=_str(env, "JWT_ISSUER", Settings.jwt_issuer),
        jwt_audience=_str(env, "JWT_AUDIENCE", Settings.jwt_audience),
        access_token_ttl_seconds=_int(env, "ACCESS_TOKEN_TTL_SECONDS", 900, minimum=30),
        argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB", 19_456, minimum=8),
        argon2_time_cost=_int(env, "ARGON2_TIME_COST", 2, minimum=1),
        argon2_parallelism=_int(env, "ARGON2_PARALLELISM", 1, minimum=1),
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5, minimum=1),
        login_window_seconds=_int(env, "LOGIN_WINDOW_SECONDS", 900, minimum=1),
        max_request_bytes=_int(env, "MAX_REQUEST_BYTES", 1_048_576, minimum=1024),
        cors_allowed_origins=origins,
        public_base_url=_str(env, "PUBLIC_BASE_URL", Settings.public_base_url).rstrip("/"),
        rate_limit_storage_uri=rate_limit_storage_uri,
        rate_limit_auth=rate_limits["RATE_LIMIT_AUTH"],
        rate_limit_writes=rate_limits["RATE_LIMIT_WRITES"],
        trusted_proxy_hops=_int(env, "TRUSTED_PROXY_HOPS", 0),
        log_level=log_level,
    )
