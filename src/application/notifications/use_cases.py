"""Notifications: every event on the marketplace events topic that names ``recipient_ids``
becomes one inbox item per recipient, whatever context recorded it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.notifications.ports import NotificationInbox
from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock
from domain.notifications.notification import Notification, NotificationNotFound, recipients_of
from domain.shared.access import Actor
from domain.shared.ids import new_id


@dataclass(frozen=True)
class IncomingEvent:
    event_id: str
    name: str
    occurred_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class DeliverNotifications:
    """Run by the notifications worker for each event; safe to run twice for one event."""

    inbox: NotificationInbox

    def execute(self, event: IncomingEvent) -> int:
        items = [Notification.from_event(notification_id=new_id(), recipient_id=recipient, event_id=event.event_id,
                                         event_name=event.name, occurred_at=event.occurred_at,
                                         payload=event.payload)
                 for recipient in recipients_of(event.payload)]
        return self.inbox.add_many(items) if items else 0


@dataclass(frozen=True)
class Inbox:
    page: Page[Notification]
    unread: int


@dataclass(frozen=True)
class ListMyNotifications:
    inbox: NotificationInbox

    def execute(self, actor: Actor, page: PageRequest, *, unread_only: bool = False) -> Inbox:
        return Inbox(page=self.inbox.page_for(actor.user_id, page, unread_only=unread_only),
                     unread=self.inbox.unread_count(actor.user_id))


@dataclass(frozen=True)
class MarkNotificationRead:
    inbox: NotificationInbox
    clock: Clock

    def execute(self, actor: Actor, notification_id: str) -> Notification:
        notification = self.inbox.mark_read(actor.user_id, notification_id, self.clock.now())
        if notification is None:
            raise NotificationNotFound()
        return notification


@dataclass(frozen=True)
class MarkAllNotificationsRead:
    inbox: NotificationInbox
    clock: Clock

    def execute(self, actor: Actor) -> int:
        return self.inbox.mark_all_read(actor.user_id, self.clock.now())


@dataclass(frozen=True)
class EmptyInboxOfDeletedPerson:
    """Notifications' handler of ``account.deleted`` (issue #12): the inbox is the person's alone,
    so it goes whole. Naturally idempotent."""

    inbox: NotificationInbox

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        return self.inbox.delete_all_for(person_id)


@dataclass(frozen=True)
class ExportNotificationsData:
    """For the privacy context's export: the person's whole inbox."""

    inbox: NotificationInbox

    def execute(self, user_id: str) -> list[Notification]:
        return every_item(lambda page: self.inbox.page_for(user_id, page))
