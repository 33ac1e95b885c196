import base64
import json

import pytest

from tests.http.helpers import PASSWORD, auth, login, register, signed_in


def assert_error(response, status: int, field: str | None = None):
    assert response.status_code == status, response.json
    body = response.json
    assert body["code"] == status and body["message"]
    if field:
        assert field in body["message"], body
    return body


class TestRegister:
    def test_creates_an_account_without_exposing_the_hash(self, client):
        body = register(client, "Ana@Example.com")
        assert body["email"] == "ana@example.com" and body["roles"] == ["buyer"]
        assert not any("password" in key or "hash" in key for key in body)

    def test_seller_gets_both_roles(self, client):
        assert register(client, "s@example.com", role="seller")["roles"] == ["buyer", "seller"]

    def test_duplicate_email_is_409_naming_the_field(self, client):
        register(client, "ana@example.com")
        body = assert_error(client.post("/auth/register", json={"email": "ANA@example.com", "password": PASSWORD,
                                                                "display_name": "x"}), 409, "email")
        assert "duplicate key" not in json.dumps(body).lower()

    @pytest.mark.parametrize(("payload", "field"), [
        ({"password": PASSWORD, "display_name": "A"}, "email"),
        ({"email": "a@x.com", "display_name": "A"}, "password"),
        ({"email": "a@x.com", "password": PASSWORD}, "display_name"),
        ({"email": {"$gt": ""}, "password": PASSWORD, "display_name": "A"}, "email"),
        ({"email": "a@x.com", "password": {"$ne": None}, "display_name": "A"}, "password"),
        ({"email": 12, "password": PASSWORD, "display_name": "A"}, "email"),
        ({"email": "not-an-email", "password": PASSWORD, "display_name": "A"}, "email"),
        ({"email": "a@x.com", "password": "short", "display_name": "A"}, "password"),
        ({"email": "a@x.com", "password": PASSWORD, "display_name": "A", "role": "admin"}, "role"),
        ({"email": "a@x.com", "password": PASSWORD, "display_name": "A", "role": "wizard"}, "role"),
        ({"email": "a@x.com", "password": PASSWORD, "display_name": "   "}, "display_name"),
        ({"email": "a@x.com", "password": PASSWORD, "display_name": "A", "is_admin": True}, "is_admin"),
    ])
    def test_bad_input_is_422_naming_the_field(self, client, payload, field):
        assert_error(client.post("/auth/register", json=payload), 422, field)

    def test_malformed_json_is_400(self, client):
        assert_error(client.post("/auth/register", data="{not json", content_type="application/json"), 400)

    def test_a_json_array_body_is_rejected(self, client):
        assert client.post("/auth/register", json=["a"]).status_code in (400, 422)

    def test_huge_body_is_413(self, client):
        assert_error(client.post("/auth/register", data="x" * 2_000_000, content_type="application/json"), 413)


class TestLogin:
    def test_returns_a_bearer_pair(self, client):
        register(client, "ana@example.com")
        pair = login(client, "ana@example.com")
        assert pair["token_type"] == "Bearer" and pair["expires_in"] == 900 and pair["refresh_token"]

    def test_unknown_email_and_wrong_password_are_the_same_401(self, client):
        register(client, "ana@example.com")
        unknown = client.post("/auth/login", json={"email": "bob@example.com", "password": PASSWORD})
        wrong = client.post("/auth/login", json={"email": "ana@example.com", "password": "wrong-password"})
        assert unknown.status_code == wrong.status_code == 401
        assert unknown.json == wrong.json

    def test_too_many_failures_give_429_with_retry_after(self, client):
        register(client, "ana@example.com")
        for _ in range(5):
            client.post("/auth/login", json={"email": "ana@example.com", "password": "wrong-password"})
        response = client.post("/auth/login", json={"email": "ana@example.com", "password": PASSWORD})
        assert_error(response, 429)
        assert int(response.headers["Retry-After"]) > 0

    def test_operator_injection_is_422(self, client):
        assert_error(client.post("/auth/login", json={"email": {"$gt": ""}, "password": {"$gt": ""}}), 422, "email")


