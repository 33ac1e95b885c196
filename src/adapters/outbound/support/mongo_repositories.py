"""MongoDB adapters of the support ports. Each write of an aggregate and its events is one
transaction with the outbox, so an accepted request always has its event and vice versa."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError, OperationFailure

from adapters.outbound.mongo.outbox import append_events, transaction
from adapters.outbound.support.mongo_documents import SupportRequestDocument, TicketDocument
from application.shared.pagination import Page, PageRequest
from application.support.ports import TicketFilters
from domain.shared.clock import utc
from domain.shared.errors import Conflict
from domain.support.requests import Category, SupportRequest
from domain.support.tickets import Author, Priority, Reply, Ticket, TicketStatus


def _request_to_raw(request: SupportRequest) -> dict[str, Any]:
    return SupportRequestDocument(id=request.id, user_id=request.user_id, category=request.category.value,
                                  subject=request.subject, description=request.description,
                                  order_id=request.order_id, page_url=request.page_url,
                                  submitted_at=request.submitted_at).to_mongo().to_dict()


def _request_from_raw(raw: dict[str, Any]) -> SupportRequest:
    return SupportRequest(id=raw["_id"], user_id=raw["user_id"], category=Category(raw["category"]),
                          subject=raw["subject"], description=raw["description"],
                          submitted_at=utc(raw["submitted_at"]), order_id=raw.get("order_id"),
                          page_url=raw.get("page_url"))


class MongoSupportRequestRepository:
    def _collection(self):
        return SupportRequestDocument._get_collection()

    def add(self, request: SupportRequest) -> None:
        with transaction() as session:
            self._collection().insert_one(_request_to_raw(request), session=session)
            append_events(list(request.pending_events), session)
        request.pull_events()

    def get(self, request_id: str) -> SupportRequest | None:
        raw = self._collection().find_one({"_id": request_id})
        return _request_from_raw(raw) if raw else None

    def list_for_user(self, user_id: str, page: PageRequest) -> Page[SupportRequest]:
        query = {"user_id": user_id}
        raws = (self._collection().find(query).sort([("submitted_at", -1), ("_id", -1)])
                .skip(page.offset).limit(page.page_size))
        return Page(items=[_request_from_raw(r) for r in raws], total=self._collection().count_documents(query),
                    request=page)

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        result = self._collection().update_many(
            {"user_id": user_id, "$or": [{"subject": {"$ne": replacement}}, {"description": {"$ne": replacement}},
                                         {"page_url": {"$ne": None}}]},
            {"$set": {"subject": replacement, "description": replacement, "page_url": None}})
        return result.modified_count


def _ticket_to_raw(ticket: Ticket) -> dict[str, Any]:
    replies = [{"id": r.id, "author": r.author.value, "author_id": r.author_id, "body": r.body, "at": r.at}
               for r in ticket.replies]
    return TicketDocument(id=ticket.id, user_id=ticket.user_id, category=ticket.category.value,
                          subject=ticket.subject, description=ticket.description, order_id=ticket.order_id,
                          page_url=ticket.page_url, priority=ticket.priority.value,
                          priority_rank=ticket.priority.rank, status=ticket.status.value,
                          assignee_id=ticket.assignee_id, submitted_at=ticket.submitted_at,
                          opened_at=ticket.opened_at, updated_at=ticket.updated_at, resolved_at=ticket.resolved_at,
                          replies=replies, version=ticket.version).to_mongo().to_dict()


def _ticket_from_raw(raw: dict[str, Any]) -> Ticket:
    return Ticket(id=raw["_id"], user_id=raw["user_id"], category=Category(raw["category"]),
                  subject=raw["subject"], description=raw["description"], priority=Priority(raw["priority"]),
                  status=TicketStatus(raw["status"]), submitted_at=utc(raw["submitted_at"]),
                  opened_at=utc(raw["opened_at"]), updated_at=utc(raw["updated_at"]),
                  order_id=raw.get("order_id"), page_url=raw.get("page_url"), assignee_id=raw.get("assignee_id"),
                  resolved_at=utc(raw["resolved_at"]) if raw.get("resolved_at") else None,
                  replies=[Reply(id=r["id"], author=Author(r["author"]), author_id=r["author_id"], body=r["body"],
                                 at=utc(r["at"])) for r in raw.get("replies", [])],
                  version=raw.get("version", 0))


def _queue_query(filters: TicketFilters) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if filters.status is not None:
        query["status"] = filters.status.value
    if filters.priority is not None:
        query["priority_rank"] = filters.priority.rank
    if filters.category is not None:
        query["category"] = filters.category.value
    if filters.unassigned:
        query["assignee_id"] = None
    elif filters.assignee_id is not None:
        query["assignee_id"] = filters.assignee_id
    return query


class MongoTicketRepository:
    def _collection(self):
        return TicketDocument._get_collection()

    def add(self, ticket: Ticket) -> bool:
        try:
            with transaction() as session:
                self._collection().insert_one(_ticket_to_raw(ticket), session=session)
                append_events(list(ticket.pending_events), session)
        except DuplicateKeyError:
            return False
        ticket.pull_events()
        return True

    def get(self, ticket_id: str) -> Ticket | None:
        raw = self._collection().find_one({"_id": ticket_id})
        return _ticket_from_raw(raw) if raw else None

    def get_many(self, ticket_ids: list[str]) -> dict[str, Ticket]:
        if not ticket_ids:
            return {}
        return {raw["_id"]: _ticket_from_raw(raw) for raw in self._collection().find({"_id": {"$in": ticket_ids}})}

    def save(self, ticket: Ticket) -> None:
        fields = _ticket_to_raw(ticket)
        fields.pop("_id")
        fields["version"] = ticket.version + 1
        try:
            with transaction() as session:
                result = self._collection().update_one({"_id": ticket.id, "version": ticket.version},
                                                       {"$set": fields}, session=session)
                if result.matched_count == 0:
                    raise Conflict("the ticket was changed by someone else; reload it and try again")
                append_events(list(ticket.pending_events), session)
        except OperationFailure as error:
            # Two saves racing on one ticket: MongoDB aborts one transaction with a write conflict.
            if error.has_error_label("TransientTransactionError"):
                raise Conflict("the ticket was changed by someone else; reload it and try again") from None
            raise
        ticket.pull_events()
        ticket.version += 1

    def search(self, filters: TicketFilters, page: PageRequest) -> Page[Ticket]:
        query = _queue_query(filters)
        raws = (self._collection().find(query).sort([("priority_rank", 1), ("opened_at", 1), ("_id", 1)])
                .skip(page.offset).limit(page.page_size))
        return Page(items=[_ticket_from_raw(r) for r in raws], total=self._collection().count_documents(query),
                    request=page)

    def erase_for_user(self, user_id: str, replacement: str) -> int:
        # Read, rewrite and compare-and-set each ticket: the person's replies sit among staff's in
        # one array, and an agent may be replying at this moment (a lost race raises Conflict and
        # the erasure is retried). No index on user_id: a deletion is rare, the scan acceptable.
        changed = 0
        for raw in list(self._collection().find({"user_id": user_id})):
            replies = [{**r, "body": replacement} if r.get("author_id") == user_id else r
                       for r in raw.get("replies", [])]
            fields = {"subject": replacement, "description": replacement, "page_url": None, "replies": replies}
            if all(raw.get(key) == value for key, value in fields.items()):
                continue
            result = self._collection().update_one({"_id": raw["_id"], "version": raw.get("version", 0)},
                                                   {"$set": fields, "$inc": {"version": 1}})
            if result.matched_count == 0:
                raise Conflict("a ticket of the person changed while it was being erased; retry")
            changed += 1
        return changed
