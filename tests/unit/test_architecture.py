"""Guards for the house rules that import-linter cannot see."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing

import application
from tests.fakes import FakesModule


def _port_protocols() -> list[type]:
    ports = []
    for module_info in pkgutil.walk_packages(application.__path__, "application."):
        module = importlib.import_module(module_info.name)
        for _, value in vars(module).items():
            if (inspect.isclass(value) and value.__module__ == module.__name__
                    and getattr(value, "_is_protocol", False) and value is not typing.Protocol):
                ports.append(value)
    return ports


def _faked_types() -> set[type]:
    provided = set()
    for _, method in inspect.getmembers(FakesModule, inspect.isfunction):
        hints = typing.get_type_hints(method)
        if "return" in hints:
            provided.add(hints["return"])
    return provided


# Ports whose real adapter does no I/O, so the tests use it as it is.
PURE_PORTS = {
    "application.accounts.ports.AccessTokens",  # JWT signing: pure computation over a secret
    "application.catalog.ports.ImageProcessor",  # Pillow: pure computation, and tests need its real sniffing
    "application.shared.ports.ReadinessCheck",  # an element of ReadinessChecks, which is faked
    "application.shared.outbox_relay.StopSignal",  # an argument type (threading.Event), not injected
    "application.privacy.ports.PersonalDataSource",  # an element of PersonalDataSources, real adapters over fakes
}


def test_every_port_has_a_fake_bound_for_the_tests():
    missing = [name for port in _port_protocols() if port not in _faked_types()
               and (name := f"{port.__module__}.{port.__name__}") not in PURE_PORTS]
    assert not missing, f"ports without a fake in tests/fakes.py::FakesModule: {missing}"


def test_the_port_finder_finds_ports():
    names = {port.__name__ for port in _port_protocols()}
    assert {"UserRepository", "PasswordHasher", "PaymentGateway", "Clock"} <= names
