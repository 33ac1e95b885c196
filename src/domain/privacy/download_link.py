"""The download link's token: an HMAC over (export id, user id, expiry), so it works only for that
export, that person and a short while, without storing anything. The signed-in user is checked
against it too: a leaked link (browser history, a proxy's log) is useless to anyone else."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.shared.errors import NotFound


class InvalidDownloadLink(NotFound):
    code = "invalid_download_link"

    def __init__(self) -> None:
        super().__init__("this download link is not valid; get a fresh one from GET /me/exports/{id}")


class DownloadLinkExpired(NotFound):
    code = "download_link_expired"

    def __init__(self) -> None:
        super().__init__("this download link has expired; get a fresh one from GET /me/exports/{id}")


@dataclass(frozen=True)
class DownloadLinks:
    secret: bytes

    def _mac(self, export_id: str, user_id: str, expires: int) -> str:
        message = f"data-export\x00{export_id}\x00{user_id}\x00{expires}".encode()
        digest = hmac.new(self.secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def sign(self, *, export_id: str, user_id: str, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        return f"{expires}.{self._mac(export_id, user_id, expires)}"

    def verify(self, token: str, *, export_id: str, user_id: str, now: datetime) -> None:
        """Raises InvalidDownloadLink for a token not made for this export and person (or forged),
        DownloadLinkExpired for a genuine one whose time is up."""
        expires_text, _, mac = token.partition(".")
        if not expires_text.isdigit() or len(expires_text) > 12:
            raise InvalidDownloadLink()
        expires = int(expires_text)
        if not hmac.compare_digest(mac, self._mac(export_id, user_id, expires)):
            raise InvalidDownloadLink()
        if now >= datetime.fromtimestamp(expires, UTC):
            raise DownloadLinkExpired()
