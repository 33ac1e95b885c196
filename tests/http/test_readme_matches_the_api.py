"""The README is read by the people who call the API and run it: what it names must exist, and what the
API offers on its main routes must be named there, so the two cannot drift apart again."""

from __future__ import annotations

import re
from pathlib import Path

from devtools.export_openapi import openapi_document

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)")


# Served beside the API, not in its document: the probes and metrics of the platform, the document itself.
PLATFORM_ROUTES = {("GET", "/metrics"), ("GET", "/health/live"), ("GET", "/health/ready"), ("GET", "/docs"),
                   ("GET", "/openapi.json")}


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path.rstrip("/") or "/")


def _documented() -> set[tuple[str, str]]:
    return {(method.upper(), _shape(path)) for path, operations in openapi_document()["paths"].items()
            for method in operations if method != "parameters"}


def test_every_route_the_readme_names_exists_with_that_method():
    documented = _documented()
    # /_control and /_standin are the Square stand-in's own test switches, named in the README for developers.
    named = {(method, _shape(path)) for method, path in ROUTE.findall(README) if not path.startswith("/_")}
    assert len(named) > 20, "the README names almost no route"
    assert sorted(named - documented - PLATFORM_ROUTES) == []


def test_every_search_parameter_is_in_the_readme():
    search = openapi_document()["paths"]["/services"]["get"]
    names = {parameter["name"] for parameter in search["parameters"] if parameter["in"] == "query"}
    assert {"near", "available_on", "part_of_day"} <= names
    assert sorted(name for name in names if f"`{name}`" not in README) == []


def test_every_worker_make_run_starts_is_listed_among_the_workers():
    from devtools import localstack

    started = {process.name for process in localstack.worker_processes(localstack.app_environment())} - {"api"}
    workers_row = next(line for line in README.splitlines() if line.startswith("| workers |"))
    assert sorted(name for name in started if f"`{name}`" not in workers_row) == []


def test_sign_up_offers_only_the_roles_a_person_may_take():
    schema = openapi_document()["components"]["schemas"]
    register = next(body for name, body in schema.items() if name.startswith("Register"))
    assert register["properties"]["role"]["enum"] == ["buyer", "seller"]
