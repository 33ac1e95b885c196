from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from domain.support.requests import Category, SupportRequest
from domain.support.tickets import Priority, Ticket, TicketStatus


class SupportRequestRepository(Protocol):
    def add(self, request: SupportRequest) -> None:
        """Store a new request together with the events it recorded, in one atomic write."""
        ...

    def get(self, request_id: str) -> SupportRequest | None: ...

    def list_for_user(self, user_id: str, page: PageRequest) -> Page[SupportRequest]:
        """Newest first."""
        ...

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        """Replace the subject and description the person wrote on each of their requests and drop
        the page address; how many requests changed."""
        ...


class RequesterOrders(Protocol):
    def is_party(self, order_id: str, user_id: str) -> bool:
        """True when the person is the order's buyer or its seller; False for anyone else's
        order and for an order that does not exist."""
        ...


@dataclass(frozen=True)
class TicketFilters:
    status: TicketStatus | None = None
    priority: Priority | None = None
    category: Category | None = None
    assignee_id: str | None = None
    unassigned: bool = False


class TicketRepository(Protocol):
    def add(self, ticket: Ticket) -> bool:
        """Store a new ticket with its events atomically; False (and nothing written) when the
        request already has its ticket, which is how a redelivered event is handled once."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def get_many(self, ticket_ids: list[str]) -> dict[str, Ticket]: ...

    def save(self, ticket: Ticket) -> None:
        """Store changes with the new events atomically; raises Conflict when someone else saved
        the ticket since it was read."""
        ...

    def search(self, filters: TicketFilters, page: PageRequest) -> Page[Ticket]:
        """The queue: highest priority first, then oldest first."""
        ...

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        """On the person's tickets: the same for subject, description and page address, and the
        body of every reply the person wrote. Staff replies stay. How many tickets changed."""
        ...
