"""The Flask application factory. It receives an injector already built by bootstrap and never
chooses an implementation itself."""

from __future__ import annotations


import swagger_ui_bundle
from flask import Flask, send_from_directory
from flask_smorest import Api
from injector import Injector

from adapters.inbound.http.cors import register_cors
from adapters.inbound.http.errors import register_error_handlers
from config import Settings

API_TITLE = "Home-services marketplace API"
SWAGGER_ASSETS_URL = "/docs/assets/"


def _swagger_assets_dir() -> str:
    return str(swagger_ui_bundle.swagger_ui_path)


def create_flask_app(settings: Settings, injector: Injector, blueprints: list) -> Flask:
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

    @app.get(SWAGGER_ASSETS_URL + "<path:filename>")
    def swagger_assets(filename: str):
        return send_from_directory(_swagger_assets_dir(), filename, max_age=86_400)

    api = Api(app, spec_kwargs={"info": {"description": _API_DESCRIPTION}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    # Registered after flask-smorest's own handler so ours shapes every error the same way.
    register_error_handlers(app)
    register_cors(app, settings.cors_allowed_origins)
    app.extensions["api"] = api
    return app


_API_DESCRIPTION = (
    "Buyers search home services and book them; sellers publish services and run their jobs.\n\n"
    "Sign in with `POST /auth/login`, then press **Authorize** and paste the `access_token`. "
    "Demo accounts (password `demo-password-1`): `ana.buyer@example.com` (buyer), "
    "`carlos.plumber@example.com` (seller), `sofia.support@example.com` (support), "
    "`admin@example.com` (admin)."
)

