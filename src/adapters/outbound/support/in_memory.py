"""In-memory adapters of the support ports: thread-safe, with state a test can read. They write
events to the in-memory outbox under the same lock as the aggregate, like the MongoDB ones do in
one transaction."""

from __future__ import annotations

import copy
import dataclasses
import threading
from typing import Protocol

from application.shared.pagination import Page, PageRequest
from application.support.ports import TicketFilters
from domain.shared.errors import Conflict
from domain.shared.events import DomainEvent
from domain.support.requests import SupportRequest
from domain.support.tickets import Ticket


class EventSink(Protocol):
    def append(self, events: list[DomainEvent]) -> None: ...


class InMemorySupportRequestRepository:
    def __init__(self, outbox: EventSink) -> None:
        self.requests: dict[str, SupportRequest] = {}
        self._outbox = outbox
        self._lock = threading.Lock()

    def add(self, request: SupportRequest) -> None:
        with self._lock:
            self._outbox.append(request.pull_events())
            self.requests[request.id] = copy.deepcopy(request)

    def get(self, request_id: str) -> SupportRequest | None:
        request = self.requests.get(request_id)
        return copy.deepcopy(request) if request else None

    def list_for_user(self, user_id: str, page: PageRequest) -> Page[SupportRequest]:
        mine = sorted((r for r in self.requests.values() if r.user_id == user_id),
                      key=lambda r: (r.submitted_at, r.id), reverse=True)
        return Page(items=copy.deepcopy(mine[page.offset:page.offset + page.page_size]), total=len(mine),
                    request=page)

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        with self._lock:
            changed = 0
            for request in self.requests.values():
                if request.user_id == user_id and (request.subject, request.description, request.page_url) != (
                        replacement, replacement, None):
                    request.subject = request.description = replacement
                    request.page_url = None
                    changed += 1
            return changed


def _matches(ticket: Ticket, filters: TicketFilters) -> bool:
    return ((filters.status is None or ticket.status is filters.status)
            and (filters.priority is None or ticket.priority is filters.priority)
            and (filters.category is None or ticket.category is filters.category)
            and (not filters.unassigned or ticket.assignee_id is None)
            and (filters.unassigned or filters.assignee_id is None or ticket.assignee_id == filters.assignee_id))


class InMemoryTicketRepository:
    def __init__(self, outbox: EventSink) -> None:
        self.tickets: dict[str, Ticket] = {}
        self._outbox = outbox
        self._lock = threading.Lock()

    def add(self, ticket: Ticket) -> bool:
        with self._lock:
            if ticket.id in self.tickets:
                return False
            self._outbox.append(ticket.pull_events())
            self.tickets[ticket.id] = copy.deepcopy(ticket)
            return True

    def get(self, ticket_id: str) -> Ticket | None:
        ticket = self.tickets.get(ticket_id)
        return copy.deepcopy(ticket) if ticket else None

    def get_many(self, ticket_ids: list[str]) -> dict[str, Ticket]:
        return {i: copy.deepcopy(self.tickets[i]) for i in ticket_ids if i in self.tickets}

    def save(self, ticket: Ticket) -> None:
        with self._lock:
            stored = self.tickets.get(ticket.id)
            if stored is None or stored.version != ticket.version:
                raise Conflict("the ticket was changed by someone else; reload it and try again")
            self._outbox.append(ticket.pull_events())
            ticket.version += 1
            self.tickets[ticket.id] = copy.deepcopy(ticket)

    def search(self, filters: TicketFilters, page: PageRequest) -> Page[Ticket]:
        found = sorted((t for t in self.tickets.values() if _matches(t, filters)),
                       key=lambda t: (t.priority.rank, t.opened_at, t.id))
        return Page(items=copy.deepcopy(found[page.offset:page.offset + page.page_size]), total=len(found),
                    request=page)

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        with self._lock:
            changed = 0
            for ticket in self.tickets.values():
                if ticket.user_id != user_id:
                    continue
                before = (ticket.subject, ticket.description, ticket.page_url, list(ticket.replies))
                ticket.subject = ticket.description = replacement
                ticket.page_url = None
                ticket.replies = [dataclasses.replace(r, body=replacement) if r.author_id == user_id else r
                                  for r in ticket.replies]
                if before != (ticket.subject, ticket.description, ticket.page_url, list(ticket.replies)):
                    ticket.version += 1
                    changed += 1
            return changed


class InMemoryRequesterOrders:
    """Which people are party to which orders, as tests set it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.parties: dict[str, set[str]] = {}

    def add(self, order_id: str, *user_ids: str) -> None:
        with self._lock:
            self.parties.setdefault(order_id, set()).update(user_ids)

    def is_party(self, order_id: str, user_id: str) -> bool:
        with self._lock:
            return user_id in self.parties.get(order_id, set())
