"""The adapters a deletion writes through (issue #12), one contract for the in-memory fake and the
real MongoDB-compatible server: a fake that drifts from the real adapter fails here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbound.accounts.in_memory import InMemoryUserRepository
from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import MongoUserRepository
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from adapters.outbound.mongo.deletion_log import MongoDeletionLog
from adapters.outbound.mongo.in_memory_deletion_log import InMemoryDeletionLog
from adapters.outbound.mongo.in_memory_outbox import InMemoryOutbox
from adapters.outbound.mongo.outbox import OutboxDocument
from adapters.outbound.orders.in_memory import InMemoryOrderRepository, InMemoryScheduleRepository
from adapters.outbound.orders.mongo_documents import ORDERS_DOCUMENTS
from adapters.outbound.orders.mongo_repositories import MongoOrderRepository, MongoScheduleRepository
from application.orders.use_cases import EraseOrderPersonalData, FindErasureBlockers
from application.shared.erasure import PersonDeleted
from domain.accounts.email import Email
from domain.accounts.user import User
from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel
from domain.shared.access import Role
from domain.shared.erasure import ERASED_TEXT, BlockerKind, ErasureBlocker
from domain.shared.errors import Conflict
from domain.shared.ids import new_id
from domain.shared.money import Money

pytestmark = pytest.mark.integration
# Real time: the deletion log's TTL index expires entries by the server's clock.
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=["memory", "mongodb"])
def backend(request):
    if request.param == "memory":
        yield "memory", None
        return
    connection = MongoConnection(request.getfixturevalue("mongo_url"), f"erasure_adapters_{new_id()[:8]}")
    connection.ensure([*ACCOUNTS_DOCUMENTS, *ORDERS_DOCUMENTS, OutboxDocument])
    log_db = f"{connection.db.name}_log"
    try:
        yield "mongodb", connection
    finally:
        connection.db.client.drop_database(connection.db.name)
        connection.db.client.drop_database(log_db)
        disconnect()


def test_the_deletion_log_keeps_the_first_time_and_answers_since(backend):
    kind, connection = backend
    log = (InMemoryDeletionLog() if kind == "memory"
           else MongoDeletionLog(connection.db.client, f"{connection.db.name}_log", retention=timedelta(days=200)))
    log.record("u-old", NOW - timedelta(days=2))
    log.record("u-new", NOW)
    log.record("u-new", NOW + timedelta(hours=1))  # the handler recording it again

    assert log.since(NOW - timedelta(days=3)) == [("u-old", NOW - timedelta(days=2)), ("u-new", NOW)]
    assert log.since(NOW - timedelta(hours=1)) == [("u-new", NOW)]
    assert log.since(NOW + timedelta(seconds=1)) == []
    if connection is not None:  # outside the backed-up database, and nothing but the id and the time
        assert "deletions" not in connection.db.list_collection_names()
        raw = connection.db.client[f"{connection.db.name}_log"]["deletions"].find_one({"_id": "u-new"})
        assert set(raw) == {"_id", "deleted_at"}


def outbox_names(kind: str, outbox: InMemoryOutbox) -> list[str]:
    if kind == "memory":
        return [m.name for m in outbox.messages()]
    return [raw["name"] for raw in OutboxDocument._get_collection().find()]


def test_a_deleted_user_and_its_event_are_saved_together_or_not_at_all(backend):
    kind, _ = backend
    outbox = InMemoryOutbox()
    users = InMemoryUserRepository(outbox) if kind == "memory" else MongoUserRepository()
    user = User.register(user_id=new_id(), email=Email("ana@example.com"), display_name="Ana", password_hash="h",
                         role=Role.BUYER, now=NOW)
    user.change_phone("+34 600 123 456")
    users.add(user)
    stale = users.get(user.id)
    fresh = users.get(user.id)
    fresh.rename("Ana María")
    users.save(fresh)

    stale.delete(NOW)
    with pytest.raises(Conflict):
        users.save(stale)
    assert outbox_names(kind, outbox) == [] and not users.get(user.id).deleted

    current = users.get(user.id)
    current.delete(NOW)
    users.save(current)
    stored = users.get(user.id)
    assert stored.deleted and stored.phone is None and stored.display_name == "Former user"
    assert users.get_by_email(Email("ana@example.com")) is None
    assert outbox_names(kind, outbox) == ["account.deleted"] and current.pending_events == ()


def an_order(order_id: str, buyer_id: str, status: OrderStatus) -> Order:
    order = Order(id=order_id, buyer_id=buyer_id,
                  service=ServiceSnapshot("s-1", "carlos", "Grifos", PriceModel.FIXED, Money(4500, "EUR"), 60),
                  slot_start=NOW, slot_end=NOW + timedelta(hours=1), time_zone="Europe/Madrid", buffer_minutes=0,
                  address="Calle Mayor 1", notes="2º B", status=status, created_at=NOW)
    order.timeline.append(TimelineEntry(NOW, buyer_id, Party.BUYER, None, status, "book", "llamar al 600"))
    return order


def test_orders_block_and_then_erase_keeping_each_orders_history(backend):
    kind, _ = backend
    orders = InMemoryOrderRepository() if kind == "memory" else MongoOrderRepository()
    orders.add(an_order("o-open", "ana", OrderStatus.ACCEPTED))
    orders.add(an_order("o-done", "ana", OrderStatus.COMPLETED))

    open_order = ErasureBlocker("o-open", BlockerKind.OPEN, "accepted")
    assert FindErasureBlockers(orders).execute("ana") == [open_order]
    assert FindErasureBlockers(orders).execute("carlos") == [open_order]
    assert FindErasureBlockers(orders).execute("someone-else") == []

    schedules = InMemoryScheduleRepository() if kind == "memory" else MongoScheduleRepository()
    erase = EraseOrderPersonalData(orders, schedules)
    assert erase.execute(PersonDeleted("ana", NOW)) == 2
    assert erase.execute(PersonDeleted("ana", NOW)) == 0
    done = orders.get("o-done")
    assert (done.address, done.notes) == (ERASED_TEXT, ERASED_TEXT)
    assert [(e.action, e.note) for e in done.timeline] == [("book", ERASED_TEXT)]  # the history stays