class TestTokens:
    def test_refresh_rotates_and_a_reused_token_is_401(self, client, clock):
        register(client, "ana@example.com")
        first = login(client, "ana@example.com")
        second = client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200
        clock.advance(seconds=16)
        reused = client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert_error(reused, 401)
        assert reused.json["reason"] == "refresh_token_reused"

    def test_logout_ends_the_session(self, client):
        register(client, "ana@example.com")
        pair = login(client, "ana@example.com")
        assert client.post("/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
        assert_error(client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]}), 401)

    def test_expired_token_is_401(self, client, clock):
        headers = signed_in(client, "ana@example.com")
        clock.advance(minutes=16)
        assert_error(client.get("/me", headers=headers), 401)

    @pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic abc", "Bearer not.a.jwt", "Bearer a.b.c"])
    def test_missing_or_malformed_token_is_401(self, client, header):
        assert_error(client.get("/me", headers={"Authorization": header} if header else {}), 401)

    def test_tampered_token_is_401(self, client):
        headers = signed_in(client, "ana@example.com")
        token = headers["Authorization"].split()[1]
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["roles"] = ["admin"]
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        assert_error(client.get("/me", headers={"Authorization": f"Bearer {header}.{forged}.{signature}"}), 401)

    def test_alg_none_token_is_401(self, client):
        headers = signed_in(client, "ana@example.com")
        _, payload, _ = headers["Authorization"].split()[1].split(".")
        none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
        assert_error(client.get("/me", headers={"Authorization": f"Bearer {none_header}.{payload}."}), 401)


class TestMe:
    def test_reads_and_updates_the_own_account(self, client):
        headers = signed_in(client, "ana@example.com")
        assert client.get("/me", headers=headers).json["email"] == "ana@example.com"
        updated = client.patch("/me", headers=headers, json={"display_name": "Ana G.", "phone": "+34 600 123 456"})
        assert updated.status_code == 200
        assert updated.json["display_name"] == "Ana G." and updated.json["phone"] == "+34600123456"

    def test_becoming_a_seller(self, client):
        headers = signed_in(client, "ana@example.com")
        assert client.patch("/me", headers=headers, json={"become_seller": True}).json["roles"] == ["buyer", "seller"]

    @pytest.mark.parametrize(("payload", "field"), [({"phone": "12"}, "phone"), ({"display_name": ""}, "display_name"),
                                                    ({"roles": ["admin"]}, "roles")])
    def test_bad_updates_are_422(self, client, payload, field):
        headers = signed_in(client, "ana@example.com")
        assert_error(client.patch("/me", headers=headers, json=payload), 422, field)

    def test_password_change_signs_out_other_sessions(self, client):
        register(client, "ana@example.com")
        laptop = login(client, "ana@example.com")
        phone = login(client, "ana@example.com")
        changed = client.post("/me/password", headers=auth(laptop),
                              json={"current_password": PASSWORD, "new_password": "a-brand-new-password"})
        assert changed.status_code == 200
        assert_error(client.get("/me", headers=auth(phone)), 401)
        assert_error(client.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]}), 401)
        assert client.get("/me", headers=auth(changed.json)).status_code == 200

    def test_password_change_needs_the_current_password(self, client):
        headers = signed_in(client, "ana@example.com")
        assert_error(client.post("/me/password", headers=headers,
                                 json={"current_password": "wrong-password", "new_password": "a-brand-new-password"}), 401)

    def test_anonymous_gets_401(self, client):
        assert_error(client.get("/me"), 401)
        assert_error(client.patch("/me", json={"display_name": "x"}), 401)


class TestPlatform:
    def test_health(self, client, fakes):
        assert client.get("/health/live").json == {"status": "alive"}
        assert client.get("/health/ready").status_code == 200
        fakes.readiness[1].up = False
        ready = client.get("/health/ready")
        assert ready.status_code == 503 and ready.json["checks"]["kafka"]["up"] is False

    def test_swagger_ui_is_served_offline(self, client):
        page = client.get("/docs")
        assert page.status_code == 200 and b"/docs/assets/swagger-ui-bundle.js" in page.data
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
        spec = client.get("/openapi.json").json
        assert "/auth/login" in spec["paths"] and "bearerAuth" in spec["components"]["securitySchemes"]

    def test_unknown_route_and_method_are_json(self, client):
        assert_error(client.get("/no-such-thing"), 404)
        assert_error(client.delete("/auth/login"), 405)
