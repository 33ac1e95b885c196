from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.notifications.use_cases import ExportNotificationsData

# Notifications whose body quotes what another person wrote (a new message's first words): the
# copy keeps that it happened, not their words, as the messages file does.
QUOTES_ANOTHER_PERSON = frozenset({"conversation.message_posted"})
WITHHELD = "(another person's words, left out of your copy)"


class NotificationsDataSource:
    name = "notifications"
    contexts = ("notifications",)

    def __init__(self, notifications: ExportNotificationsData) -> None:
        self._notifications = notifications

    def export(self, user_id: str) -> Any:
        return [{"id": n.id, "event": n.event_name, "title": n.title,
                 "body": WITHHELD if n.event_name in QUOTES_ANOTHER_PERSON else n.body,
                 "links": dict(n.data), "created_at": plain(n.created_at), "read_at": plain(n.read_at)}
                for n in self._notifications.execute(user_id)]
