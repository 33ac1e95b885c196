from __future__ import annotations

from typing import TypeVar

from flask import current_app
from injector import Injector

T = TypeVar("T")


def use_case(kind: type[T]) -> T:
    """Resolve a use case from the app's injector (built by bootstrap), per call."""
    injector: Injector = current_app.extensions["injector"]
    return injector.get(kind)


def shared_use_case(kind: type[T]) -> T:
    """Resolved once per app, then reused: only for use cases whose ports all live as long as the
    process (repositories, another context's readers), never one that holds a unit of work or any
    state of a request. The hottest reads use it, so the injector does not walk the same object
    graph again on every request (a fifth of a search's own cost)."""
    cache: dict[type, object] = current_app.extensions.setdefault("shared_use_cases", {})
    found = cache.get(kind)
    if found is None:
        # Two threads may both build it on the first requests; either copy is as good.
        found = cache[kind] = use_case(kind)
    return found  # type: ignore[return-value]
