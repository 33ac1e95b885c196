"""A ticket in the support queue, opened by the support module from a support request. A state
machine with explicit transitions; every change the requester cares about records an event on
the marketplace events topic, which the notifications consumer turns into inbox items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.shared.events import DomainEvent, RecordsEvents
from domain.support.errors import (
    InvalidSupportRequest,
    InvalidTicketTransition,
    TicketTakenByAnotherAgent,
    TooManyReplies,
)
from domain.support.events import (
    MARKETPLACE_EVENTS_TOPIC,
    TICKET_OPENED,
    TICKET_REPLIED,
    TICKET_STATUS_CHANGED,
)
from domain.support.requests import Category, reference_of

MAX_REPLY = 5_000
MAX_REPLIES = 200


class Priority(StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Queue order: lower is served first."""
        return {Priority.HIGH: 0, Priority.NORMAL: 1, Priority.LOW: 2}[self]


# Money and orders first: a person may be charged or stuck with a job; "other" waits longest.
PRIORITY_BY_CATEGORY: dict[Category, Priority] = {
    Category.PAYMENTS: Priority.HIGH,
    Category.ORDER: Priority.HIGH,
    Category.ACCOUNT_ACCESS: Priority.NORMAL,
    Category.SITE_BUG: Priority.NORMAL,
    Category.OTHER: Priority.LOW,
}


class TicketStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


ALLOWED_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.OPEN: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED}),
    TicketStatus.IN_PROGRESS: frozenset({TicketStatus.RESOLVED}),
    # The requester answering a resolved ticket reopens it, back to its agent if it had one.
    TicketStatus.RESOLVED: frozenset({TicketStatus.OPEN, TicketStatus.IN_PROGRESS}),
}


class Author(StrEnum):
    REQUESTER = "requester"
    AGENT = "agent"


@dataclass(frozen=True)
class Reply:
    id: str
    author: Author
    author_id: str
    body: str
    at: datetime


def clean_reply(body: str) -> str:
    cleaned = body.strip() if isinstance(body, str) else ""
    if not cleaned:
        raise InvalidSupportRequest("body must not be empty", field="body")
    if len(cleaned) > MAX_REPLY:
        raise InvalidSupportRequest(f"body must have at most {MAX_REPLY} characters", field="body")
    return cleaned


@dataclass
class Ticket(RecordsEvents):
    id: str  # the support request's id: one ticket per request, enforced by the primary key
    user_id: str
    category: Category
    subject: str
    description: str
    priority: Priority
    status: TicketStatus
    submitted_at: datetime
    opened_at: datetime
    updated_at: datetime
    order_id: str | None = None
    page_url: str | None = None
    assignee_id: str | None = None
    resolved_at: datetime | None = None
    replies: list[Reply] = field(default_factory=list)
    version: int = 0

    @property
    def reference(self) -> str:
        return reference_of(self.id)

    @classmethod
    def open(cls, *, request_id: str, user_id: str, category: Category, subject: str, description: str,
             order_id: str | None, page_url: str | None, submitted_at: datetime, now: datetime) -> Ticket:
        ticket = cls(id=request_id, user_id=user_id, category=category, subject=subject, description=description,
                     priority=PRIORITY_BY_CATEGORY[category], status=TicketStatus.OPEN, submitted_at=submitted_at,
                     opened_at=now, updated_at=now, order_id=order_id, page_url=page_url)
        ticket._notify(TICKET_OPENED, [user_id], now,
                       title=f"We received your support request {ticket.reference}",
                       body=f"“{subject}” is in our support queue; we will answer here. "
                            f"Reference: {ticket.reference}.")
        return ticket

    def _move_to(self, target: TicketStatus, now: datetime) -> None:
        if target not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTicketTransition(f"a ticket that is {self.status.value} cannot become {target.value}")
        self.status = target
        self.updated_at = now

    def _ensure_agent_may_act(self, agent_id: str, *, is_admin: bool) -> None:
        if self.assignee_id not in (None, agent_id) and not is_admin:
            raise TicketTakenByAnotherAgent()

    def _add_reply(self, author: Author, author_id: str, body: str, reply_id: str, now: datetime) -> Reply:
        if len(self.replies) >= MAX_REPLIES:
            raise TooManyReplies(f"a ticket holds at most {MAX_REPLIES} replies; open a new request")
        reply = Reply(id=reply_id, author=author, author_id=author_id, body=clean_reply(body), at=now)
        self.replies.append(reply)
        self.updated_at = now
        return reply

    def take(self, agent_id: str, now: datetime, *, is_admin: bool = False) -> None:
        if self.status is TicketStatus.RESOLVED:
            # The transition exists, but only the requester's reply uses it.
            raise InvalidTicketTransition("this ticket is resolved; the requester can reopen it by replying")
        if self.status is TicketStatus.IN_PROGRESS and self.assignee_id == agent_id:
            return
        self._ensure_agent_may_act(agent_id, is_admin=is_admin)
        if self.status is TicketStatus.IN_PROGRESS:
            # An admin handing the ticket to themselves: it stays in progress.
            self.assignee_id = agent_id
            self.updated_at = now
            return
        self._move_to(TicketStatus.IN_PROGRESS, now)
        self.assignee_id = agent_id
        self._notify(TICKET_STATUS_CHANGED, [self.user_id], now,
                     title=f"An agent is working on {self.reference}",
                     body=f"Your support request “{self.subject}” is now in progress.")

    def reply_as_agent(self, agent_id: str, body: str, reply_id: str, now: datetime, *,
                       is_admin: bool = False) -> Reply:
        if self.status is TicketStatus.RESOLVED:
            raise InvalidTicketTransition("this ticket is resolved; the requester can reopen it by replying")
        self._ensure_agent_may_act(agent_id, is_admin=is_admin)
        reply = self._add_reply(Author.AGENT, agent_id, body, reply_id, now)
        self._notify(TICKET_REPLIED, [self.user_id], now, title=f"Support replied to {self.reference}",
                     body=_excerpt(reply.body), reply_id=reply.id)
        return reply

    def reply_as_requester(self, body: str, reply_id: str, now: datetime) -> Reply:
        reply = self._add_reply(Author.REQUESTER, self.user_id, body, reply_id, now)
        if self.status is TicketStatus.RESOLVED:
            self._move_to(TicketStatus.IN_PROGRESS if self.assignee_id else TicketStatus.OPEN, now)
            self.resolved_at = None
        if self.assignee_id:
            self._notify(TICKET_REPLIED, [self.assignee_id], now, title=f"The requester answered {self.reference}",
                         body=_excerpt(reply.body), reply_id=reply.id)
        return reply

    def resolve(self, agent_id: str, now: datetime, *, is_admin: bool = False) -> None:
        self._ensure_agent_may_act(agent_id, is_admin=is_admin)
        self._move_to(TicketStatus.RESOLVED, now)
        self.assignee_id = self.assignee_id or agent_id
        self.resolved_at = now
        self._notify(TICKET_STATUS_CHANGED, [self.user_id], now, title=f"{self.reference} is resolved",
                     body=f"Your support request “{self.subject}” was resolved. "
                          "Reply to it if the problem remains.")

    def _notify(self, name: str, recipient_ids: list[str], now: datetime, *, title: str, body: str,
                **extra: str) -> None:
        self.record(DomainEvent(
            name=name, topic=MARKETPLACE_EVENTS_TOPIC, key=self.user_id, occurred_at=now,
            payload={"recipient_ids": recipient_ids, "title": title, "body": body, "ticket_id": self.id,
                     "reference": self.reference, "status": self.status.value, **extra}))


def _excerpt(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
