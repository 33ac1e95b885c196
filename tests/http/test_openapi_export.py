from __future__ import annotations

import json


def test_openapi_export_writes_the_served_document_with_the_gateway_target(app, client, tmp_path):
    output = tmp_path / "openapi.json"
    result = app.test_cli_runner().invoke(args=["openapi-export", "--output", str(output),
                                                "--server", "https://backend.internal"])
    assert result.exit_code == 0, result.output
    exported = json.loads(output.read_text())
    served = client.get("/openapi.json").json
    assert exported["paths"] == served["paths"] and "/auth/login" in exported["paths"]
    assert exported["components"] == served["components"]
    assert exported["servers"] == [{"url": "https://backend.internal"}]
    assert "/metrics" not in exported["paths"]


def test_openapi_export_defaults_to_the_public_base_url_on_stdout(app):
    result = app.test_cli_runner().invoke(args=["openapi-export", "--output", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output)["servers"] == [{"url": "http://127.0.0.1:8000"}]
