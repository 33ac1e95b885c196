from __future__ import annotations

from datetime import datetime
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from domain.notifications.notification import Notification


class NotificationInbox(Protocol):
    def add_many(self, notifications: list[Notification]) -> int:
        """Store the items, skipping any whose (event_id, recipient_id) is stored already, so a
        redelivered event never shows twice; returns how many were new."""
        ...

    def page_for(self, recipient_id: str, page: PageRequest, *, unread_only: bool = False) -> Page[Notification]:
        """Newest first."""
        ...

    def unread_count(self, recipient_id: str) -> int: ...

    def mark_read(self, recipient_id: str, notification_id: str, now: datetime) -> Notification | None:
        """None when the recipient has no such notification."""
        ...

    def mark_all_read(self, recipient_id: str, now: datetime) -> int: ...

    def delete_all_for(self, recipient_id: str) -> int:
        """Remove the person's whole inbox (nobody else reads it); how many items went."""
        ...
