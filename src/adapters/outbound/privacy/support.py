from __future__ import annotations

from typing import Any

from adapters.outbound.privacy.plain import plain
from application.support.use_cases import ExportSupportData


class SupportTicketsDataSource:
    """The person's requests and the conversation with support. Agents appear as "agent": their
    ids are staff data, not the requester's."""

    name = "support_tickets"
    contexts = ("support",)

    def __init__(self, support: ExportSupportData) -> None:
        self._support = support

    def export(self, user_id: str) -> Any:
        return [{"id": v.request.id, "reference": v.request.reference, "category": plain(v.request.category),
                 "subject": v.request.subject, "description": v.request.description,
                 "order_id": v.request.order_id, "page_url": v.request.page_url,
                 "submitted_at": plain(v.request.submitted_at), "status": v.status,
                 "resolved_at": plain(v.resolved_at),
                 "replies": [{"by": plain(r.author), "body": r.body, "at": plain(r.at)} for r in v.replies]}
                for v in self._support.execute(user_id)]
