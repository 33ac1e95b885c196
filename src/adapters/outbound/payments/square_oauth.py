"""Square's OAuth code flow (with PKCE) through authlib, and the seller-side Square calls that are
not payments (locations), and the webhook signature check with the SDK's helper."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from square import Square
from square.core.api_error import ApiError
from square.environment import SquareEnvironment
from square.utils.webhooks_helper import verify_signature

from application.payments.ports import OAuthTokens
from domain.payments.connection import SquareLocation
from domain.payments.errors import SquareAuthorizationDenied
from domain.shared.errors import PaymentGatewayUnavailable, SellerCannotTakePayments

# What the marketplace does on a seller's account: take payments with its fee, refund them,
# and invoice through Square's orders, customers and invoices.
SQUARE_SCOPES = ("MERCHANT_PROFILE_READ", "PAYMENTS_READ", "PAYMENTS_WRITE", "PAYMENTS_WRITE_ADDITIONAL_RECIPIENTS",
                 "ORDERS_READ", "ORDERS_WRITE", "CUSTOMERS_READ", "CUSTOMERS_WRITE", "INVOICES_READ",
                 "INVOICES_WRITE")


def square_base_url(environment: str, configured: str) -> str:
    """The configured URL (the local stand-in, or an override), else the SDK's URL of the environment."""
    if configured:
        return configured
    return (SquareEnvironment.PRODUCTION if environment == "production" else SquareEnvironment.SANDBOX).value


class _SquareTokenSession(OAuth2Session):
    """Square's token endpoint takes JSON, not the form body of RFC 6749; everything else is standard."""

    def __init__(self, *args: Any, token_endpoint: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token_endpoint = token_endpoint

    def request(self, method, url, withhold_token=False, auth=None, **kwargs):  # type: ignore[override]
        if url == self._token_endpoint and isinstance(kwargs.get("data"), dict):
            # The client credentials go in the JSON body (authlib's client auth would write them as a form).
            kwargs["json"] = {**kwargs.pop("data"), "client_id": self.client_id, "client_secret": self.client_secret}
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "Content-Type": "application/json"}
            auth = _credentials_in_body
        return super().request(method, url, withhold_token=True, auth=auth, **kwargs)


def _credentials_in_body(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def _square_token_response(response: requests.Response) -> requests.Response:
    """Square answers errors as {"errors": [...]} and expiry as an RFC 3339 ``expires_at``; authlib
    expects RFC 6749's {"error"} and a Unix time."""
    try:
        body = response.json()
    except ValueError:
        return response
    if isinstance(body, dict) and body.get("errors") and response.status_code < 500:
        first = body["errors"][0]
        body = {"error": first.get("code", "invalid_grant"), "error_description": first.get("detail", "")}
    elif isinstance(body, dict) and isinstance(body.get("expires_at"), str):
        body["expires_at"] = int(datetime.fromisoformat(body["expires_at"]).timestamp())
    response._content = json.dumps(body).encode()
    return response


class AuthlibSquareOAuth:
    def __init__(self, *, base_url: str, application_id: str, application_secret: str, redirect_url: str,
                 timeout_seconds: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._application_id = application_id
        self._application_secret = application_secret
        self._redirect_url = redirect_url
        self._timeout = timeout_seconds

    def _session(self) -> _SquareTokenSession:
        session = _SquareTokenSession(client_id=self._application_id, client_secret=self._application_secret,
                                      scope=" ".join(SQUARE_SCOPES), redirect_uri=self._redirect_url,
                                      code_challenge_method="S256", token_endpoint_auth_method="client_secret_post",
                                      token_endpoint=f"{self._base_url}/oauth2/token")
        session.register_compliance_hook("access_token_response", _square_token_response)
        session.register_compliance_hook("refresh_token_response", _square_token_response)
        return session

    def authorization_url(self, *, state: str, code_verifier: str) -> str:
        with self._session() as session:
            # session=false: the seller signs in to Square afresh rather than reusing a Square session.
            url, _ = session.create_authorization_url(f"{self._base_url}/oauth2/authorize", state=state,
                                                      code_verifier=code_verifier, session="false")
        return url

    def exchange_code(self, *, code: str, code_verifier: str) -> OAuthTokens:
        with self._session() as session:
            token = self._call(lambda: session.fetch_token(f"{self._base_url}/oauth2/token", code=code,
                                                           grant_type="authorization_code",
                                                           code_verifier=code_verifier, timeout=self._timeout))
        return _tokens(token)

    def refresh(self, refresh_token: str) -> OAuthTokens:
        with self._session() as session:
            token = self._call(lambda: session.refresh_token(f"{self._base_url}/oauth2/token",
                                                             refresh_token=refresh_token, timeout=self._timeout))
        return _tokens(token)

    def revoke(self, *, merchant_id: str) -> None:
        # Square's revoke endpoint is its own (not RFC 7009): JSON, authorized by "Client <secret>".
        with self._session() as session:
            response = self._call(lambda: session.post(
                f"{self._base_url}/oauth2/revoke", json={"client_id": self._application_id, "merchant_id": merchant_id},
                headers={"Authorization": f"Client {self._application_secret}"}, timeout=self._timeout,
                withhold_token=True))
        if response.status_code >= 500:
            raise PaymentGatewayUnavailable("Square could not revoke the authorization now; try again")
        # 401/404: Square no longer knows this authorization, which is the outcome we wanted.

    @staticmethod
    def _call(action: Any) -> Any:
        try:
            return action()
        except OAuthError as error:
            raise SquareAuthorizationDenied(f"Square refused: {error.description or error.error}") from None
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as error:
            raise PaymentGatewayUnavailable(f"Square cannot be reached now ({type(error).__name__})") from None


def _tokens(token: dict[str, Any]) -> OAuthTokens:
    for name in ("access_token", "refresh_token", "expires_at", "merchant_id"):
        if not token.get(name):
            raise SquareAuthorizationDenied(f"Square's token answer has no {name}")
    return OAuthTokens(access_token=token["access_token"], refresh_token=token["refresh_token"],
                       expires_at=datetime.fromtimestamp(int(token["expires_at"]), UTC),
                       merchant_id=token["merchant_id"])


class SdkSquareMerchantApi:
    def __init__(self, *, base_url: str, timeout_seconds: float) -> None:
        self._base_url = base_url
        self._timeout = timeout_seconds

    def locations(self, access_token: str) -> list[SquareLocation]:
        client = Square(token=access_token, base_url=self._base_url, timeout=self._timeout)
        try:
            answer = client.locations.list()
        except ApiError as error:
            if error.status_code == 401:
                raise SellerCannotTakePayments("Square no longer accepts the seller's authorization; reconnect Square") \
                    from None
            raise PaymentGatewayUnavailable(f"Square answered {error.status_code} listing locations") from None
        except httpx.HTTPError as error:
            raise PaymentGatewayUnavailable(f"Square cannot be reached now ({type(error).__name__})") from None
        return [SquareLocation(id=loc.id or "", name=loc.name or "", currency=loc.currency or "",
                               active=loc.status == "ACTIVE" and "CREDIT_CARD_PROCESSING" in (loc.capabilities or []))
                for loc in answer.locations or []]


class SdkWebhookSignatures:
    def __init__(self, *, signature_key: str, notification_url: str) -> None:
        self._key = signature_key
        self._url = notification_url

    def is_valid(self, *, body: str, signature: str) -> bool:
        return verify_signature(request_body=body, signature_header=signature, signature_key=self._key,
                                notification_url=self._url)
