"""A unit of work on MongoDB: one multi-document transaction whose session is ambient (held in a
context variable), so repositories of several contexts write into it without being handed it."""

from __future__ import annotations

from contextvars import ContextVar
from types import TracebackType
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.errors import OperationFailure

from adapters.outbound.mongo.outbox import transaction
from domain.shared.errors import ConcurrentChange

_session: ContextVar[ClientSession | None] = ContextVar("ambient_mongo_session", default=None)
# One entry per open ``with``: the transaction's context manager and the token to restore, or
# None for a nested unit that joined the outer one.
_open_units: ContextVar[tuple[Any, ...]] = ContextVar("open_mongo_units", default=())


def ambient_session() -> ClientSession | None:
    """The session of the unit of work this code runs in, or None outside any (a plain write)."""
    return _session.get()


class MongoUnitOfWork:
    def __enter__(self) -> MongoUnitOfWork:
        if _session.get() is not None:
            _open_units.set((*_open_units.get(), None))
            return self
        manager = transaction()
        session = manager.__enter__()
        token = _session.set(session)
        _open_units.set((*_open_units.get(), (manager, token)))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool | None:
        *outer, entry = _open_units.get()
        _open_units.set(tuple(outer))
        if entry is None:
            return None
        manager, token = entry
        _session.reset(token)
        try:
            suppressed = manager.__exit__(exc_type, exc, traceback)
        except OperationFailure as error:  # the commit itself failed
            if _lost_race(error):
                raise ConcurrentChange("the data changed at the same time; try again") from None
            raise
        if isinstance(exc, OperationFailure) and _lost_race(exc):
            raise ConcurrentChange("the data changed at the same time; try again") from None
        return suppressed


def _lost_race(error: OperationFailure) -> bool:
    """Two units wrote the same document: MongoDB aborts one with a transient write conflict."""
    return error.has_error_label("TransientTransactionError")
