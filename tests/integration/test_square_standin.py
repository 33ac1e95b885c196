"""The stand-in's own rules, seen as raw HTTP (the gateway tests see them through the SDK)."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse

import pytest
import requests
from square.types.create_payment_response import CreatePaymentResponse
from square.types.obtain_token_response import ObtainTokenResponse

from config import DEVELOPMENT_SQUARE_APPLICATION_ID as CLIENT_ID
from config import DEVELOPMENT_SQUARE_APPLICATION_SECRET as CLIENT_SECRET

pytestmark = pytest.mark.integration


def token(square_url: str, name: str) -> str:
    answer = requests.post(f"{square_url}/oauth2/token", timeout=5, json={
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "refresh_token",
        "refresh_token": f"sandbox-demo-refresh-{name}"})
    assert answer.status_code == 200
    return ObtainTokenResponse.model_validate(answer.json()).access_token


def pay(square_url: str, access_token: str | None, **body) -> requests.Response:
    headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
    return requests.post(f"{square_url}/v2/payments", headers=headers, timeout=5, json={
        "source_id": "cnon:card-nonce-ok", "idempotency_key": "k-1",
        "amount_money": {"amount": 1_000, "currency": "EUR"}, **body})


def test_the_api_needs_a_token_it_issued(square_url):
    for access_token in (None, "made-up"):
        answer = pay(square_url, access_token)
        assert answer.status_code == 401
        assert answer.json()["errors"][0]["category"] == "AUTHENTICATION_ERROR"


def test_errors_have_squares_shape(square_url):
    access_token = token(square_url, "shapes")
    first = pay(square_url, access_token)
    assert CreatePaymentResponse.model_validate(first.json()).payment.status == "COMPLETED"
    reused = pay(square_url, access_token, amount_money={"amount": 2_000, "currency": "EUR"})
    assert reused.status_code == 400 and reused.json()["errors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    declined = pay(square_url, access_token, source_id="cnon:card-nonce-declined", idempotency_key="k-2")
    assert declined.status_code == 402
    assert declined.json()["errors"][0] == {"category": "PAYMENT_METHOD_ERROR", "code": "CARD_DECLINED",
                                            "detail": "Authorization error: 'CARD_DECLINED'"}
    assert declined.json()["payment"]["status"] == "FAILED"


def test_a_code_needs_the_pkce_verifier_of_its_challenge(square_url):
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    page = requests.get(f"{square_url}/oauth2/authorize", timeout=5, params={
        "client_id": CLIENT_ID, "redirect_uri": "http://app.test/cb", "state": "s1", "code_challenge": challenge,
        "code_challenge_method": "S256", "scope": "PAYMENTS_WRITE"})
    approve = re.search(r'id="approve" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    back = requests.get(square_url + approve, allow_redirects=False, timeout=5).headers["Location"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    assert query["state"] == "s1"
    exchange = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "authorization_code",
                "code": query["code"], "redirect_uri": "http://app.test/cb"}
    wrong = requests.post(f"{square_url}/oauth2/token", json={**exchange, "code_verifier": "x" * 64}, timeout=5)
    assert wrong.status_code == 401
    # A failed exchange used the code up, as Square does: start again for a good one.
    assert requests.post(f"{square_url}/oauth2/token", json={**exchange, "code_verifier": verifier},
                         timeout=5).status_code == 401


def test_the_test_card_form_offers_the_sandbox_nonces(square_url):
    page = requests.get(f"{square_url}/_standin/card-form", timeout=5)
    assert page.status_code == 200
    for nonce in ("cnon:card-nonce-ok", "cnon:card-nonce-declined", "cnon:card-nonce-rejected-cvv"):
        assert nonce in page.text


def pkce_tokens(square_url: str) -> dict:
    verifier = "w" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    page = requests.get(f"{square_url}/oauth2/authorize", timeout=5, params={
        "client_id": CLIENT_ID, "redirect_uri": "http://app.test/cb", "state": "s2", "code_challenge": challenge,
        "code_challenge_method": "S256", "scope": "PAYMENTS_WRITE"})
    approve = re.search(r'id="approve" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    back = requests.get(square_url + approve, allow_redirects=False, timeout=5).headers["Location"]
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))["code"]
    answer = requests.post(f"{square_url}/oauth2/token", timeout=5, json={
        "client_id": CLIENT_ID, "grant_type": "authorization_code", "code": code, "code_verifier": verifier})
    assert answer.status_code == 200
    return answer.json()


def refresh(square_url: str, refresh_token: str, **extra) -> requests.Response:
    return requests.post(f"{square_url}/oauth2/token", timeout=5, json={
        "client_id": CLIENT_ID, "grant_type": "refresh_token", "refresh_token": refresh_token, **extra})


def test_a_pkce_refresh_token_is_single_use_and_each_refresh_issues_a_new_one(square_url):
    first = pkce_tokens(square_url)
    assert ObtainTokenResponse.model_validate(first).refresh_token_expires_at  # 90 days, as Square says
    second = refresh(square_url, first["refresh_token"])  # the PKCE flow sends no client secret
    assert second.status_code == 200
    renewed = ObtainTokenResponse.model_validate(second.json())
    assert renewed.refresh_token != first["refresh_token"] and renewed.merchant_id == first["merchant_id"]
    reused = refresh(square_url, first["refresh_token"])
    assert reused.status_code == 401
    assert reused.json()["errors"][0]["category"] == "AUTHENTICATION_ERROR"
    assert refresh(square_url, renewed.refresh_token, client_secret=CLIENT_SECRET).status_code == 200
    outcomes = [r["outcome"] for r in requests.get(f"{square_url}/_control/token-refreshes", timeout=5)
                .json()["token_refreshes"] if r["merchant_id"] == first["merchant_id"]]
    assert outcomes == ["issued", "refused: invalid, used or expired", "issued"]


def test_a_code_flow_refresh_token_is_reusable_and_handed_back_unchanged(square_url):
    demo = "sandbox-demo-refresh-reusable"
    for _ in range(3):
        answer = refresh(square_url, demo, client_secret=CLIENT_SECRET)
        assert answer.status_code == 200 and answer.json()["refresh_token"] == demo
        assert "refresh_token_expires_at" not in answer.json()
    assert refresh(square_url, demo).status_code == 401  # the code flow needs the client secret


def test_with_a_state_file_tokens_and_payments_survive_a_restart(tmp_path):
    from devtools.processes import free_port, running
    from devtools.services import square_standin

    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def standin():
        return square_standin(port, webhook_url=None, signature_key="k", application_id=CLIENT_ID,
                              application_secret=CLIENT_SECRET, log_path=tmp_path / "square.log",
                              state_file=tmp_path / "square" / "state.pickle")

    with running(standin()):
        demo_access = token(url, "restart")
        first = pkce_tokens(url)
        spent, newest = first["refresh_token"], refresh(url, first["refresh_token"]).json()["refresh_token"]
        payment = pay(url, demo_access).json()["payment"]
        locations = requests.get(f"{url}/v2/locations", headers={"Authorization": f"Bearer {demo_access}"},
                                 timeout=5).json()["locations"]
    with running(standin()):
        after = requests.get(f"{url}/v2/locations", headers={"Authorization": f"Bearer {demo_access}"}, timeout=5)
        assert after.status_code == 200 and after.json()["locations"] == locations
        assert requests.get(f"{url}/v2/payments/{payment['id']}", timeout=5,
                            headers={"Authorization": f"Bearer {demo_access}"}).json()["payment"] == payment
        assert refresh(url, spent).status_code == 401
        assert refresh(url, newest).status_code == 200


def test_a_lost_answer_means_the_call_was_carried_out_and_a_timeout_means_it_was_not(square_url):
    access_token = token(square_url, "faults")
    reference = f"order-{base64.b32encode(hashlib.sha256(square_url.encode()).digest()[:5]).decode()}"

    def charges() -> list[dict]:
        return requests.get(f"{square_url}/_control/payments", params={"reference_id": reference},
                            timeout=5).json()["payments"]

    requests.post(f"{square_url}/_control/faults", timeout=5,
                  json={"fail_next": 1, "mode": "timeout", "timeout_seconds": 0.2}).raise_for_status()
    assert pay(square_url, access_token, idempotency_key="t-1", reference_id=reference).status_code == 500
    assert charges() == []

    requests.post(f"{square_url}/_control/faults", timeout=5,
                  json={"fail_next": 1, "mode": "answer-lost", "timeout_seconds": 0.2}).raise_for_status()
    lost = pay(square_url, access_token, idempotency_key="t-2", reference_id=reference)
    assert lost.status_code == 500 and "lost" in lost.json()["errors"][0]["detail"]
    [charged] = charges()

    again = pay(square_url, access_token, idempotency_key="t-2", reference_id=reference)
    assert again.status_code == 200 and again.json()["payment"]["id"] == charged["id"]
    assert len(charges()) == 1

    refused = requests.post(f"{square_url}/_control/faults", json={"fail_next": 1, "mode": "slow"}, timeout=5)
    assert refused.status_code == 400 and "answer-lost" in refused.text
