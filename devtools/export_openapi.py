"""Write the API's OpenAPI document, for the web front end's typed client:
`python -m devtools.export_openapi web/openapi.json`, then `npm --prefix web run gen:api`.

The app is wired to the in-memory fakes: the document depends on the routes and schemas only, and
exporting it needs no running database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def openapi_document() -> dict:
    from bootstrap import create_app
    from tests.conftest import test_settings
    from tests.fakes import FakeClock, FakesModule

    app = create_app(test_settings(), extra_modules=[FakesModule(FakeClock())])
    return app.test_client().get("/openapi.json").get_json()


def render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render(openapi_document()), encoding="utf-8")
