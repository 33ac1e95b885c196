"""``flask openapi-export``: the API's OpenAPI document as a file, to import into a gateway
(Apigee, Kong...) or a client generator. The same document the app serves at /openapi.json."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("openapi-export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="openapi.json",
              show_default=True, help="File to write; '-' for standard output.")
@click.option("--server", "server_url", default=None,
              help="Base URL the gateway forwards to (default: PUBLIC_BASE_URL).")
@with_appcontext
def openapi_export(output: str, server_url: str | None) -> None:
    """Write the OpenAPI 3 document of every route."""
    document = dict(current_app.extensions["api"].spec.to_dict())
    document["servers"] = [{"url": server_url or current_app.extensions["settings"].public_base_url}]
    text = json.dumps(document, indent=2, sort_keys=False) + "\n"
    if output == "-":
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8") as file:
        file.write(text)
    click.echo(f"wrote {output}: {len(document.get('paths', {}))} paths, OpenAPI {document['openapi']}", err=True)
