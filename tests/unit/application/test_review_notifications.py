"""A published review tells the reviewed person, through an event on marketplace.events saved with
the reviews (the outbox): when both sides have written, or when the window closes."""

from __future__ import annotations

from domain.reviews.review import MARKETPLACE_EVENTS_TOPIC, REVIEW_PUBLISHED, Side
from tests.unit.application.test_reviews_use_cases import AGENT, BUYER, SELLER, World


def notices(world: World) -> list[dict]:
    return [m.payload for m in world.reviews.outbox.messages(topic=MARKETPLACE_EVENTS_TOPIC)
            if m.name == REVIEW_PUBLISHED]


def test_nobody_is_told_while_the_reviews_are_blind():
    world = World()
    world.write(BUYER, stars=4, text="Tidy work")
    assert notices(world) == []


def test_when_both_have_written_each_reviewed_person_is_told_once():
    world = World()
    world.write(BUYER, stars=4, text="Tidy work")
    world.write(SELLER, stars=5, text="Kind and punctual")

    by_recipient = {tuple(n["recipient_ids"]): n for n in notices(world)}
    assert set(by_recipient) == {("seller-1",), ("buyer-1",)}
    to_seller = by_recipient[("seller-1",)]
    assert to_seller["order_id"] == "order-1" and to_seller["service_id"] == "svc-1"
    assert to_seller["side"] == Side.BUYER.value and to_seller["stars"] == 4 and "Tidy work" in to_seller["body"]
    assert to_seller["title"] and by_recipient[("buyer-1",)]["stars"] == 5
    assert world.publish() == 0 and len(notices(world)) == 2  # the timer finds nothing more to announce


def test_when_the_window_closes_the_one_written_review_is_announced_once():
    world = World()
    world.write(SELLER, stars=3, text="Late to answer")
    world.clock.advance(days=8)
    assert world.publish() == 1
    assert world.publish() == 0
    [notice] = notices(world)
    assert notice["recipient_ids"] == ["buyer-1"] and notice["side"] == "seller" and notice["stars"] == 3


def test_a_review_hidden_before_publication_is_not_announced():
    world = World()
    world.write(BUYER, stars=1, text="Rude words")
    world.hide(Side.BUYER, AGENT, "insults")
    world.clock.advance(days=8)
    assert world.publish() == 1
    assert notices(world) == []


def test_a_long_review_is_cut_in_the_notice():
    world = World()
    world.write(BUYER, stars=5, text="x" * 500)
    world.write(SELLER, stars=5, text="ok")
    to_seller = next(n for n in notices(world) if n["recipient_ids"] == ["seller-1"])
    assert len(to_seller["body"]) < 160 and to_seller["body"].endswith("…")
