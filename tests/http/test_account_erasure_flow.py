"""Deleting a person with data in every context, on the fakes: DELETE /me records account.deleted,
and the erasure worker's handler (fed the event from the outbox, as Kafka would) makes every
context erase its part, once or many times."""

from __future__ import annotations

from adapters.inbound.cli.erasure import erasure_event_handler, erasure_handlers
from adapters.inbound.cli.kafka_worker import ReceivedEvent
from tests.erasure_scenario import PASSWORD, build_person, signup, unerased


def deliver_deletions(app, fakes) -> int:
    """What the relay and the erasure worker do: every account.deleted in the outbox, to the handler."""
    handle = erasure_event_handler(erasure_handlers(app.extensions["injector"]))
    events = [m for m in fakes.outbox.messages() if m.name == "account.deleted"]
    with app.app_context():
        for message in events:
            handle(ReceivedEvent(event_id=message.event_id, name=message.name, occurred_at=message.occurred_at,
                                 payload=message.payload))
    return len(events)


def test_every_context_erases_its_part_and_a_redelivery_changes_nothing(app, client, fakes):
    person = build_person(app, client)
    assert len(unerased(app, person)) == 12  # the scenario really holds data in every context

    assert client.delete("/me", headers=person.carlos, json={"password": PASSWORD}).status_code == 204
    assert deliver_deletions(app, fakes) == 1

    assert unerased(app, person) == []
    assert fakes.square_oauth.revoked_merchants == [fakes.square_connections.get(person.carlos_id).merchant_id]
    # Kafka delivers at least once: a second delivery erases nothing more and revokes nothing again.
    before = {name: repr(vars(store)) for name, store in (("users", fakes.users), ("orders", fakes.orders),
                                                          ("reviews", fakes.order_reviews))}
    assert deliver_deletions(app, fakes) == 1
    assert unerased(app, person) == []
    assert fakes.square_oauth.revoked_merchants == [fakes.square_connections.get(person.carlos_id).merchant_id]
    assert before == {name: repr(vars(store)) for name, store in (("users", fakes.users), ("orders", fakes.orders),
                                                                  ("reviews", fakes.order_reviews))}


def test_the_public_side_after_a_seller_left(app, client, fakes):
    person = build_person(app, client)
    client.delete("/me", headers=person.carlos, json={"password": PASSWORD})
    deliver_deletions(app, fakes)

    assert client.get(f"/services/{person.service_id}").status_code == 404
    profile = client.get(f"/sellers/{person.carlos_id}").json
    assert profile["display_name"] == "Former user" and not profile.get("bio")
    # Carlos's review of Ana stays on her page, shown as from a former user.
    other_seller, _ = signup(client, "another-seller@example.com", "seller", "Luis")
    [review] = client.get(f"/buyers/{person.ana_id}/reviews", headers=other_seller).json["items"]
    assert review["author_id"] == "former-user"
    # Ana's review of Carlos still counts in the (now delisted) seller's rating, under her name.
    [about_carlos] = client.get(f"/sellers/{person.carlos_id}/reviews").json["items"]
    assert about_carlos["author_id"] == person.ana_id


def test_hours_a_profile_still_kept_of_its_own_are_erased_too(app, client, fakes):
    from domain.catalog.profile import WorkingHours

    person = build_person(app, client)
    fakes.legacy_profile_hours.hours[person.carlos_id] = [WorkingHours("sat", "09:00", "14:00")]
    client.delete("/me", headers=person.carlos, json={"password": PASSWORD})
    deliver_deletions(app, fakes)
    assert person.carlos_id not in fakes.legacy_profile_hours.hours
