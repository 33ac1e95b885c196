"""The in-memory adapter of the notifications inbox: thread-safe, with state a test can read."""

from __future__ import annotations

import copy
import threading
from datetime import datetime

from application.shared.pagination import Page, PageRequest
from domain.notifications.notification import Notification


class InMemoryNotificationInbox:
    def __init__(self) -> None:
        self.items: dict[str, Notification] = {}
        self._lock = threading.Lock()

    def add_many(self, notifications: list[Notification]) -> int:
        with self._lock:
            seen = {(n.event_id, n.recipient_id) for n in self.items.values()}
            added = 0
            for notification in notifications:
                if (notification.event_id, notification.recipient_id) not in seen:
                    self.items[notification.id] = copy.deepcopy(notification)
                    seen.add((notification.event_id, notification.recipient_id))
                    added += 1
            return added

    def of(self, recipient_id: str) -> list[Notification]:
        """For tests: one person's inbox, newest first."""
        return sorted((n for n in self.items.values() if n.recipient_id == recipient_id),
                      key=lambda n: (n.created_at, n.id), reverse=True)

    def page_for(self, recipient_id: str, page: PageRequest, *, unread_only: bool = False) -> Page[Notification]:
        mine = [n for n in self.of(recipient_id) if n.unread or not unread_only]
        return Page(items=copy.deepcopy(mine[page.offset:page.offset + page.page_size]), total=len(mine),
                    request=page)

    def unread_count(self, recipient_id: str) -> int:
        return sum(1 for n in self.items.values() if n.recipient_id == recipient_id and n.unread)

    def mark_read(self, recipient_id: str, notification_id: str, now: datetime) -> Notification | None:
        with self._lock:
            notification = self.items.get(notification_id)
            if notification is None or notification.recipient_id != recipient_id:
                return None
            notification.mark_read(now)
            return copy.deepcopy(notification)

    def mark_all_read(self, recipient_id: str, now: datetime) -> int:
        with self._lock:
            unread = [n for n in self.items.values() if n.recipient_id == recipient_id and n.unread]
            for notification in unread:
                notification.mark_read(now)
            return len(unread)

    def delete_all_for(self, recipient_id: str) -> int:
        with self._lock:
            mine = [key for key, item in self.items.items() if item.recipient_id == recipient_id]
            for key in mine:
                del self.items[key]
            return len(mine)
