"""The whole API fuzzed from its own OpenAPI document on the app with fakes: every operation, a few
generated requests each (positive and negative data), anonymous and as a buyer, a seller and an
admin. No 5xx, no undocumented status, no body or content type that breaks the document.
The long run on the real database is tests/verify/test_fuzz_real_stack.py (`make verify`)."""

from __future__ import annotations

from application.orders.ports import Contact
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.money import Money
from tests.fuzzing import fuzz, seed_world

EXAMPLES_PER_OPERATION = 3


def _orders_see_the_catalog(fakes):
    """On fakes the orders context has its own catalog and people: copy what the demo seeded."""

    def copy(seeded: dict) -> None:
        for service in seeded["services"]:
            price = service.get("price")
            fakes.catalog.add(ServiceSnapshot(
                service["id"], seeded["seller_id"], service["title"], PriceModel(service["price_model"]),
                Money(price["amount"], price["currency"]) if price else None, service["duration_minutes"]))
        fakes.people.add(Contact(seeded["buyer_id"], "Ana", "ana.buyer@example.com"))
        fakes.people.add(Contact(seeded["seller_id"], "Carlos", "carlos.plumber@example.com", "+34600123456"))

    return copy


def test_every_operation_answers_within_its_documented_contract(app, fakes, capsys):
    world = seed_world(app, before_booking=_orders_see_the_catalog(fakes))
    figures = fuzz(app, world, examples=EXAMPLES_PER_OPERATION)
    with capsys.disabled():
        print("\n" + figures.line())
    assert figures.operations >= 80 and figures.requests >= figures.operations * 4 * EXAMPLES_PER_OPERATION
    assert not figures.findings, figures.report()
