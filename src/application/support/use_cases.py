"""Support: people file requests (accepted at once, handed to the support module through Kafka);
the support module opens a prioritised ticket; agents take, answer and resolve it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.shared.erasure import PersonDeleted
from application.shared.pagination import Page, PageRequest, every_item
from application.shared.ports import Clock
from application.support.ports import RequesterOrders, SupportRequestRepository, TicketFilters, TicketRepository
from domain.shared.access import Actor, Role
from domain.shared.erasure import ERASED_TEXT
from domain.shared.ids import new_id
from domain.support.errors import NotYourOrder, SupportRequestNotFound, TicketNotFound, TicketNotOpenedYet
from domain.support.requests import Category, SupportRequest
from domain.support.tickets import Priority, Reply, Ticket

AGENT_ROLES = (Role.SUPPORT, Role.ADMIN)


@dataclass(frozen=True)
class SubmitSupportRequestCommand:
    category: Category
    subject: str
    description: str
    order_id: str | None = None
    page_url: str | None = None


@dataclass(frozen=True)
class SubmitSupportRequest:
    requests: SupportRequestRepository
    orders: RequesterOrders
    clock: Clock

    def execute(self, actor: Actor, command: SubmitSupportRequestCommand) -> SupportRequest:
        request = SupportRequest.submit(request_id=new_id(), user_id=actor.user_id, category=command.category,
                                        subject=command.subject, description=command.description,
                                        order_id=command.order_id, page_url=command.page_url,
                                        now=self.clock.now())
        # A request about an order reaches an agent's queue with high priority and the order's id:
        # only the order's own buyer or seller may point them at it.
        if request.order_id is not None and not self.orders.is_party(request.order_id, actor.user_id):
            raise NotYourOrder()
        self.requests.add(request)
        return request


RECEIVED = "received"


@dataclass(frozen=True)
class RequestView:
    """A request as its author sees it: with its ticket once the support module has opened it."""

    request: SupportRequest
    ticket: Ticket | None

    @property
    def status(self) -> str:
        """The ticket's status, or ``received`` while the support module has not opened it yet."""
        return self.ticket.status.value if self.ticket else RECEIVED

    @property
    def priority(self) -> Priority | None:
        return self.ticket.priority if self.ticket else None

    @property
    def replies(self) -> list[Reply]:
        return self.ticket.replies if self.ticket else []

    @property
    def updated_at(self) -> datetime:
        return self.ticket.updated_at if self.ticket else self.request.submitted_at

    @property
    def resolved_at(self) -> datetime | None:
        return self.ticket.resolved_at if self.ticket else None


@dataclass(frozen=True)
class ListMySupportRequests:
    requests: SupportRequestRepository
    tickets: TicketRepository

    def execute(self, actor: Actor, page: PageRequest) -> Page[RequestView]:
        found = self.requests.list_for_user(actor.user_id, page)
        tickets = self.tickets.get_many([r.id for r in found.items])
        return Page(items=[RequestView(r, tickets.get(r.id)) for r in found.items], total=found.total,
                    request=found.request)


def _my_request(requests: SupportRequestRepository, actor: Actor, request_id: str) -> SupportRequest:
    request = requests.get(request_id)
    if request is None or request.user_id != actor.user_id:
        raise SupportRequestNotFound()
    return request


@dataclass(frozen=True)
class GetMySupportRequest:
    requests: SupportRequestRepository
    tickets: TicketRepository

    def execute(self, actor: Actor, request_id: str) -> RequestView:
        request = _my_request(self.requests, actor, request_id)
        return RequestView(request, self.tickets.get(request.id))


@dataclass(frozen=True)
class ReplyToMySupportRequest:
    requests: SupportRequestRepository
    tickets: TicketRepository
    clock: Clock

    def execute(self, actor: Actor, request_id: str, body: str) -> RequestView:
        request = _my_request(self.requests, actor, request_id)
        ticket = self.tickets.get(request.id)
        if ticket is None:
            raise TicketNotOpenedYet()
        ticket.reply_as_requester(body, new_id(), self.clock.now())
        self.tickets.save(ticket)
        return RequestView(request, ticket)


