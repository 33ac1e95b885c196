from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.conversations.use_cases import ExportMessagesData


class MessagesDataSource:
    """The person's threads and what they wrote; the other side's messages are left out (they
    are that person's words) and only counted, so the person sees the thread was a dialogue."""

    name = "messages"
    contexts = ("conversations",)

    def __init__(self, messages: ExportMessagesData) -> None:
        self._messages = messages

    def export(self, user_id: str) -> Any:
        return [{"conversation_id": r.conversation.id, "kind": plain(r.conversation.kind),
                 "order_id": r.conversation.order_id, "service_id": r.conversation.service_id,
                 "your_role": plain(r.participant), "started_at": plain(r.conversation.created_at),
                 "messages_you_wrote": [{"id": m.id, "at": plain(m.at), "text": m.text,
                                         "image_urls": list(m.image_urls), "contacts_masked": m.masked,
                                         "hidden_by_moderation": m.hidden is not None} for m in r.messages]}
                for r in self._messages.execute(user_id)]
