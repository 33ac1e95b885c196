"""A 201 says where the new resource lives: every create answers its Location beside the body."""

from __future__ import annotations

from typing import Any

from flask import url_for

LOCATION_HEADER = {"Location": {"description": "where the created resource is read", "schema": {"type": "string"}}}


def created(body: Any, endpoint: str, **values: str) -> tuple[Any, int, dict[str, str]]:
    return body, 201, {"Location": url_for(endpoint, **values)}
