"""An inbox item: one event that concerns one person. Any context can notify people by putting
an event with ``recipient_ids`` (and a human ``title``/``body``) on the marketplace events topic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.shared.errors import InvalidInput, NotFound

MAX_TITLE = 200
MAX_BODY = 2_000
MAX_RECIPIENTS = 1_000
MAX_ID = 64
# Payload keys kept as the item's links (order_id, ticket_id...): small scalars only.
MAX_DATA_ITEMS = 20


class InvalidNotificationEvent(InvalidInput):
    """The event cannot become inbox items however often it is retried (a poison message)."""

    code = "invalid_notification_event"


class NotificationNotFound(NotFound):
    code = "notification_not_found"

    def __init__(self) -> None:
        super().__init__("notification not found")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def recipients_of(payload: dict[str, Any]) -> list[str]:
    """The distinct recipients of an event; empty when the event notifies nobody."""
    raw = payload.get("recipient_ids")
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RECIPIENTS:
        raise InvalidNotificationEvent(f"recipient_ids must be a list of at most {MAX_RECIPIENTS} user ids",
                                       field="recipient_ids")
    if not all(isinstance(r, str) and 0 < len(r) <= MAX_ID for r in raw):
        raise InvalidNotificationEvent("recipient_ids must hold user ids", field="recipient_ids")
    return list(dict.fromkeys(raw))


@dataclass
class Notification:
    id: str
    recipient_id: str
    event_id: str
    event_name: str
    title: str
    body: str
    created_at: datetime
    data: dict[str, str | int | bool] = field(default_factory=dict)
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @classmethod
    def from_event(cls, *, notification_id: str, recipient_id: str, event_id: str, event_name: str,
                   occurred_at: datetime, payload: dict[str, Any]) -> Notification:
        title = payload.get("title")
        body = payload.get("body")
        if title is not None and not isinstance(title, str):
            raise InvalidNotificationEvent("title must be text", field="title")
        if body is not None and not isinstance(body, str):
            raise InvalidNotificationEvent("body must be text", field="body")
        data = {k: v for k, v in payload.items()
                if k not in ("recipient_ids", "title", "body") and isinstance(v, str | int | bool)
                and not (isinstance(v, str) and len(v) > MAX_ID * 4)}
        return cls(id=notification_id, recipient_id=recipient_id, event_id=event_id, event_name=event_name,
                   title=_shorten((title or event_name).strip() or event_name, MAX_TITLE),
                   body=_shorten((body or "").strip(), MAX_BODY), created_at=occurred_at,
                   data=dict(list(data.items())[:MAX_DATA_ITEMS]))

    def mark_read(self, now: datetime) -> None:
        if self.read_at is None:
            self.read_at = now
