"""Fuzz the whole API from its own OpenAPI document with schemathesis 4, in-process over WSGI.

Shared by the fast run in `make test` (app on the fakes) and the long one in `make verify` (app on
the local MongoDB-compatible server). Every documented operation is called anonymously and as a
buyer, a seller and an admin of a small seeded world; a generated path id is sometimes swapped for
one that exists, so requests get past the lookups into the use cases. A response fails when it is
a 5xx, has a status the operation does not document, or breaks the documented content type or body
schema, and a request that breaks the documented schema fails when it is not refused (a query
argument the operation does not declare included, which schemathesis alone would forgive).
Failures are collected, not raised inside Hypothesis: one run gives every finding and the figures
(operations, requests tried, 5xx, schema failures, invalid requests accepted) at once.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

DEMO_PASSWORD = "demo-password-1"
IDENTITIES = {"buyer": "ana.buyer@example.com", "seller": "carlos.plumber@example.com", "admin": "admin@example.com"}

# Statuses any request may get from the platform itself rather than from the operation: a body that
# is not JSON (400), too large (413) or a rate limit (429). The shared `default` error documents them;
# every other status must be listed by the operation, so a client knows which errors to expect.
PLATFORM_STATUSES = {400, 413, 429}

# Checks on the body and content type; the status check is ours (schemathesis' own accepts any
# status when `default` is documented, which every flask-smorest operation has).
BODY_CHECKS = [content_type_conformance, response_schema_conformance]
# A request that breaks the documented schema must be refused with a 4xx, not acted on.
REJECTION_CHECKS = [negative_data_rejection]


@dataclass
class World:
    """Who calls (Authorization headers by identity; anonymous has none) and ids that exist."""

    headers: dict[str, dict[str, str]]
    known_ids: dict[str, list[str]]


@dataclass
class Finding:
    operation: str
    identity: str
    kind: str  # "5xx", "status", "schema", "accepted" (invalid data acted on)
    status: int
    detail: str


@dataclass
class Figures:
    operations: int = 0
    requests: int = 0
    server_errors: int = 0
    schema_failures: int = 0
    invalid_accepted: int = 0
    by_class: Counter[str] = field(default_factory=Counter)
    findings: dict[tuple[str, str, int, str], Finding] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"fuzz figures: {self.operations} operations, {self.requests} requests tried, "
                f"{self.server_errors} 5xx, {self.schema_failures} schema failures, "
                f"{self.invalid_accepted} invalid requests accepted ({len(self.findings)} distinct findings); "
                f"answers {dict(sorted(self.by_class.items()))}, {self.seconds:.0f} s")

    def report(self, limit: int = 40) -> str:
        lines = [self.line()]
        for finding in list(self.findings.values())[:limit]:
            lines.append(f"- [{finding.kind}] {finding.operation} as {finding.identity} -> {finding.status}: "
                         f"{finding.detail[:600]}")
        return "\n".join(lines)


def _ok(response) -> Any:
    assert response.status_code < 300, (response.status_code, response.get_data(as_text=True)[:500])
    return response.get_json()


def _login(client, email: str) -> dict[str, str]:
    pair = _ok(client.post("/auth/login", json={"email": email, "password": DEMO_PASSWORD}))
    return {"Authorization": f"Bearer {pair['access_token']}"}


def _idempotent(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": uuid.uuid4().hex}


def seed_world(app, before_booking: Callable[[dict[str, Any]], None] | None = None) -> World:
    """The demo data (`flask seed-demo`) and, through the API, one order, a support request, a
    conversation and a time off, so every kind of path id has at least one value that exists.
    ``before_booking`` lets the app on fakes copy the catalog into the orders context's fake."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    headers = {name: _login(client, email) for name, email in IDENTITIES.items()}
    buyer, seller = headers["buyer"], headers["seller"]
    seller_id = _ok(client.get("/me", headers=seller))["id"]
    buyer_id = _ok(client.get("/me", headers=buyer))["id"]
    services = _ok(client.get("/me/services", headers=seller))["items"]
    service_ids = [service["id"] for service in services]
    bookable = next(service["id"] for service in services if service["price_model"] != "quote")
    if before_booking is not None:
        before_booking({"seller_id": seller_id, "buyer_id": buyer_id, "services": services})
    start = date.today() + timedelta(days=2)
    slots = _ok(client.get(f"/services/{bookable}/slots",
                           query_string={"from": start.isoformat(), "to": (start + timedelta(days=6)).isoformat()}))
    order_ids = []
    # Two orders on different days, so the second does not overlap the first.
    for slot in [slots[0], next(s for s in slots if s["start"][:10] != slots[0]["start"][:10])]:
        booked = _ok(client.post("/orders", headers=_idempotent(buyer), json={
            "service_id": bookable, "start": slot["start"], "address": "Calle Mayor 1, Madrid"}))
        order_ids.append(booked["order"]["id"])
    _ok(client.post(f"/orders/{order_ids[0]}/payment", headers=_idempotent(buyer),
                    json={"source_id": "cnon:card-nonce-ok"}))
    request_id = _ok(client.post("/support/requests", headers=buyer,
                                 json={"category": "order", "subject": "Una duda",
                                       "description": "¿Cómo cambio la dirección?"}))["id"]
    conversation = _ok(client.post("/conversations", headers=buyer,
                                   json={"service_id": service_ids[0], "text": "¿Podéis venir el lunes?"}))
    messages = _ok(client.get(f"/conversations/{conversation['id']}/messages", headers=buyer))["items"]
    time_off = _ok(client.post("/me/time-off", headers=seller, json={
        "start": (start + timedelta(days=20)).isoformat() + "T08:00:00+01:00",
        "end": (start + timedelta(days=20)).isoformat() + "T12:00:00+01:00", "note": "médico"}))
    known = {
        "seller_id": [seller_id], "buyer_id": [buyer_id], "service_id": service_ids, "order_id": order_ids,
        "request_id": [request_id], "conversation_id": [conversation["id"]],
        "message_id": [message["id"] for message in messages], "time_off_id": [time_off["id"]],
        "side": ["buyer", "seller"],
    }
    return World(headers={"anonymous": {}, **headers}, known_ids={k: v for k, v in known.items() if v})


