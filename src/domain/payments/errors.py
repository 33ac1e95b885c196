"""Named errors of the payments context (sellers' Square connections and Square's webhooks)."""

from __future__ import annotations

from typing import Any

from domain.shared.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound


class SquareNotConnected(NotFound):
    code = "square_not_connected"

    def __init__(self) -> None:
        super().__init__("you have not connected a Square account; connect one first")


class InvalidOAuthState(InvalidInput):
    """The callback's state is unknown, used already, expired, or belongs to someone else."""

    code = "invalid_oauth_state"

    def __init__(self) -> None:
        super().__init__("this Square authorization link is invalid or has expired; start connecting again",
                         field="state")


class SquareAuthorizationDenied(Conflict):
    code = "square_authorization_denied"


class UnknownLocation(InvalidInput):
    code = "unknown_location"

    def __init__(self, location_id: str) -> None:
        super().__init__(f"location {location_id!r} is not an active location of your Square account",
                         field="location_id")


class ConnectionNotUsable(Conflict):
    """An action needs a connected account (choosing a location on a revoked one, say)."""

    code = "square_connection_not_usable"


class RefreshInProgress(Conflict):
    """Another process holds the refresh lease of this connection."""

    code = "square_refresh_in_progress"

    def __init__(self) -> None:
        super().__init__("the Square tokens of this account are being refreshed right now")


class StaleTokens(Conflict):
    """Tokens from exchanging a refresh token that is no longer the stored one."""

    code = "square_tokens_stale"

    def __init__(self) -> None:
        super().__init__("newer Square tokens were stored meanwhile")


class InvalidWebhookSignature(AuthenticationFailed):
    code = "invalid_webhook_signature"

    def __init__(self) -> None:
        super().__init__("the Square signature of this notification is missing or wrong")


class MalformedWebhook(InvalidInput):
    code = "malformed_webhook"


class MerchantSwitchRefused(Conflict):
    """Holds, captured jobs and refunds live on the Square account that took them: a seller who
    connects another account while any is open would leave them unreachable (Square answers
    "Could not find payment" to the new account's token)."""

    code = "square_merchant_switch_refused"

    def __init__(self, order_ids: list[str]) -> None:
        super().__init__(f"{len(order_ids)} order(s) still have money held, charged for a job not yet done, or "
                         "being refunded on your current Square account; finish them before connecting another "
                         "account, or connect the same one again")
        self.order_ids = order_ids

    @property
    def details(self) -> dict[str, Any]:
        return {"order_ids": self.order_ids}
