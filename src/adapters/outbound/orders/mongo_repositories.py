"""MongoDB adapters of the orders ports. Every order write is one transaction: the order (with a
version check), its slot's reservation units, and its events in the outbox. An order saved inside
a unit of work (a completion, with the catalog's completed-jobs counter) joins its transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from pymongo import ReplaceOne, ReturnDocument
from pymongo.client_session import ClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from adapters.outbound.mongo.outbox import append_events, transaction
from adapters.outbound.mongo.unit_of_work import ambient_session
from adapters.outbound.orders.mongo_documents import (
    IdempotencyRecordDocument,
    OrderDocument,
    SellerFreeTimeDocument,
    SellerScheduleDocument,
    SlotReservationDocument,
)
from application.orders.ports import StoredResponse
from application.shared.pagination import Page, PageRequest
from domain.orders.errors import ConcurrentOrderChange, SlotTaken
from domain.orders.free_time import DayFreeTime, PartOfDay
from domain.orders.order import (
    Deadline,
    DeadlineKind,
    InvoiceRecord,
    Order,
    OrderStatus,
    Party,
    PaymentRecord,
    Quote,
    RefundRecord,
    ServiceSnapshot,
    TimelineEntry,
)
from domain.orders.pricing import Breakdown, PriceModel
from domain.orders.schedule import SellerSchedule, TimeOff, WorkingRange
from domain.shared.clock import utc
from domain.shared.errors import Conflict, InvalidInput
from domain.shared.money import Money

WRITE_CONFLICT = 112
DUPLICATE_KEY = 11000


def _is_duplicate(error: OperationFailure) -> bool:
    if isinstance(error, DuplicateKeyError):
        return True
    # insert_many reports a duplicate unit as a bulk write error.
    return isinstance(error, BulkWriteError) and any(
        e.get("code") == DUPLICATE_KEY for e in error.details.get("writeErrors", []))


def _is_write_conflict(error: OperationFailure) -> bool:
    """Two transactions touching the same document: the server lets one commit, aborts the other."""
    return error.code == WRITE_CONFLICT or error.has_error_label("TransientTransactionError")


def _money(value: Money | None) -> dict | None:
    return value.to_dict() if value is not None else None


def _money_from(raw: dict | None) -> Money | None:
    return Money(raw["amount"], raw["currency"]) if raw else None


def _opt_utc(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def order_to_raw(order: Order) -> dict[str, Any]:
    service = order.service
    return {
        "_id": order.id, "buyer_id": order.buyer_id, "seller_id": order.seller_id,
        "service": {"service_id": service.service_id, "seller_id": service.seller_id, "title": service.title,
                    "price_model": service.price_model.value, "price": _money(service.price),
                    "duration_minutes": service.duration_minutes},
        "slot_start": order.slot_start, "slot_end": order.slot_end, "time_zone": order.time_zone,
        "buffer_minutes": order.buffer_minutes, "address": order.address, "notes": order.notes,
        "status": order.status.value, "created_at": order.created_at,
        "breakdown": {"subtotal": _money(order.breakdown.subtotal), "fee": _money(order.breakdown.fee),
                      "seller_receives": _money(order.breakdown.seller_receives)} if order.breakdown else None,
        "quote_request": order.quote_request,
        "quote": {"price": _money(order.quote.price), "message": order.quote.message,
                  "offered_at": order.quote.offered_at, "revision": order.quote.revision} if order.quote else None,
        "payment": {"payment_id": order.payment.payment_id, "status": order.payment.status,
                    "amount": _money(order.payment.amount), "app_fee": _money(order.payment.app_fee),
                    "card_brand": order.payment.card_brand, "card_last4": order.payment.card_last4}
        if order.payment else None,
        "payment_id": order.payment.payment_id if order.payment else None,
        "captured": _money(order.captured),
        "refunds": [{"refund_id": r.refund_id, "amount": _money(r.amount), "app_fee": _money(r.app_fee),
                     "status": r.status, "reason": r.reason, "created_at": r.created_at} for r in order.refunds],
        "invoice": {"invoice_id": order.invoice.invoice_id, "status": order.invoice.status,
                    "public_url": order.invoice.public_url, "issued_at": order.invoice.issued_at}
        if order.invoice else None,
        "invoice_id": order.invoice.invoice_id if order.invoice else None,
        "timeline": [{"at": t.at, "actor_id": t.actor_id, "party": t.party.value,
                      "from": t.from_status.value if t.from_status else None, "to": t.to_status.value,
                      "action": t.action, "note": t.note, "amount": _money(t.amount)} for t in order.timeline],
        "next_deadline_at": order.deadline.at if order.deadline else None,
        "deadline_kind": order.deadline.kind.value if order.deadline else None,
        "version": order.version,
    }


def order_from_raw(raw: dict[str, Any]) -> Order:
    service = raw["service"]
    breakdown = raw.get("breakdown")
    quote = raw.get("quote")
    payment = raw.get("payment")
    invoice = raw.get("invoice")
    return Order(
        id=raw["_id"], buyer_id=raw["buyer_id"],
        service=ServiceSnapshot(service_id=service["service_id"], seller_id=service["seller_id"],
                                title=service["title"], price_model=PriceModel(service["price_model"]),
                                price=_money_from(service.get("price")), duration_minutes=service["duration_minutes"]),
        slot_start=utc(raw["slot_start"]), slot_end=utc(raw["slot_end"]), time_zone=raw["time_zone"],
        buffer_minutes=raw.get("buffer_minutes", 0), address=raw.get("address", ""), notes=raw.get("notes", ""),
        status=OrderStatus(raw["status"]), created_at=utc(raw["created_at"]),
        breakdown=Breakdown(subtotal=_money_from(breakdown["subtotal"]), fee=_money_from(breakdown["fee"]),
                            seller_receives=_money_from(breakdown["seller_receives"])) if breakdown else None,
        quote_request=raw.get("quote_request") or "",
        quote=Quote(price=_money_from(quote["price"]), message=quote["message"], offered_at=utc(quote["offered_at"]),
                    revision=quote["revision"]) if quote else None,
        payment=PaymentRecord(payment_id=payment["payment_id"], status=payment["status"],
                              amount=_money_from(payment["amount"]), app_fee=_money_from(payment["app_fee"]),
                              card_brand=payment.get("card_brand"), card_last4=payment.get("card_last4"))
        if payment else None,
        captured=_money_from(raw.get("captured")),
        refunds=[RefundRecord(refund_id=r["refund_id"], amount=_money_from(r["amount"]),
                              app_fee=_money_from(r["app_fee"]), status=r["status"], reason=r.get("reason", ""),
                              created_at=utc(r["created_at"])) for r in raw.get("refunds") or []],
        invoice=InvoiceRecord(invoice_id=invoice["invoice_id"], status=invoice["status"],
                              public_url=invoice.get("public_url"), issued_at=utc(invoice["issued_at"]))
        if invoice else None,
        timeline=[TimelineEntry(at=utc(t["at"]), actor_id=t["actor_id"], party=Party(t["party"]),
                                from_status=OrderStatus(t["from"]) if t.get("from") else None,
                                to_status=OrderStatus(t["to"]), action=t["action"], note=t.get("note", ""),
                                amount=_money_from(t.get("amount")))
                  for t in raw.get("timeline") or []],
        deadline=Deadline(DeadlineKind(raw["deadline_kind"]), utc(raw["next_deadline_at"]))
        if raw.get("next_deadline_at") else None,
        version=raw.get("version", 0),
    )


@contextmanager
def _joined_transaction() -> Iterator[ClientSession]:
    """The ambient unit of work's transaction when there is one (it commits or aborts everything
    at its end), else one of our own."""
    session = ambient_session()
    if session is not None:
        yield session
        return
    with transaction() as own:
        yield own


class MongoOrderRepository:
    def _orders(self):
        return OrderDocument._get_collection()

    def _units(self):
        return SlotReservationDocument._get_collection()

    def _write_slot_change(self, order: Order, session) -> None:
        if order.slot_change == "reserve":
            self._units().insert_many([{"seller_id": order.seller_id, "unit_start": unit, "order_id": order.id}
                                       for unit in order.units], session=session)
        elif order.slot_change == "release":
            self._units().delete_many({"order_id": order.id}, session=session)

    def add(self, order: Order) -> None:
        try:
            with transaction() as session:
                self._orders().insert_one(order_to_raw(order), session=session)
                self._write_slot_change(order, session)
                append_events(list(order.pending_events), session)
        except OperationFailure as error:
            # Either way another booking holds one of the units: the index decided, not a read.
            if _is_duplicate(error) or _is_write_conflict(error):
                raise SlotTaken() from None
            raise
        order.pull_events()
        order.slot_change = None

    def get(self, order_id: str) -> Order | None:
        if not isinstance(order_id, str):
            return None
        raw = self._orders().find_one({"_id": order_id})
        return order_from_raw(raw) if raw else None

    def save(self, order: Order) -> None:
        fields = order_to_raw(order)
        fields.pop("_id")
        fields["version"] = order.version + 1
        fields["lease_until"] = None
        fields["lease_owner"] = None
        try:
            with _joined_transaction() as session:
                result = self._orders().update_one({"_id": order.id, "version": order.version}, {"$set": fields},
                                                   session=session)
                if result.matched_count == 0:
                    raise ConcurrentOrderChange()
                self._write_slot_change(order, session)
                append_events(list(order.pending_events), session)
        except OperationFailure as error:
            if _is_duplicate(error):
                raise SlotTaken() from None
            if _is_write_conflict(error):
                raise ConcurrentOrderChange() from None
            raise
        order.pull_events()
        order.slot_change = None
        order.version += 1

    def find_by_payment_id(self, payment_id: str) -> Order | None:
        raw = self._orders().find_one({"payment_id": payment_id})
        return order_from_raw(raw) if raw else None

    def find_by_invoice_id(self, invoice_id: str) -> Order | None:
        raw = self._orders().find_one({"invoice_id": invoice_id})
        return order_from_raw(raw) if raw else None

    def list_for(self, *, buyer_id: str | None = None, seller_id: str | None = None,
                 statuses: list[OrderStatus] | None = None, page: PageRequest,
                 with_timeline: bool = False) -> Page[Order]:
        query: dict[str, Any] = {"buyer_id": buyer_id} if buyer_id is not None else {"seller_id": seller_id}
        if statuses:
            query["status"] = {"$in": [s.value for s in statuses]}
        # Lists show no history: leaving the timeline out keeps a page small whatever the orders' age.
        projection = None if with_timeline else {"timeline": 0}
        cursor = (self._orders().find(query, projection).sort([("created_at", -1), ("_id", -1)])
                  .skip(page.offset).limit(page.page_size))
        items = [order_from_raw(raw) for raw in cursor]
        return Page(items=items, total=self._orders().count_documents(query), request=page)

    def taken_units(self, seller_id: str, start: datetime, end: datetime) -> set[datetime]:
        cursor = self._units().find({"seller_id": seller_id, "unit_start": {"$gte": start, "$lt": end}},
                                    {"unit_start": 1, "_id": 0})
        return {utc(raw["unit_start"]) for raw in cursor}

    def claim_due(self, *, now: datetime, lease: timedelta, owner: str) -> str | None:
        raw = self._orders().find_one_and_update(
            {"next_deadline_at": {"$lte": now}, "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]},
            {"$set": {"lease_until": now + lease, "lease_owner": owner}},
            projection={"_id": 1}, sort=[("next_deadline_at", 1)], return_document=ReturnDocument.AFTER)
        return raw["_id"] if raw else None


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def schedule_from_raw(raw: dict[str, Any]) -> SellerSchedule:
    return SellerSchedule(
        seller_id=raw["_id"], time_zone=raw["time_zone"], buffer_minutes=raw.get("buffer_minutes", 0),
        weekly_hours={int(day): [WorkingRange(time.fromisoformat(a), time.fromisoformat(b)) for a, b in ranges]
                      for day, ranges in (raw.get("weekly_hours") or {}).items()},
        time_off=[TimeOff(id=t["id"], start=utc(t["start"]), end=utc(t["end"]), note=t.get("note", ""))
                  for t in raw.get("time_off") or []],
        version=raw.get("version", 0))


class MongoScheduleRepository:
    def _collection(self):
        return SellerScheduleDocument._get_collection()

    def get(self, seller_id: str) -> SellerSchedule | None:
        raw = self._collection().find_one({"_id": seller_id})
        return schedule_from_raw(raw) if raw else None

    def save(self, schedule: SellerSchedule) -> None:
        fields = {"time_zone": schedule.time_zone, "buffer_minutes": schedule.buffer_minutes,
                  "weekly_hours": {str(day): [[_hhmm(r.start), _hhmm(r.end)] for r in ranges]
                                   for day, ranges in schedule.weekly_hours.items()},
                  "time_off": [{"id": t.id, "start": t.start, "end": t.end, "note": t.note} for t in schedule.time_off],
                  "version": schedule.version + 1}
        if schedule.version == 0:
            try:
                self._collection().insert_one({"_id": schedule.seller_id, **fields})
            except DuplicateKeyError:
                raise Conflict("the availability was changed by another request; reload and try again") from None
        else:
            result = self._collection().update_one({"_id": schedule.seller_id, "version": schedule.version},
                                                   {"$set": fields})
            if result.matched_count == 0:
                raise Conflict("the availability was changed by another request; reload and try again")
        schedule.version += 1


    def seller_ids(self) -> list[str]:
        return [raw["_id"] for raw in self._collection().find({}, {"_id": 1})]


class MongoFreeTimeSummaries:
    def _collection(self):
        return SellerFreeTimeDocument._get_collection()

    def put(self, days: list[DayFreeTime]) -> None:
        writes = [ReplaceOne({"_id": f"{d.seller_id}:{d.day.isoformat()}"}, {
            "seller_id": d.seller_id, "date": d.day.isoformat(), "time_zone": d.time_zone,
            "longest_any": d.longest_any, "longest": {p.value: m for p, m in d.longest.items()},
            "free_minutes": {p.value: m for p, m in d.free_minutes.items()}}, upsert=True) for d in days]
        if writes:
            self._collection().bulk_write(writes, ordered=False)

    def longest_free(self, day: date, part: PartOfDay | None) -> dict[str, int]:
        # Not hinted: (date, longest_any) is the only index that can serve it, so MongoDB's planner
        # takes it; the local server answers a hint by walking every seller's every day.
        cursor = self._collection().find({"date": day.isoformat(), "longest_any": {"$gt": 0}},
                                         {"seller_id": 1, "longest_any": 1, "longest": 1, "_id": 0})
        found = {}
        for raw in cursor:
            minutes = raw["longest_any"] if part is None else raw.get("longest", {}).get(part.value, 0)
            if minutes > 0:
                found[raw["seller_id"]] = minutes
        return found


class MongoIdempotencyStore:
    """A first request reserves its key; a crashed one's reservation lapses after ``lock``."""

    def __init__(self, lock: timedelta = timedelta(seconds=60)) -> None:
        self._lock = lock

    def _collection(self):
        return IdempotencyRecordDocument._get_collection()

    def begin(self, *, scope: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        try:
            self._collection().insert_one({"_id": scope, "fingerprint": fingerprint, "state": "running",
                                           "locked_until": now + self._lock, "created_at": now})
            return None
        except DuplicateKeyError:
            record = self._collection().find_one({"_id": scope})
        if record is None:  # removed between our insert and read: take it again
            return self.begin(scope=scope, fingerprint=fingerprint, now=now)
        if record["fingerprint"] != fingerprint:
            raise InvalidInput("this Idempotency-Key was already used with a different request",
                               field="Idempotency-Key")
        if record["state"] == "done":
            return StoredResponse(status=record["response_status"], body=record["response_body"],
                                  location=record.get("response_location"))
        if utc(record["locked_until"]) > now:
            raise Conflict("a request with this Idempotency-Key is still being processed")
        taken = self._collection().update_one({"_id": scope, "state": "running", "locked_until": record["locked_until"]},
                                              {"$set": {"locked_until": now + self._lock}})
        if taken.modified_count == 0:
            raise Conflict("a request with this Idempotency-Key is still being processed")
        return None

    def finish(self, *, scope: str, response: StoredResponse, now: datetime) -> None:
        self._collection().update_one({"_id": scope}, {"$set": {"state": "done", "response_status": response.status,
                                                                "response_body": response.body,
                                                                "response_location": response.location}})

    def abandon(self, *, scope: str) -> None:
        self._collection().delete_one({"_id": scope, "state": "running"})