def load_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def _documented(operation, status: int) -> bool:
    responses = operation.definition.raw.get("responses", {})
    return str(status) in responses or f"{status // 100}XX" in responses or (
        status in PLATFORM_STATUSES and "default" in responses)


def undeclared_query_arguments(case, response) -> list[str]:
    """The query keys the request actually carried that its operation does not declare."""
    sent = [key for key, _ in parse_qsl(urlsplit(response.request.url).query, keep_blank_values=True)]
    declared = case.operation.query
    return list(dict.fromkeys(key for key in sent if key not in declared))


def caller_headers(case, headers: dict[str, str]) -> dict[str, str]:
    """The identity's headers to send with ``case``, less those the case's own mutations are about.

    A negative case that removed the documented Authorization (or gave it a bad value) is judged
    by `negative_data_rejection` as a request without it; merging the identity's token back turns
    it into a valid request, and its 200 into a finding (issue 26, seed 1725545813: a query
    mutation came first, and schemathesis 4.32's own exclusion, `transport.prepare.get_exclude_headers`,
    looks only at the first mutation's location). So the header the case mutated goes out as the
    case made it, or not at all: the request sent is the one judged. Every other case keeps them.
    """
    meta = case.meta
    mutated: set[str] = set()
    for mutation in getattr(meta.phase.data, "mutations", ()) if meta is not None else ():
        if mutation.parameter_location != ParameterLocation.HEADER:
            continue
        if mutation.path:  # a constraint of one header's value: the path starts with its name
            mutated.add(str(mutation.path[0]).lower())
        elif mutation.parameter:
            mutated.add(mutation.parameter.lower())
        elif "required" in mutation.keywords and isinstance(mutation.original_value, list):
            mutated.update(str(name).lower() for name in mutation.original_value)
    return {name: value for name, value in headers.items() if name.lower() not in mutated}


