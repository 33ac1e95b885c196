from __future__ import annotations

from typing import TypeVar

from flask import current_app
from injector import Injector

T = TypeVar("T")


def use_case(kind: type[T]) -> T:
    """Resolve a use case from the app's injector (built by bootstrap), per call."""
    injector: Injector = current_app.extensions["injector"]
    return injector.get(kind)
