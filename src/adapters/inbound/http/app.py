"""The Flask application factory. It receives an injector already built by bootstrap and never
chooses an implementation itself."""

from __future__ import annotations


import swagger_ui_bundle
from flask import Flask, send_from_directory
from flask_smorest import Api
from injector import Injector

from adapters.inbound.http.arguments import install_undeclared_query_refusal
from adapters.inbound.http.error_docs import ErrorResponsesPlugin
from adapters.inbound.http.errors import register_error_handlers
from adapters.inbound.http.hardening import install_hardening
from adapters.inbound.http.json_bodies import install_json_body_checks
from adapters.inbound.http.logs import configure_logging, install_access_log
from adapters.inbound.http.metrics import install_metrics
from adapters.inbound.http.request_context import install_request_context
from adapters.inbound.http.schemas import ErrorSchema
from config import Settings

API_TITLE = "Home-services marketplace API"
SWAGGER_ASSETS_URL = "/docs/assets/"


def _swagger_assets_dir() -> str:
    return str(swagger_ui_bundle.swagger_ui_path)


class MarketplaceApi(Api):
    # Every error body carries `reason` (a stable code such as `slot_taken`); flask-smorest's own
    # error schema forbids it, so its document would contradict every domain error we answer.
    ERROR_SCHEMA = ErrorSchema


def create_flask_app(settings: Settings, injector: Injector, blueprints: list) -> Flask:
    configure_logging(settings.log_level)
    app = Flask("marketplace")
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        # Served from the swagger-ui-bundle package: Swagger UI works offline, no CDN.
        OPENAPI_SWAGGER_UI_URL=SWAGGER_ASSETS_URL,
        OPENAPI_SWAGGER_UI_CONFIG={"persistAuthorization": True},
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        JSON_SORT_KEYS=False,
    )
    app.extensions["injector"] = injector
    app.extensions["settings"] = settings
    # Order matters: the request id first, so every later hook, refusal and log line has it.
    install_request_context(app)
    install_access_log(app)
    install_metrics(app, token=settings.metrics_token, open_without_token=not settings.is_production)
    install_hardening(app, settings)
    install_json_body_checks(app)
    # After the limiter and the CORS preflight: a refused argument still counts, a preflight has none.
    install_undeclared_query_refusal(app)

    @app.get(SWAGGER_ASSETS_URL + "<path:filename>")
    def swagger_assets(filename: str):
        return send_from_directory(_swagger_assets_dir(), filename, max_age=86_400)

    api = MarketplaceApi(app, spec_kwargs={"info": {"description": _API_DESCRIPTION},
                                           "extra_plugins": [ErrorResponsesPlugin()]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    # Registered after flask-smorest's own handler so ours shapes every error the same way.
    register_error_handlers(app)
    app.extensions["api"] = api
    return app


_API_DESCRIPTION = (
    "Buyers search home services and book them; sellers publish services and run their jobs.\n\n"
    "Sign in with `POST /auth/login`, then press **Authorize** and paste the `access_token`. "
    "Demo accounts (password `demo-password-1`): `ana.buyer@example.com` (buyer), "
    "`carlos.plumber@example.com` (seller), `sofia.support@example.com` (support), "
    "`admin@example.com` (admin)."
)

