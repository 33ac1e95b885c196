from datetime import UTC, datetime

import pytest

from adapters.outbound.notifications.in_memory import InMemoryNotificationInbox
from application.notifications.use_cases import (
    DeliverNotifications,
    IncomingEvent,
    ListMyNotifications,
    MarkAllNotificationsRead,
    MarkNotificationRead,
)
from application.shared.pagination import PageRequest
from domain.notifications.notification import NotificationNotFound
from domain.shared.access import Actor, Role
from tests.fakes import FakeClock

ANA = Actor("ana", frozenset({Role.BUYER}))
CARLOS = Actor("carlos", frozenset({Role.SELLER}))


def incoming(event_id: str, recipients, minute: int = 0, name: str = "order.paid") -> IncomingEvent:
    return IncomingEvent(event_id=event_id, name=name, occurred_at=datetime(2026, 11, 23, 10, minute, tzinfo=UTC),
                         payload={"recipient_ids": recipients, "title": f"{name} {event_id}", "order_id": "o1"})


def test_any_event_with_recipients_becomes_one_item_each_once_however_often_it_comes():
    inbox = InMemoryNotificationInbox()
    deliver = DeliverNotifications(inbox)

    assert deliver.execute(incoming("e1", ["ana", "carlos"], name="orders.order_accepted")) == 2
    assert deliver.execute(incoming("e1", ["ana", "carlos"], name="orders.order_accepted")) == 0
    assert deliver.execute(IncomingEvent("e2", "catalog.updated", datetime.now(UTC), {"id": "x"})) == 0

    assert [n.title for n in inbox.of("ana")] == ["orders.order_accepted e1"]
    assert len(inbox.of("carlos")) == 1


def test_the_inbox_is_newest_first_with_the_unread_count_and_mine_only():
    inbox = InMemoryNotificationInbox()
    for minute, event_id in enumerate(["e1", "e2", "e3"]):
        DeliverNotifications(inbox).execute(incoming(event_id, ["ana"], minute))
    DeliverNotifications(inbox).execute(incoming("e4", ["carlos"]))

    result = ListMyNotifications(inbox).execute(ANA, PageRequest(page=1, page_size=2))
    assert [n.event_id for n in result.page.items] == ["e3", "e2"]
    assert (result.page.total, result.unread) == (3, 3)


def test_marking_read_one_and_all_and_someone_elses_is_404():
    inbox, clock = InMemoryNotificationInbox(), FakeClock()
    DeliverNotifications(inbox).execute(incoming("e1", ["ana"], 0))
    DeliverNotifications(inbox).execute(incoming("e2", ["ana"], 1))
    first = inbox.of("ana")[-1]

    with pytest.raises(NotificationNotFound):
        MarkNotificationRead(inbox, clock).execute(CARLOS, first.id)
    assert MarkNotificationRead(inbox, clock).execute(ANA, first.id).read_at == clock.now()
    assert ListMyNotifications(inbox).execute(ANA, PageRequest()).unread == 1
    unread = ListMyNotifications(inbox).execute(ANA, PageRequest(), unread_only=True)
    assert [n.event_id for n in unread.page.items] == ["e2"]
    assert MarkAllNotificationsRead(inbox, clock).execute(ANA) == 1
    assert ListMyNotifications(inbox).execute(ANA, PageRequest()).unread == 0