@dataclass(frozen=True)
class OpenTicketCommand:
    """What the support worker reads from a support-request event."""

    request_id: str
    user_id: str
    category: Category
    subject: str
    description: str
    submitted_at: datetime
    order_id: str | None = None
    page_url: str | None = None


@dataclass(frozen=True)
class OpenTicket:
    """Run by the support worker for each support-request event; safe to run twice for one event."""

    tickets: TicketRepository
    clock: Clock

    def execute(self, command: OpenTicketCommand) -> bool:
        ticket = Ticket.open(request_id=command.request_id, user_id=command.user_id, category=command.category,
                             subject=command.subject, description=command.description,
                             order_id=command.order_id, page_url=command.page_url,
                             submitted_at=command.submitted_at, now=self.clock.now())
        return self.tickets.add(ticket)


@dataclass(frozen=True)
class ListTicketQueue:
    tickets: TicketRepository

    def execute(self, actor: Actor, filters: TicketFilters, page: PageRequest) -> Page[Ticket]:
        actor.ensure_role(*AGENT_ROLES)
        return self.tickets.search(filters, page)


def _ticket_for_agent(tickets: TicketRepository, actor: Actor, ticket_id: str) -> Ticket:
    actor.ensure_role(*AGENT_ROLES)
    ticket = tickets.get(ticket_id)
    if ticket is None:
        raise TicketNotFound()
    return ticket


@dataclass(frozen=True)
class GetTicket:
    tickets: TicketRepository

    def execute(self, actor: Actor, ticket_id: str) -> Ticket:
        return _ticket_for_agent(self.tickets, actor, ticket_id)


@dataclass(frozen=True)
class TakeTicket:
    tickets: TicketRepository
    clock: Clock

    def execute(self, actor: Actor, ticket_id: str) -> Ticket:
        ticket = _ticket_for_agent(self.tickets, actor, ticket_id)
        ticket.take(actor.user_id, self.clock.now(), is_admin=actor.has_role(Role.ADMIN))
        self.tickets.save(ticket)
        return ticket


@dataclass(frozen=True)
class ReplyToTicket:
    tickets: TicketRepository
    clock: Clock

    def execute(self, actor: Actor, ticket_id: str, body: str) -> Ticket:
        ticket = _ticket_for_agent(self.tickets, actor, ticket_id)
        ticket.reply_as_agent(actor.user_id, body, new_id(), self.clock.now(), is_admin=actor.has_role(Role.ADMIN))
        self.tickets.save(ticket)
        return ticket


@dataclass(frozen=True)
class ResolveTicket:
    tickets: TicketRepository
    clock: Clock

    def execute(self, actor: Actor, ticket_id: str) -> Ticket:
        ticket = _ticket_for_agent(self.tickets, actor, ticket_id)
        ticket.resolve(actor.user_id, self.clock.now(), is_admin=actor.has_role(Role.ADMIN))
        self.tickets.save(ticket)
        return ticket


@dataclass(frozen=True)
class EraseSupportDataOfDeletedPerson:
    """Support's handler of ``account.deleted`` (issue #12): requests and tickets stay as a count
    and a history of what support did, without what the person wrote. Naturally idempotent."""

    requests: SupportRequestRepository
    tickets: TicketRepository

    def execute(self, deleted: PersonDeleted) -> int:
        person_id = deleted.person_id
        return (self.requests.erase_for_user(person_id, ERASED_TEXT)
                + self.tickets.erase_for_user(person_id, ERASED_TEXT))


@dataclass(frozen=True)
class ExportSupportData:
    """For the privacy context's export: every support request of the person, with its ticket."""

    requests: SupportRequestRepository
    tickets: TicketRepository

    def execute(self, user_id: str) -> list[RequestView]:
        found = every_item(lambda page: self.requests.list_for_user(user_id, page))
        tickets = self.tickets.get_many([r.id for r in found]) if found else {}
        return [RequestView(request, tickets.get(request.id)) for request in found]
