"""The web front end calls the API from the browser: its origin is allowed, others are not."""

from __future__ import annotations

WEB = "http://127.0.0.1:3000"


def test_preflight_from_the_web_front_end_is_allowed(client):
    response = client.options("/orders", headers={"Origin": WEB, "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "authorization, idempotency-key"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == WEB
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_a_page_of_the_front_end_can_read_the_pagination_header(client):
    response = client.get("/services", headers={"Origin": WEB})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == WEB
    assert "X-Pagination" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_other_origins_get_no_cors_headers(client):
    response = client.options("/orders", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in client.get("/services", headers={"Origin": "https://evil.example"}).headers
    assert "Access-Control-Allow-Credentials" not in response.headers
