"""The payments context's part of a seller leaving: their Square authorization is withdrawn and
nothing of it is kept that could reach their Square account again."""

from __future__ import annotations

from datetime import datetime

from domain.payments.connection import ConnectionStatus, SquareConnection

REASON = "the seller deleted their account"
# Stored in the place of the encrypted tokens: not a Fernet token, so it decrypts to nothing usable.
FORGOTTEN_TOKEN = "forgotten"


def needs_revoking_at_square(connection: SquareConnection) -> bool:
    """Only a connected authorization is still live at Square (a disconnect revoked it, and a
    revoked one was withdrawn by Square itself)."""
    return connection.status == ConnectionStatus.CONNECTED


def forget(connection: SquareConnection, now: datetime) -> bool:
    """Whether anything changed (idempotent)."""
    if (connection.status == ConnectionStatus.DISCONNECTED and connection.access_token_encrypted == FORGOTTEN_TOKEN
            and connection.location_name is None):
        return False
    connection.status = ConnectionStatus.DISCONNECTED
    connection.status_reason = REASON
    connection.access_token_encrypted = connection.refresh_token_encrypted = FORGOTTEN_TOKEN
    connection.location_name = None
    connection.refresh_lease_id = connection.refresh_lease_until = None
    connection.updated_at = now
    return True
