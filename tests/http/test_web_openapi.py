"""The web front end's typed client is generated from web/openapi.json; it must be what the API exports now.
web/src/api/schema.test.ts checks the generated types against that file in turn."""

from __future__ import annotations

import json

from devtools.export_openapi import openapi_document, render
from devtools.processes import REPO_ROOT

COMMITTED = REPO_ROOT / "web" / "openapi.json"
HOW_TO_FIX = ("web/openapi.json differs from the API's document: run `python -m devtools.export_openapi "
              "web/openapi.json && npm --prefix web run gen:api`, then fix the front end where the types changed")


def test_the_committed_document_is_what_the_api_exports():
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == openapi_document(), HOW_TO_FIX


def test_the_committed_document_is_in_the_exporters_format():
    assert COMMITTED.read_text(encoding="utf-8") == render(openapi_document()), HOW_TO_FIX
