from datetime import UTC, datetime

import pytest

from domain.notifications.notification import InvalidNotificationEvent, Notification, recipients_of

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_recipients_are_distinct_and_an_event_without_them_notifies_nobody():
    assert recipients_of({"recipient_ids": ["a", "b", "a"]}) == ["a", "b"]
    assert recipients_of({"order_id": "o1"}) == []


@pytest.mark.parametrize("bad", ["user-1", [1, 2], [""], ["x" * 65]])
def test_malformed_recipients_make_a_poison_event(bad):
    with pytest.raises(InvalidNotificationEvent) as error:
        recipients_of({"recipient_ids": bad})
    assert error.value.field == "recipient_ids"


def test_an_item_keeps_title_body_and_small_links_but_not_the_recipients():
    item = Notification.from_event(notification_id="n1", recipient_id="a", event_id="e1", event_name="order.paid",
                                   occurred_at=NOW, payload={"recipient_ids": ["a"], "title": "Paid", "body": "Thanks",
                                                             "order_id": "o1", "lines": [{"big": 1}]})
    assert (item.title, item.body, item.data) == ("Paid", "Thanks", {"order_id": "o1"})
    assert item.unread


def test_an_event_without_a_title_is_shown_by_its_name():
    item = Notification.from_event(notification_id="n1", recipient_id="a", event_id="e1", event_name="order.paid",
                                   occurred_at=NOW, payload={"recipient_ids": ["a"]})
    assert item.title == "order.paid" and item.body == ""


def test_a_non_text_title_is_poison():
    with pytest.raises(InvalidNotificationEvent):
        Notification.from_event(notification_id="n1", recipient_id="a", event_id="e1", event_name="x",
                                occurred_at=NOW, payload={"title": {"a": 1}})
