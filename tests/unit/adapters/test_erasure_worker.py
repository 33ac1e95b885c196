"""The erasure worker's handler (issue #12), and the guard that every context holding personal
data takes part in an erasure."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime

import pytest

from adapters.inbound.cli.erasure import (
    ERASURE_HANDLERS,
    HOLDS_NO_PERSONAL_DATA,
    ErasureFailed,
    erasure_event_handler,
)
from adapters.inbound.cli.kafka_worker import PoisonMessage, ReceivedEvent
from application.shared.erasure import PersonDeleted
from bootstrap import CONTEXT_MODULES

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def event(name: str = "account.deleted", **payload) -> ReceivedEvent:
    return ReceivedEvent(event_id="e-1", name=name, occurred_at=AT,
                         payload=payload or {"user_id": "u-1", "deleted_at": AT.isoformat(), "replayed": False})


def test_every_context_is_asked_even_when_one_fails_and_then_the_event_fails():
    asked: list[str] = []

    def context(name: str, fails: bool = False):
        def erase(deleted: PersonDeleted) -> None:
            asked.append(f"{name}:{deleted.person_id}")
            if fails:
                raise ConnectionError("Square is down")
        return erase

    handle = erasure_event_handler({"payments": context("payments", fails=True), "catalog": context("catalog")})

    with pytest.raises(ErasureFailed, match="payments"):
        handle(event())
    assert asked == ["payments:u-1", "catalog:u-1"]


def test_other_events_are_ignored_and_a_malformed_deletion_is_poison():
    asked: list[PersonDeleted] = []
    handle = erasure_event_handler({"catalog": asked.append})
    handle(event("order.paid", recipient_ids=["u-1"], title="x", body="y"))
    assert asked == []
    with pytest.raises(PoisonMessage):
        handle(event(deleted_at=AT.isoformat()))
    with pytest.raises(PoisonMessage):
        handle(event(user_id="u-1", deleted_at="yesterday"))
    handle(event())
    assert asked == [PersonDeleted("u-1", AT)]


def _contexts_of(module: type) -> set[str]:
    """The bounded contexts a module wires, read off its use cases' packages (application.<context>...)."""
    return {use_case.__module__.split(".")[1] for use_case in getattr(module, "USE_CASES", [])}


def test_every_context_holding_personal_data_has_an_erasure_handler():
    contexts = set().union(*(_contexts_of(module) for module in CONTEXT_MODULES))
    assert {"accounts", "orders", "catalog"} <= contexts  # the finder finds them
    missing = sorted(contexts - set(ERASURE_HANDLERS) - set(HOLDS_NO_PERSONAL_DATA))
    assert not missing, (f"contexts without an erasure handler: {missing}. Add the context's use case to "
                         "ERASURE_HANDLERS (adapters/inbound/cli/erasure.py), or say in HOLDS_NO_PERSONAL_DATA "
                         "why it keeps nothing about a person")
    assert not set(ERASURE_HANDLERS) & set(HOLDS_NO_PERSONAL_DATA)


@pytest.mark.parametrize(("context", "use_case"), sorted(ERASURE_HANDLERS.items()))
def test_each_handler_is_its_own_contexts_use_case_taking_person_deleted(context, use_case):
    assert use_case.__module__ == f"application.{context}.use_cases"
    assert dataclasses.is_dataclass(use_case)
    assert typing.get_type_hints(use_case.execute)["deleted"] is PersonDeleted
    # Wired like every use case, so the worker's injector can build it.
    assert any(use_case in getattr(module, "USE_CASES", []) for module in CONTEXT_MODULES)
