from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.conversations.conversation import (
    MARKETPLACE_EVENTS_TOPIC,
    Conversation,
    Participant,
    clean_image_urls,
)
from domain.conversations.errors import ConversationNotFound, InvalidMessage, StaffCannotWrite
from domain.conversations.masking import MASK, mask_contacts
from domain.shared.access import Actor, Role

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BUYER = Actor("buyer-1", frozenset({Role.BUYER}))
SELLER = Actor("seller-1", frozenset({Role.BUYER, Role.SELLER}))
STRANGER = Actor("eve", frozenset({Role.BUYER}))
AGENT = Actor("agent", frozenset({Role.SUPPORT}))


@pytest.mark.parametrize("text", [
    "escríbeme a ana.garcia+obra@gmail.com",
    "ana @ gmail . com",
    "ana arroba gmail punto com",
    "ANA AT GMAIL DOT COM",
    "ana (at) gmail [dot] com",
    "ana at gmail.com",
    "llámame al +34 600 123 456",
    "600123456",
    "6 0 0 1 2 3 4 5 6",
    "0034-600-12-34-56",
    "(91) 555.12.34",
    "+1 (415) 555-0132",
])
def test_contacts_are_masked(text):
    masked, changed = mask_contacts(f"Hola, {text}, gracias")
    assert changed and MASK in masked
    assert not any(ch.isdigit() for ch in masked) and "@" not in masked
    assert masked.startswith("Hola, ") and masked.endswith(", gracias")


@pytest.mark.parametrize("text", [
    "cuesta 45 euros y son 2 horas", "el 12/05 a las 10:00", "referencia 12345678",
    "see you at noon. ok", "llego at 10", "el portal 3, piso 2º B",
])
def test_ordinary_text_is_left_alone(text):
    assert mask_contacts(text) == (text, False)


def inquiry() -> Conversation:
    return Conversation.inquiry(conversation_id="c-1", buyer_id="buyer-1", seller_id="seller-1",
                                service_id="svc-1", now=NOW)


def test_a_message_counts_unread_for_the_other_person_and_notifies_them():
    c = inquiry()
    message = c.post(BUYER, message_id="m-1", text="¿Podéis el lunes?", image_urls=["https://img.example.com/a.jpg"],
                     now=NOW, contacts_visible=False)
    assert message.author_id == "buyer-1" and message.image_urls == ("https://img.example.com/a.jpg",)
    assert c.unread == {Participant.BUYER: 0, Participant.SELLER: 1}
    [event] = c.pull_events()
    assert event.topic == MARKETPLACE_EVENTS_TOPIC
    assert event.payload["recipient_ids"] == ["seller-1"] and event.payload["conversation_id"] == "c-1"
    assert event.payload["title"] and event.payload["body"] == "¿Podéis el lunes?"

    c.post(SELLER, message_id="m-2", text="Sí", image_urls=[], now=NOW, contacts_visible=False)
    assert c.pull_events()[0].payload["recipient_ids"] == ["buyer-1"]
    assert c.read_by(SELLER) is Participant.SELLER and c.unread[Participant.SELLER] == 0
    assert c.unread[Participant.BUYER] == 1


def test_masking_follows_whether_contacts_may_be_shown():
    c = Conversation.for_order(order_id="o-1", buyer_id="buyer-1", seller_id="seller-1", service_id="svc-1", now=NOW)
    hidden = c.post(SELLER, message_id="m-1", text="Llámame: 600 123 456", image_urls=[], now=NOW,
                    contacts_visible=False)
    assert hidden.masked and hidden.text == f"Llámame: {MASK}"
    assert c.pull_events()[0].payload["body"] == f"Llámame: {MASK}"  # the notification never leaks it
    shown = c.post(SELLER, message_id="m-2", text="Llámame: 600 123 456", image_urls=[], now=NOW,
                   contacts_visible=True)
    assert not shown.masked and shown.text == "Llámame: 600 123 456"
    assert c.id == "o-1" and c.order_id == "o-1"


def test_only_the_two_people_write_staff_read_and_others_do_not_learn_it_exists():
    c = inquiry()
    with pytest.raises(ConversationNotFound):
        c.post(STRANGER, message_id="m", text="hola", image_urls=[], now=NOW, contacts_visible=False)
    with pytest.raises(ConversationNotFound):
        c.participant(STRANGER)
    with pytest.raises(StaffCannotWrite):
        c.post(AGENT, message_id="m", text="hola", image_urls=[], now=NOW, contacts_visible=False)
    assert c.read_by(AGENT) is Participant.STAFF


@pytest.mark.parametrize(("text", "images", "field"), [
    ("", [], "text"), ("   ", [], "text"), ("x" * 2001, [], "text"),
    ("hola", ["ftp://x.example.com/a.jpg"], "image_urls"), ("hola", ["/relative.jpg"], "image_urls"),
    ("hola", ["https://a.example.com/x y.jpg"], "image_urls"), ("hola", [f"https://e.com/{n}" for n in range(5)],
                                                                "image_urls"),
    ("hola", "https://e.com/a.jpg", "image_urls"), ("hola", [42], "image_urls"),
])
def test_bad_messages_name_the_field(text, images, field):
    with pytest.raises(InvalidMessage) as raised:
        inquiry().post(BUYER, message_id="m", text=text, image_urls=images, now=NOW, contacts_visible=False)
    assert raised.value.field == field


def test_image_urls_are_trimmed():
    assert clean_image_urls([" https://img.example.com/a.jpg "]) == ("https://img.example.com/a.jpg",)