def _judge(figures: Figures, label: str, identity: str, case, response) -> None:
    status = response.status_code
    figures.by_class[f"{status // 100}xx"] += 1
    problems: list[tuple[str, str]] = []
    if status >= 500:
        figures.server_errors += 1
        problems.append(("5xx", response.text[:300]))
    elif not _documented(case.operation, status):
        figures.schema_failures += 1
        problems.append(("status", f"undocumented status; body {response.text[:300]}"))
    else:
        try:
            case.validate_response(response, checks=BODY_CHECKS)
        except schemathesis.errors.FailureGroup as group:
            figures.schema_failures += 1
            for failure in group.exceptions:
                problems.append(("schema", f"{failure.title}: {failure.message}"))
        accepted: list[str] = []
        try:
            case.validate_response(response, checks=REJECTION_CHECKS)
        except schemathesis.errors.FailureGroup as group:
            accepted.extend(f"{failure.title}: {failure.message}" for failure in group.exceptions)
        # Stricter than schemathesis, which forgives a case whose only fault is extra query keys
        # (many APIs ignore them): ours promises a 422 naming them, on every operation.
        undeclared = undeclared_query_arguments(case, response)
        if undeclared and status < 400:
            accepted.append(f"undeclared query arguments accepted: {undeclared}")
        if accepted:
            figures.invalid_accepted += 1
            problems.extend(("accepted", detail) for detail in accepted)
    for kind, detail in problems:
        key = (label, kind, status, detail.split("\n")[0] if kind == "schema" else "")
        figures.findings.setdefault(key, Finding(label, identity, kind, status, detail))


def fuzz(app, world: World, *, examples: int, identities: Iterable[str] | None = None,
         modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
         derandomize: bool = True, seed: int | None = None, operations: Iterable[str] | None = None) -> Figures:
    """Call every operation ``examples`` times per identity and generation mode; return the figures."""
    schema = load_schema(app)
    figures = Figures()
    started = time.monotonic()
    wanted = set(operations) if operations is not None else None
    for result in schema.get_all_operations():
        operation = result.ok()
        if wanted is not None and operation.label not in wanted:
            continue
        figures.operations += 1
        for identity in identities or world.headers:
            for mode in modes:
                _fuzz_operation(figures, world, operation, identity, mode, examples, derandomize, seed)
    figures.seconds = time.monotonic() - started
    return figures


def _fuzz_operation(figures: Figures, world: World, operation, identity: str, mode: GenerationMode,
                    examples: int, derandomize: bool, seed: int | None) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    path_names = [name for name in world.known_ids if "{" + name + "}" in operation.path]
    headers = world.headers[identity]

    @settings(max_examples=examples, database=None, deadline=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate], verbosity=Verbosity.quiet)
    @given(data=st.data())
    def run(data) -> None:
        case = data.draw(strategy)
        for name in path_names:
            # Half the time an id that exists: the use case runs instead of stopping at a 404. Only
            # for valid data: swapping out an invalid path value would make the request valid.
            if mode is GenerationMode.POSITIVE and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(world.known_ids[name]))
        response = case.call(headers=caller_headers(case, headers))
        figures.requests += 1
        _judge(figures, operation.label, identity, case, response)

    if seed is not None and not derandomize:
        run = __import__("hypothesis").seed(seed)(run)
    try:
        run()
    except (schemathesis.errors.SchemathesisError, Unsatisfiable) as error:
        # Negative data cannot be made for an operation without inputs: nothing to send, not a finding.
        if mode is not GenerationMode.NEGATIVE:
            raise AssertionError(f"{operation.label}: {error}") from error
