"""A local stand-in of Square: the part of its API the marketplace uses, with Square's documented
shapes, so the real adapter (the `squareup` SDK, authlib) runs against it unchanged.

    python -m devtools.square_standin --port 8089 --webhook-url http://127.0.0.1:8000/webhooks/square \
        --signature-key KEY

What it serves:
- OAuth: GET /oauth2/authorize (an approval page), POST /oauth2/token (authorization_code with PKCE,
  refresh_token), POST /oauth2/revoke.
- GET /v2/locations; payments (create with or without autocomplete, complete, cancel, get), refunds,
  customers, orders, invoices (create, publish, get), all with Square's idempotency-key rules.
- Square's sandbox card nonces: cnon:card-nonce-ok and the documented declines.
- Signed webhooks (x-square-hmacsha256-signature) to --webhook-url, in order, from one sender thread.
- GET /_standin/card-form: a tiny page that hands out test nonces (for a web front end).
- /_control/...: switches for tests (latency, failing the next calls, revoking a merchant,
  expiring a hold, paying an invoice, re-delivering an event, listing deliveries).

Refresh tokens follow Square's two flows: a code exchanged with a PKCE verifier gives a single-use
refresh token that lasts 90 days (each refresh answers a new one; the spent one is refused from then on);
a code-flow refresh token never expires and is handed back unchanged by every refresh.

Demo merchants: a code-flow refresh token ``sandbox-demo-refresh-<name>`` is pre-issued for every <name>
(a merchant ``DEMO-<NAME>`` with one location), so demo sellers come already connected, and connect again
with the same token after the stand-in restarts.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import hmac
import html
import json
import os
import pickle
import queue
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEMO_REFRESH_TOKEN_PREFIX = "sandbox-demo-refresh-"
OK_NONCE = "cnon:card-nonce-ok"
# Square's documented sandbox nonces that decline, with the error code Square answers.
DECLINING_NONCES = {
    "cnon:card-nonce-declined": "CARD_DECLINED",
    "cnon:card-nonce-rejected-cvv": "CVV_FAILURE",
    "cnon:card-nonce-rejected-postalcode": "ADDRESS_VERIFICATION_FAILURE",
    "cnon:card-nonce-rejected-expiration": "INVALID_EXPIRATION",
}
ACCESS_TOKEN_LIFETIME = timedelta(days=30)
PKCE_REFRESH_TOKEN_LIFETIME = timedelta(days=90)
AUTHORIZATION_CODE_LIFETIME = timedelta(minutes=5)


class SquareError(Exception):
    """An answer in Square's error shape: {"errors": [{"category", "code", "detail", "field"}]}."""

    def __init__(self, status: int, category: str, code: str, detail: str, *, field_name: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        error = {"category": category, "code": code, "detail": detail}
        if field_name:
            error["field"] = field_name
        self.body = {"errors": [error], **(extra or {})}


def invalid(detail: str, field_name: str | None = None, code: str = "INVALID_VALUE") -> SquareError:
    return SquareError(400, "INVALID_REQUEST_ERROR", code, detail, field_name=field_name)


def not_found(detail: str) -> SquareError:
    return SquareError(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", detail)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)


_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def parse_duration(raw: str) -> timedelta:
    match = _DURATION.match(raw or "")
    if not match or raw in ("P", "PT") or raw.endswith("T"):
        raise invalid(f"delay_duration {raw!r} is not an RFC 3339 duration", "delay_duration")
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


def money(raw: Any, name: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("amount"), int) or isinstance(raw.get("amount"), bool) \
            or not isinstance(raw.get("currency"), str):
        raise invalid(f"{name} needs an integer amount and a currency", name, "EXPECTED_INTEGER")
    if raw["amount"] < 0:
        raise invalid(f"{name} must not be negative", name)
    return {"amount": raw["amount"], "currency": raw["currency"]}


@dataclass
class Merchant:
    id: str
    name: str
    locations: list[dict[str, Any]]


@dataclass
class Grant:
    """An access token of one merchant for the application."""

    merchant_id: str
    expires_at: datetime
    revoked: bool = False


@dataclass
class RefreshGrant:
    """A refresh token: single-use and expiring (PKCE flow), or reusable forever (code flow)."""

    merchant_id: str
    single_use: bool
    expires_at: datetime | None = None


@dataclass
class Control:
    latency_seconds: float = 0.0
    # What the next API calls do instead of answering: "error" (500) or "timeout" (hang, then 500),
    # or "answer-lost" (carry the call out, then hang and answer 500: the caller cannot tell).
    failures: list[str] = field(default_factory=list)
    timeout_seconds: float = 5.0
    access_token_lifetime: timedelta = ACCESS_TOKEN_LIFETIME


class Square:
    """The state of the stand-in; every method runs under one lock."""

    # What Square remembers across a restart when --state-file is given (`make run` keeps it in var/):
    # the merchants, the tokens issued to them and what was done with them, as sellers' stored
    # tokens and orders' payment ids still refer to them.
    DURABLE = ("merchants", "grants", "refresh_tokens", "spent_refresh_tokens", "payments", "refunds", "customers",
               "orders", "invoices", "owner", "idempotency", "events", "_sequence")

    def __init__(self, *, application_id: str, application_secret: str, webhook_url: str | None,
                 signature_key: str, currency: str, public_url: str) -> None:
        self.application_id = application_id
        self.application_secret = application_secret
        self.webhook_url = webhook_url
        self.signature_key = signature_key
        self.currency = currency
        self.public_url = public_url
        self.lock = threading.RLock()
        self.control = Control()
        self.merchants: dict[str, Merchant] = {}
        self.grants: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, RefreshGrant] = {}
        # Every refresh_token grant asked for, with its outcome, for tests (GET /_control/token-refreshes).
        self.token_refreshes: list[dict[str, Any]] = []
        self.spent_refresh_tokens: dict[str, str] = {}  # used single-use token -> merchant id (for that log)
        self.authorization_requests: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.owner: dict[str, str] = {}  # object id -> merchant id
        self.idempotency: dict[tuple[str, str, str], tuple[str, int, dict[str, Any]]] = {}
        self.events: dict[str, tuple[str, str]] = {}  # event id -> (body, signature)
        self.deliveries: list[dict[str, Any]] = []
        self.outbox: queue.Queue[str | None] = queue.Queue()
        self._sequence = 0
        self.state_file: Path | None = None

    def load(self, state_file: Path) -> None:
        self.state_file = state_file
        if state_file.exists():
            # The stand-in's own file, written by save() below; never anything received over HTTP.
            for name, value in pickle.loads(state_file.read_bytes()).items():  # noqa: S301
                setattr(self, name, value)

    def save(self) -> None:
        if self.state_file is None:
            return
        partial = self.state_file.with_suffix(".partial")
        partial.write_bytes(pickle.dumps({name: getattr(self, name) for name in self.DURABLE}))
        os.replace(partial, self.state_file)  # a crash mid-write leaves the previous state whole

    # -- merchants and tokens ------------------------------------------------------------------

    def new_merchant(self, merchant_id: str | None = None, name: str | None = None, location_count: int = 1) -> Merchant:
        merchant_id = merchant_id or "ML" + secrets.token_hex(6).upper()
        self._sequence += 1
        name = name or f"Sandbox Seller {self._sequence}"
        created = iso(now())
        locations = [{
            "id": "L" + secrets.token_hex(6).upper(), "name": name if i == 0 else f"{name} #{i + 1}",
            "merchant_id": merchant_id, "status": "ACTIVE", "type": "PHYSICAL", "currency": self.currency,
            "country": "ES", "language_code": "es-ES", "timezone": "Europe/Madrid", "business_name": name,
            "capabilities": ["CREDIT_CARD_PROCESSING", "AUTOMATIC_TRANSFERS"], "created_at": created,
        } for i in range(location_count)]
        merchant = Merchant(merchant_id, name, locations)
        self.merchants[merchant_id] = merchant
        return merchant

    def issue_tokens(self, merchant_id: str, refresh_token: str | None = None, *, pkce: bool = False) -> dict[str, Any]:
        """New tokens; ``refresh_token`` is a code-flow token handed back as it is, else a new one is issued."""
        access_token = "EAAA" + secrets.token_urlsafe(48)
        expires_at = now() + self.control.access_token_lifetime
        self.grants[access_token] = Grant(merchant_id, expires_at)
        if refresh_token is None:
            refresh_token = "EQAA" + secrets.token_urlsafe(48)
            self.refresh_tokens[refresh_token] = RefreshGrant(
                merchant_id, single_use=pkce, expires_at=now() + PKCE_REFRESH_TOKEN_LIFETIME if pkce else None)
        answer = {"access_token": access_token, "token_type": "bearer", "expires_at": iso(expires_at),
                  "merchant_id": merchant_id, "refresh_token": refresh_token, "short_lived": False}
        refresh_expires_at = self.refresh_tokens[refresh_token].expires_at
        if refresh_expires_at is not None:
            answer["refresh_token_expires_at"] = iso(refresh_expires_at)
        return answer

    def merchant_of(self, authorization: str | None) -> Merchant:
        scheme, _, token = (authorization or "").partition(" ")
        grant = self.grants.get(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED",
                              "This request could not be authorized.")
        if grant.revoked:
            raise SquareError(401, "AUTHENTICATION_ERROR", "ACCESS_TOKEN_REVOKED", "The access token has been revoked.")
        if grant.expires_at <= now():
            raise SquareError(401, "AUTHENTICATION_ERROR", "ACCESS_TOKEN_EXPIRED", "The access token has expired.")
        return self.merchants[grant.merchant_id]

    def revoke_merchant(self, merchant_id: str, revoker_type: str) -> None:
        for grant in self.grants.values():
            if grant.merchant_id == merchant_id:
                grant.revoked = True
        for token in [t for t, g in self.refresh_tokens.items() if g.merchant_id == merchant_id]:
            del self.refresh_tokens[token]
        self.emit("oauth.authorization.revoked", merchant_id, "revocation", None,
                  {"revocation": {"revoked_at": iso(now()), "revoker_type": revoker_type}})

    # -- idempotency ---------------------------------------------------------------------------

    def idempotent(self, merchant: Merchant, endpoint: str, body: dict[str, Any], action: Any) -> tuple[int, dict]:
        key = body.get("idempotency_key")
        if not isinstance(key, str) or not 1 <= len(key) <= 45:
            raise invalid("idempotency_key must be 1 to 45 characters", "idempotency_key")
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        slot = (merchant.id, endpoint, key)
        if slot in self.idempotency:
            seen, status, answer = self.idempotency[slot]
            if seen != fingerprint:
                raise invalid("The idempotency key can only be retried with the same request data.",
                              "idempotency_key", "IDEMPOTENCY_KEY_REUSED")
            return status, copy.deepcopy(answer)
        try:
            status, answer = 200, action()
        except SquareError as error:
            if error.status >= 500:
                raise
            status, answer = error.status, error.body
        self.idempotency[slot] = (fingerprint, status, copy.deepcopy(answer))
        return status, answer

    # -- webhooks ------------------------------------------------------------------------------

    def emit(self, event_type: str, merchant_id: str, data_type: str, object_id: str | None,
             obj: dict[str, Any]) -> str:
        event_id = str(uuid.uuid4())
        event = {"merchant_id": merchant_id, "type": event_type, "event_id": event_id, "created_at": iso(now()),
                 "data": {"type": data_type, "id": object_id or event_id, "object": copy.deepcopy(obj)}}
        body = json.dumps(event, separators=(",", ":"))
        self.events[event_id] = (body, self.sign(body))
        self.outbox.put(event_id)
        return event_id

    def sign(self, body: str) -> str:
        payload = ((self.webhook_url or "") + body).encode()
        return base64.b64encode(hmac.new(self.signature_key.encode(), payload, hashlib.sha256).digest()).decode()

    def deliver_forever(self) -> None:
        while (event_id := self.outbox.get()) is not None:
            with self.lock:
                body, signature = self.events[event_id]
                url = self.webhook_url
            record: dict[str, Any] = {"event_id": event_id, "type": json.loads(body)["type"], "url": url}
            if url:
                request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
                    "Content-Type": "application/json", "x-square-hmacsha256-signature": signature,
                    "Square-Initial-Delivery-Timestamp": iso(now())})
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        record["status"] = answer.status
                except urllib.error.HTTPError as error:
                    record["status"] = error.code
                except OSError as error:
                    record["status"] = None
                    record["error"] = str(error)
            with self.lock:
                self.deliveries.append(record)

    # -- payments ------------------------------------------------------------------------------

    def location(self, merchant: Merchant, location_id: str | None) -> dict[str, Any]:
        if location_id is None:
            return merchant.locations[0]
        found = next((loc for loc in merchant.locations if loc["id"] == location_id), None)
        if found is None:
            raise not_found(f"Location `{location_id}` not found.")
        return found

    def owned(self, store: dict[str, dict[str, Any]], merchant: Merchant, object_id: str, kind: str) -> dict[str, Any]:
        if object_id not in store or self.owner.get(object_id) != merchant.id:
            raise not_found(f"Could not find {kind} with id: {object_id}")
        return store[object_id]

    def create_payment(self, merchant: Merchant, body: dict[str, Any]) -> dict[str, Any]:
        source_id = body.get("source_id")
        if not isinstance(source_id, str) or not source_id:
            raise invalid("source_id is required", "source_id", "MISSING_REQUIRED_PARAMETER")
        amount = money(body.get("amount_money"), "amount_money")
        location = self.location(merchant, body.get("location_id"))
        if amount["currency"] != location["currency"]:
            raise invalid(f"This merchant can only process payments in {location['currency']}.",
                          "amount_money.currency", "CURRENCY_MISMATCH")
        if amount["amount"] == 0:
            raise invalid("amount_money must be greater than zero", "amount_money.amount")
        app_fee = money(body["app_fee_money"], "app_fee_money") if "app_fee_money" in body else None
        if app_fee and (app_fee["currency"] != amount["currency"] or app_fee["amount"] > amount["amount"]):
            raise invalid("app_fee_money must be in the payment's currency and not above it", "app_fee_money")
        autocomplete = body.get("autocomplete", True)
        delay_duration, delay_action = body.get("delay_duration"), body.get("delay_action")
        if autocomplete and (delay_duration or delay_action):
            raise invalid("delay_duration and delay_action need autocomplete=false", "delay_duration")
        if delay_action is not None and delay_action not in ("CANCEL", "COMPLETE"):
            raise invalid("delay_action must be CANCEL or COMPLETE", "delay_action")
        # Card-not-present authorizations are held up to 7 days; Square's default delay is also 7 days.
        delay = parse_duration(delay_duration) if delay_duration else timedelta(days=7)
        if not timedelta(minutes=1) <= delay <= timedelta(days=7):
            raise invalid("delay_duration must be between PT1M and P7D", "delay_duration")
        created = now()
        payment: dict[str, Any] = {
            "id": secrets.token_urlsafe(21)[:28], "created_at": iso(created), "updated_at": iso(created),
            "amount_money": amount, "total_money": amount, "approved_money": amount,
            "status": "COMPLETED" if autocomplete else "APPROVED", "source_type": "CARD",
            "card_details": {
                "status": "CAPTURED" if autocomplete else "AUTHORIZED",
                "card": {"card_brand": "VISA", "last_4": "1111", "exp_month": 11, "exp_year": 2030,
                         "fingerprint": "sq-1-standin", "card_type": "CREDIT", "bin": "411111"},
                "entry_method": "KEYED", "cvv_status": "CVV_ACCEPTED", "avs_status": "AVS_ACCEPTED",
                "statement_description": "SQ *MARKETPLACE",
            },
            "location_id": location["id"], "risk_evaluation": {"created_at": iso(created), "risk_level": "NORMAL"},
            "application_details": {"square_product": "ECOMMERCE_API", "application_id": self.application_id},
            "version_token": secrets.token_urlsafe(12),
        }
        if app_fee:
            payment["app_fee_money"] = app_fee
        for name in ("reference_id", "note", "order_id", "customer_id", "buyer_email_address"):
            if body.get(name) is not None:
                payment[name] = body[name]
        if not autocomplete:
            payment.update(delay_duration=delay_duration or "P7D", delay_action=delay_action or "CANCEL",
                           delayed_until=iso(created + delay))
        if source_id in DECLINING_NONCES:
            code = DECLINING_NONCES[source_id]
            payment.update(status="FAILED")
            payment["card_details"]["status"] = "FAILED"
            self.store_payment(merchant, payment, "payment.created")
            raise SquareError(402, "PAYMENT_METHOD_ERROR", code, "Authorization error: '" + code + "'",
                              extra={"payment": copy.deepcopy(payment)})
        if source_id != OK_NONCE:
            raise invalid("Invalid card nonce: use a sandbox test nonce such as cnon:card-nonce-ok",
                          "source_id", "INVALID_CARD_DATA")
        if autocomplete:
            self.add_receipt(payment)
        self.store_payment(merchant, payment, "payment.created")
        return {"payment": copy.deepcopy(payment)}

    def store_payment(self, merchant: Merchant, payment: dict[str, Any], event: str) -> None:
        self.payments[payment["id"]] = payment
        self.owner[payment["id"]] = merchant.id
        self.emit(event, merchant.id, "payment", payment["id"], {"payment": payment})

    def apply_delay_actions(self) -> None:
        """Square's backstop: an approved payment past delayed_until gets its delay_action."""
        moment = now()
        for payment in self.payments.values():
            if payment["status"] == "APPROVED" and datetime.fromisoformat(payment["delayed_until"]) <= moment:
                self.move_payment(payment, "CANCELED" if payment["delay_action"] == "CANCEL" else "COMPLETED")

    def add_receipt(self, payment: dict[str, Any]) -> None:
        """Square gives a COMPLETED payment its receipt: a number (the id's first four characters)
        and a public page; a payment that is only approved has neither."""
        payment["receipt_number"] = payment["id"][:4]
        payment["receipt_url"] = f"{self.public_url}/_standin/receipts/{payment['id']}"

    def move_payment(self, payment: dict[str, Any], status: str) -> None:
        if status == "COMPLETED":
            self.add_receipt(payment)
        payment["status"] = status
        payment["card_details"]["status"] = {"COMPLETED": "CAPTURED", "CANCELED": "VOIDED"}[status]
        payment["updated_at"] = iso(now())
        payment["version_token"] = secrets.token_urlsafe(12)
        self.emit("payment.updated", self.owner[payment["id"]], "payment", payment["id"], {"payment": payment})

    def complete_or_cancel(self, merchant: Merchant, payment_id: str, target: str) -> dict[str, Any]:
        self.apply_delay_actions()
        payment = self.owned(self.payments, merchant, payment_id, "payment")
        if payment["status"] != target:
            if payment["status"] != "APPROVED":
                verb = "completed" if target == "COMPLETED" else "canceled"
                raise invalid(f"Payment {payment_id} is {payment['status']} and cannot be {verb}.",
                              code="BAD_REQUEST")
            self.move_payment(payment, target)
        return {"payment": copy.deepcopy(payment)}

    def refund(self, merchant: Merchant, body: dict[str, Any]) -> dict[str, Any]:
        payment = self.owned(self.payments, merchant, str(body.get("payment_id")), "payment")
        amount = money(body.get("amount_money"), "amount_money")
        if amount["currency"] != payment["amount_money"]["currency"]:
            raise invalid("The refund currency must match the payment's.", "amount_money.currency",
                          "CURRENCY_MISMATCH")
        if payment["status"] != "COMPLETED":
            raise invalid(f"Payment {payment['id']} is {payment['status']}: only a completed payment can be "
                          "refunded.", "payment_id", "BAD_REQUEST")
        live = [r for r in self.refunds.values() if r["payment_id"] == payment["id"]
                and r["status"] not in ("REJECTED", "FAILED")]
        refunded = sum(r["amount_money"]["amount"] for r in live)
        if amount["amount"] == 0 or refunded + amount["amount"] > payment["amount_money"]["amount"]:
            raise invalid(f"The requested refund amount exceeds the amount available to refund "
                          f"({payment['amount_money']['amount'] - refunded}).", "amount_money.amount",
                          "REFUND_AMOUNT_INVALID")
        refund: dict[str, Any] = {
            "id": payment["id"] + "_" + secrets.token_hex(8), "status": "PENDING", "amount_money": amount,
            "payment_id": payment["id"], "location_id": payment["location_id"], "reason": body.get("reason"),
            "created_at": iso(now()), "updated_at": iso(now()), "destination_type": "CARD",
        }
        if "app_fee_money" in body:
            fee = money(body["app_fee_money"], "app_fee_money")
            fee_left = payment.get("app_fee_money", {"amount": 0})["amount"] - sum(
                r.get("app_fee_money", {"amount": 0})["amount"] for r in live)
            if fee["amount"] > fee_left or fee["currency"] != amount["currency"]:
                raise invalid("app_fee_money exceeds the application fee left on the payment", "app_fee_money")
            refund["app_fee_money"] = fee
        self.refunds[refund["id"]] = refund
        self.owner[refund["id"]] = merchant.id
        payment.setdefault("refund_ids", []).append(refund["id"])
        payment["refunded_money"] = {"amount": refunded + amount["amount"], "currency": amount["currency"]}
        payment["updated_at"] = iso(now())
        self.emit("refund.created", merchant.id, "refund", refund["id"], {"refund": refund})
        # Square settles refunds asynchronously: PENDING now, COMPLETED a moment later.
        threading.Timer(0.3, self.complete_refund, args=(refund["id"],)).start()
        return {"refund": copy.deepcopy(refund)}

    def complete_refund(self, refund_id: str) -> None:
        with self.lock:
            refund = self.refunds[refund_id]
            refund.update(status="COMPLETED", updated_at=iso(now()))
            self.emit("refund.updated", self.owner[refund_id], "refund", refund_id, {"refund": refund})

    # -- customers, orders, invoices --------------------------------------------------------------

    def create_customer(self, merchant: Merchant, body: dict[str, Any]) -> dict[str, Any]:
        if not any(body.get(n) for n in ("given_name", "family_name", "company_name", "email_address",
                                          "phone_number")):
            raise invalid("At least one of given_name, family_name, company_name, email_address or phone_number "
                          "is required", code="MISSING_REQUIRED_PARAMETER")
        created = iso(now())
        customer = {"id": secrets.token_hex(13).upper(), "created_at": created, "updated_at": created,
                    "preferences": {"email_unsubscribed": False}, "creation_source": "THIRD_PARTY", "version": 0}
        customer.update({k: v for k, v in body.items() if k != "idempotency_key"})
        self.customers[customer["id"]] = customer
        self.owner[customer["id"]] = merchant.id
        return {"customer": copy.deepcopy(customer)}

    def create_order(self, merchant: Merchant, body: dict[str, Any]) -> dict[str, Any]:
        requested = body.get("order")
        if not isinstance(requested, dict):
            raise invalid("order is required", "order", "MISSING_REQUIRED_PARAMETER")
        location = self.location(merchant, requested.get("location_id"))
        items = requested.get("line_items") or []
        if not items:
            raise invalid("An order needs at least one line item", "order.line_items")
        lines, total = [], 0
        for index, item in enumerate(items):
            price = money(item.get("base_price_money"), f"order.line_items[{index}].base_price_money")
            if price["currency"] != location["currency"]:
                raise invalid("Line item currencies must match the location's", "order.line_items",
                              "CURRENCY_MISMATCH")
            try:
                quantity = int(item.get("quantity", ""))
            except ValueError:
                raise invalid("quantity must be a whole number in a string", f"order.line_items[{index}].quantity")
            gross = price["amount"] * quantity
            total += gross
            zero = {"amount": 0, "currency": price["currency"]}
            lines.append({"uid": secrets.token_hex(11), "name": item.get("name"), "quantity": str(quantity),
                          "item_type": "ITEM", "base_price_money": price,
                          "variation_total_price_money": {"amount": gross, "currency": price["currency"]},
                          "gross_sales_money": {"amount": gross, "currency": price["currency"]},
                          "total_tax_money": zero, "total_discount_money": zero,
                          "total_money": {"amount": gross, "currency": price["currency"]}})
        currency = location["currency"]
        zero = {"amount": 0, "currency": currency}
        created = iso(now())
        order = {"id": secrets.token_urlsafe(21)[:28], "location_id": location["id"], "line_items": lines,
                 "state": "OPEN", "version": 1, "created_at": created, "updated_at": created,
                 "total_money": {"amount": total, "currency": currency}, "total_tax_money": zero,
                 "total_discount_money": zero, "total_tip_money": zero, "total_service_charge_money": zero,
                 "net_amount_due_money": {"amount": total, "currency": currency}, "source": {"name": "Marketplace"}}
        for name in ("reference_id", "customer_id"):
            if requested.get(name) is not None:
                order[name] = requested[name]
        self.orders[order["id"]] = order
        self.owner[order["id"]] = merchant.id
        return {"order": copy.deepcopy(order)}

    def create_invoice(self, merchant: Merchant, body: dict[str, Any]) -> dict[str, Any]:
        requested = body.get("invoice")
        if not isinstance(requested, dict):
            raise invalid("invoice is required", "invoice", "MISSING_REQUIRED_PARAMETER")
        order = self.owned(self.orders, merchant, str(requested.get("order_id")), "order")
        if any(i["order_id"] == order["id"] for i in self.invoices.values()):
            raise invalid("An invoice already exists for this order.", "invoice.order_id", "BAD_REQUEST")
        customer_id = (requested.get("primary_recipient") or {}).get("customer_id")
        customer = self.owned(self.customers, merchant, str(customer_id), "customer")
        requests = requested.get("payment_requests") or []
        if len(requests) != 1 or requests[0].get("request_type") != "BALANCE" or not requests[0].get("due_date"):
            raise invalid("One BALANCE payment request with a due_date is required", "invoice.payment_requests")
        created = iso(now())
        zero = {"amount": 0, "currency": order["total_money"]["currency"]}
        self._sequence += 1
        invoice = {
            "id": "inv:0-" + secrets.token_urlsafe(18), "version": 0, "location_id": order["location_id"],
            "order_id": order["id"], "status": "DRAFT", "invoice_number": f"{self._sequence:06d}",
            "primary_recipient": {"customer_id": customer["id"], "given_name": customer.get("given_name"),
                                  "email_address": customer.get("email_address")},
            "payment_requests": [{"uid": secrets.token_hex(16), "request_type": "BALANCE",
                                  "due_date": requests[0]["due_date"], "tipping_enabled": False,
                                  "automatic_payment_source": "NONE",
                                  "computed_amount_money": order["total_money"],
                                  "total_completed_amount_money": zero}],
            "delivery_method": requested.get("delivery_method", "EMAIL"),
            "accepted_payment_methods": {"card": True, "square_gift_card": False, "bank_account": False,
                                         "buy_now_pay_later": False, "cash_app_pay": False,
                                         **(requested.get("accepted_payment_methods") or {})},
            "title": requested.get("title"), "description": requested.get("description"),
            "timezone": "Etc/UTC", "created_at": created, "updated_at": created,
            "store_payment_method_enabled": False,
        }
        self.invoices[invoice["id"]] = invoice
        self.owner[invoice["id"]] = merchant.id
        self.emit("invoice.created", merchant.id, "invoice", invoice["id"], {"invoice": invoice})
        return {"invoice": copy.deepcopy(invoice)}

    def publish_invoice(self, merchant: Merchant, invoice_id: str, body: dict[str, Any]) -> dict[str, Any]:
        invoice = self.owned(self.invoices, merchant, invoice_id, "invoice")
        if body.get("version") != invoice["version"]:
            raise invalid(f"The invoice version is {invoice['version']}", "version", "VERSION_MISMATCH")
        if invoice["status"] != "DRAFT":
            raise invalid("Only a draft invoice can be published", code="BAD_REQUEST")
        invoice.update(status="UNPAID", version=invoice["version"] + 1, updated_at=iso(now()),
                       public_url=f"{self.public_url}/pay-invoice/{invoice_id}",
                       next_payment_amount_money=invoice["payment_requests"][0]["computed_amount_money"])
        self.emit("invoice.published", merchant.id, "invoice", invoice_id, {"invoice": invoice})
        return {"invoice": copy.deepcopy(invoice)}

    def pay_invoice(self, invoice_id: str) -> dict[str, Any]:
        invoice = self.invoices.get(invoice_id)
        if invoice is None or invoice["status"] not in ("UNPAID", "PARTIALLY_PAID"):
            raise invalid("only a published, unpaid invoice can be paid")
        request = invoice["payment_requests"][0]
        request["total_completed_amount_money"] = request["computed_amount_money"]
        invoice.update(status="PAID", version=invoice["version"] + 1, updated_at=iso(now()))
        invoice.pop("next_payment_amount_money", None)
        self.emit("invoice.payment_made", self.owner[invoice_id], "invoice", invoice_id, {"invoice": invoice})
        return {"invoice": copy.deepcopy(invoice)}


class Handler(BaseHTTPRequestHandler):
    square: Square
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        sys.stderr.write("square-standin: " + (format % args) + "\n")

    # -- plumbing ------------------------------------------------------------------------------

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise invalid("The request body is not valid JSON", code="INVALID_CONTENT_TYPE") from None
        if not isinstance(parsed, dict):
            raise invalid("The request body must be a JSON object")
        return parsed

    def _send(self, status: int, body: Any, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else (json.dumps(body) if content_type == "application/json"
                                                      else str(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    _answer_lost: float | None = None  # seconds to hang before losing this request's answer

    def _dispatch(self, method: str) -> None:
        self._answer_lost = None  # one handler serves every request of a kept-alive connection
        parsed = urllib.parse.urlsplit(self.path)
        path, query = parsed.path, dict(urllib.parse.parse_qsl(parsed.query))
        for route_method, pattern, handler, is_api in ROUTES:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                try:
                    if is_api and self._injected_fault():
                        return
                    body = self._body() if method in ("POST", "PUT") else {}
                    with self.square.lock:
                        self.square.apply_delay_actions()
                        try:
                            result = handler(self, query=query, body=body, **match.groupdict())
                        finally:
                            self.square.save()
                    if self._answer_lost is not None:
                        # Done, but the caller never hears of it: the case only idempotency keys make safe.
                        time.sleep(self._answer_lost)
                        self._send(500, {"errors": [{"category": "API_ERROR", "code": "INTERNAL_SERVER_ERROR",
                                                     "detail": "The answer was lost (injected by a test)."}]})
                        return
                    if result is not None:
                        status, payload = result
                        self._send(status, payload)
                except SquareError as error:
                    self._send(error.status, error.body)
                return
        self._send(404, {"errors": [{"category": "INVALID_REQUEST_ERROR", "code": "NOT_FOUND",
                                     "detail": f"{method} {path} is not served by the Square stand-in"}]})

    def _injected_fault(self) -> bool:
        with self.square.lock:
            control = self.square.control
            latency = control.latency_seconds
            fault = control.failures.pop(0) if control.failures else None
            hang = control.timeout_seconds
        if latency:
            time.sleep(latency)
        self._answer_lost = hang if fault == "answer-lost" else None
        if fault is None or fault == "answer-lost":
            return False
        if fault == "timeout":
            time.sleep(hang)
        self._send(500, {"errors": [{"category": "API_ERROR", "code": "INTERNAL_SERVER_ERROR",
                                     "detail": "An internal error has occurred (injected by a test)."}]})
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    # -- OAuth ---------------------------------------------------------------------------------

    def authorize_page(self, *, query: dict[str, str], body: dict[str, Any]) -> None:
        square = self.square
        if query.get("client_id") != square.application_id:
            self._send(400, "<p>Unknown client_id.</p>", "text/html; charset=utf-8")
            return None
        redirect_uri = query.get("redirect_uri")
        if not redirect_uri:
            self._send(400, "<p>redirect_uri is required by this stand-in.</p>", "text/html; charset=utf-8")
            return None
        if query.get("code_challenge") and query.get("code_challenge_method", "plain") != "S256":
            self._send(400, "<p>code_challenge_method must be S256.</p>", "text/html; charset=utf-8")
            return None
        request_id = secrets.token_urlsafe(16)
        square.authorization_requests[request_id] = {
            "redirect_uri": redirect_uri, "state": query.get("state"), "scope": query.get("scope", ""),
            "code_challenge": query.get("code_challenge")}
        scopes = "".join(f"<li>{html.escape(s)}</li>" for s in re.split(r"[ +]", query.get("scope", "")) if s)
        decide = f"/oauth2/authorize/decision?request={request_id}"
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Square (stand-in): authorize</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:3em auto">
<h1>Square sandbox (local stand-in)</h1>
<p>The marketplace asks to access your Square account:</p><ul>{scopes}</ul>
<p><a id="approve" href="{decide}&amp;approve=1">Approve</a> &nbsp;
<a id="deny" href="{decide}&amp;approve=0">Deny</a></p>
<p><small>Approving connects a new sandbox merchant with one location.</small></p>
</body></html>"""
        self._send(200, page, "text/html; charset=utf-8")
        return None

    def authorize_decision(self, *, query: dict[str, str], body: dict[str, Any]) -> None:
        square = self.square
        request = square.authorization_requests.pop(query.get("request", ""), None)
        if request is None:
            self._send(400, "<p>Unknown or used authorization request.</p>", "text/html; charset=utf-8")
            return None
        params: dict[str, str] = {}
        if query.get("approve") == "1":
            merchant = square.merchants.get(query.get("merchant_id", "")) or square.new_merchant(
                location_count=max(1, min(5, int(query.get("locations", "1") or 1))))
            code = "sq0cgp-" + secrets.token_urlsafe(24)
            square.codes[code] = {"merchant_id": merchant.id, "redirect_uri": request["redirect_uri"],
                                  "code_challenge": request["code_challenge"],
                                  "expires_at": now() + AUTHORIZATION_CODE_LIFETIME}
            params["code"] = code
            params["response_type"] = "code"
        else:
            params.update(error="access_denied", error_description="user_denied")
        if request["state"] is not None:
            params["state"] = request["state"]
        separator = "&" if "?" in request["redirect_uri"] else "?"
        self._send(302, b"", "text/plain", {"Location": request["redirect_uri"] + separator
                                             + urllib.parse.urlencode(params)})
        return None

    def token(self, *, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict]:
        square = self.square
        if body.get("client_id") != square.application_id:
            raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "Invalid client_id.")
        grant_type = body.get("grant_type")
        if grant_type == "authorization_code":
            grant = square.codes.pop(str(body.get("code")), None)
            if grant is None or grant["expires_at"] <= now():
                raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED",
                                  "The authorization code is invalid, used or expired.")
            if body.get("redirect_uri") not in (None, grant["redirect_uri"]):
                raise invalid("redirect_uri does not match the authorization request", "redirect_uri")
            if grant["code_challenge"]:
                verifier = str(body.get("code_verifier") or "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if not hmac.compare_digest(digest, grant["code_challenge"]):
                    raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED",
                                      "The code_verifier does not match the code_challenge.")
            elif body.get("client_secret") != square.application_secret:
                raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "Invalid client_secret.")
            return 200, square.issue_tokens(grant["merchant_id"], pkce=bool(grant["code_challenge"]))
        if grant_type == "refresh_token":
            return self._refresh(str(body.get("refresh_token")), body.get("client_secret"))
        raise invalid("grant_type must be authorization_code or refresh_token", "grant_type")

    def _refresh(self, refresh_token: str, client_secret: Any) -> tuple[int, dict]:
        square = self.square
        grant = square.refresh_tokens.get(refresh_token)
        if grant is None and refresh_token.startswith(DEMO_REFRESH_TOKEN_PREFIX):
            grant = RefreshGrant(self._demo_merchant(refresh_token), single_use=False)
            square.refresh_tokens[refresh_token] = grant
        merchant_id = grant.merchant_id if grant else square.spent_refresh_tokens.get(refresh_token)
        log = {"merchant_id": merchant_id, "at": iso(now())}
        if grant is None or (grant.expires_at is not None and grant.expires_at <= now()):
            square.token_refreshes.append({**log, "outcome": "refused: invalid, used or expired"})
            raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED",
                              "The refresh token is invalid, expired, revoked or was already used.")
        # The PKCE flow sends no client secret; the code flow must send the right one.
        if (client_secret is not None or not grant.single_use) and client_secret != square.application_secret:
            square.token_refreshes.append({**log, "outcome": "refused: client_secret"})
            raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "Invalid client_secret.")
        square.token_refreshes.append({**log, "outcome": "issued"})
        if grant.single_use:
            del square.refresh_tokens[refresh_token]
            square.spent_refresh_tokens[refresh_token] = grant.merchant_id
            return 200, square.issue_tokens(grant.merchant_id, pkce=True)
        # Code-flow refresh tokens do not rotate: Square hands back the same one.
        return 200, square.issue_tokens(grant.merchant_id, refresh_token)

    def _demo_merchant(self, refresh_token: str) -> str:
        name = refresh_token[len(DEMO_REFRESH_TOKEN_PREFIX):]
        merchant_id = "DEMO-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")
        if merchant_id not in self.square.merchants:
            self.square.new_merchant(merchant_id, name=f"Demo {name}")
        return merchant_id

    def revoke(self, *, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict]:
        square = self.square
        if self.headers.get("Authorization") != f"Client {square.application_secret}" \
                or body.get("client_id") != square.application_id:
            raise SquareError(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "Send 'Authorization: Client <secret>'.")
        merchant_id = body.get("merchant_id")
        if merchant_id is None and body.get("access_token") in square.grants:
            merchant_id = square.grants[body["access_token"]].merchant_id
        if merchant_id not in square.merchants:
            raise not_found("No authorization of this application for that merchant.")
        square.revoke_merchant(merchant_id, "APPLICATION")
        return 200, {"success": True}

    # -- the API -------------------------------------------------------------------------------

    def _merchant(self) -> Merchant:
        return self.square.merchant_of(self.headers.get("Authorization"))

    def locations(self, **_: Any) -> tuple[int, dict]:
        return 200, {"locations": copy.deepcopy(self._merchant().locations)}

    def create_payment(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        return self.square.idempotent(merchant, "payments", body, lambda: self.square.create_payment(merchant, body))

    def get_payment(self, *, payment_id: str, **_: Any) -> tuple[int, dict]:
        return 200, {"payment": copy.deepcopy(self.square.owned(self.square.payments, self._merchant(), payment_id,
                                                                "payment"))}

    def complete_payment(self, *, payment_id: str, **_: Any) -> tuple[int, dict]:
        return 200, self.square.complete_or_cancel(self._merchant(), payment_id, "COMPLETED")

    def cancel_payment(self, *, payment_id: str, **_: Any) -> tuple[int, dict]:
        return 200, self.square.complete_or_cancel(self._merchant(), payment_id, "CANCELED")

    def refund(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        return self.square.idempotent(merchant, "refunds", body, lambda: self.square.refund(merchant, body))

    def get_refund(self, *, refund_id: str, **_: Any) -> tuple[int, dict]:
        return 200, {"refund": copy.deepcopy(self.square.owned(self.square.refunds, self._merchant(), refund_id,
                                                               "refund"))}

    def create_customer(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        if "idempotency_key" not in body:
            return 200, self.square.create_customer(merchant, body)
        return self.square.idempotent(merchant, "customers", body, lambda: self.square.create_customer(merchant, body))

    def create_order(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        return self.square.idempotent(merchant, "orders", body, lambda: self.square.create_order(merchant, body))

    def create_invoice(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        return self.square.idempotent(merchant, "invoices", body, lambda: self.square.create_invoice(merchant, body))

    def publish_invoice(self, *, invoice_id: str, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        merchant = self._merchant()
        if "idempotency_key" not in body:
            return 200, self.square.publish_invoice(merchant, invoice_id, body)
        return self.square.idempotent(merchant, f"invoices/{invoice_id}/publish", body,
                                      lambda: self.square.publish_invoice(merchant, invoice_id, body))

    def get_invoice(self, *, invoice_id: str, **_: Any) -> tuple[int, dict]:
        return 200, {"invoice": copy.deepcopy(self.square.owned(self.square.invoices, self._merchant(), invoice_id,
                                                                "invoice"))}

    # -- the test card form --------------------------------------------------------------------

    def receipt_page(self, *, payment_id: str, **_: Any) -> None:
        with self.square.lock:
            payment = self.square.payments.get(payment_id)
            if payment is None or "receipt_url" not in payment:
                self._send(404, "no such receipt", "text/plain; charset=utf-8")
                return
            amount = payment["amount_money"]
            refunded = sum(self.square.refunds[r]["amount_money"]["amount"] for r in payment.get("refund_ids", [])
                           if self.square.refunds[r]["status"] in ("PENDING", "COMPLETED"))
        page = (f"<!doctype html><meta charset='utf-8'><title>Receipt #{html.escape(payment['receipt_number'])}</title>"
                f"<h1>Receipt #{html.escape(payment['receipt_number'])}</h1>"
                f"<p>Paid {amount['amount'] / 100:.2f} {html.escape(amount['currency'])} on "
                f"{html.escape(payment['updated_at'])} with {html.escape(payment['card_details']['card']['card_brand'])} "
                f"ending {html.escape(payment['card_details']['card']['last_4'])}.</p>"
                + (f"<p>Refunded {refunded / 100:.2f} {html.escape(amount['currency'])}.</p>" if refunded else ""))
        self._send(200, page, "text/html; charset=utf-8")

    def card_form(self, **_: Any) -> None:
        choices = [(OK_NONCE, "Approved (Visa 4111 1111 1111 1111)")] + [
            (nonce, f"Declined: {code}") for nonce, code in DECLINING_NONCES.items()]
        buttons = "".join(f'<li><button type="button" data-nonce="{html.escape(n)}">{html.escape(label)}</button>'
                          f" <code>{html.escape(n)}</code></li>" for n, label in choices)
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Test card (Square stand-in)</title></head>
<body style="font-family:sans-serif"><h3>Pay with a Square sandbox test card</h3><ul>{buttons}</ul>
<p>Nonce: <output id="nonce"></output></p>
<script>
for (const b of document.querySelectorAll("button[data-nonce]")) b.addEventListener("click", () => {{
  document.getElementById("nonce").textContent = b.dataset.nonce;
  // A front end embeds this page and receives the nonce, as it would from Square's Web Payments SDK.
  if (window.parent !== window) window.parent.postMessage({{source: "square-standin", nonce: b.dataset.nonce}}, "*");
}});
</script></body></html>"""
        self._send(200, page, "text/html; charset=utf-8")

    # -- test control --------------------------------------------------------------------------

    def control_state(self, **_: Any) -> tuple[int, dict]:
        square = self.square
        return 200, {"latency_seconds": square.control.latency_seconds, "failures": list(square.control.failures),
                     "merchants": [m.id for m in square.merchants.values()], "payments": len(square.payments),
                     "refunds": len(square.refunds), "invoices": len(square.invoices)}

    def control_payments(self, *, query: dict[str, str], **_: Any) -> tuple[int, dict]:
        """Every payment, or those with ``reference_id``: how many charges an order really made."""
        wanted = query.get("reference_id")
        payments = [copy.deepcopy(p) for p in self.square.payments.values()
                    if wanted is None or p.get("reference_id") == wanted]
        return 200, {"payments": payments}

    def control_faults(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        control = self.square.control
        control.latency_seconds = float(body.get("latency_seconds", control.latency_seconds))
        control.timeout_seconds = float(body.get("timeout_seconds", control.timeout_seconds))
        mode = body.get("mode", "error")
        if mode not in ("error", "timeout", "answer-lost"):
            raise invalid("mode must be error, timeout or answer-lost", "mode")
        control.failures = [mode] * int(body.get("fail_next", 0))
        return 200, {"latency_seconds": control.latency_seconds, "failures": list(control.failures)}

    def control_token_lifetime(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        self.square.control.access_token_lifetime = timedelta(seconds=float(body["seconds"]))
        return 200, {"seconds": self.square.control.access_token_lifetime.total_seconds()}

    def control_token_refreshes(self, **_: Any) -> tuple[int, dict]:
        return 200, {"token_refreshes": copy.deepcopy(self.square.token_refreshes)}

    def control_revoke(self, *, merchant_id: str, **_: Any) -> tuple[int, dict]:
        if merchant_id not in self.square.merchants:
            raise not_found(f"no merchant {merchant_id}")
        self.square.revoke_merchant(merchant_id, "MERCHANT")
        return 200, {"revoked": merchant_id}

    def control_expire_hold(self, *, payment_id: str, **_: Any) -> tuple[int, dict]:
        payment = self.square.payments.get(payment_id)
        if payment is None or payment["status"] != "APPROVED":
            raise invalid("only an approved payment has a hold to expire")
        payment["delayed_until"] = iso(now())
        self.square.apply_delay_actions()
        return 200, {"payment": copy.deepcopy(payment)}

    def control_pay_invoice(self, *, invoice_id: str, **_: Any) -> tuple[int, dict]:
        return 200, self.square.pay_invoice(invoice_id)

    def control_webhook_url(self, *, body: dict[str, Any], **_: Any) -> tuple[int, dict]:
        self.square.webhook_url = body.get("url") or None
        return 200, {"url": self.square.webhook_url}

    def control_deliveries(self, **_: Any) -> tuple[int, dict]:
        return 200, {"deliveries": copy.deepcopy(self.square.deliveries)}

    def control_redeliver(self, *, event_id: str, **_: Any) -> tuple[int, dict]:
        if event_id not in self.square.events:
            raise not_found(f"no event {event_id}")
        self.square.outbox.put(event_id)
        return 200, {"redelivering": event_id}

    def control_event(self, *, event_id: str, **_: Any) -> tuple[int, dict]:
        if event_id not in self.square.events:
            raise not_found(f"no event {event_id}")
        body, signature = self.square.events[event_id]
        return 200, {"body": body, "signature": signature}


def _route(method: str, pattern: str, handler: Any, *, api: bool = True) -> tuple[str, re.Pattern[str], Any, bool]:
    return method, re.compile(pattern), handler, api


ROUTES = [
    _route("GET", r"/oauth2/authorize", Handler.authorize_page),
    _route("GET", r"/oauth2/authorize/decision", Handler.authorize_decision, api=False),
    _route("POST", r"/oauth2/token", Handler.token),
    _route("POST", r"/oauth2/revoke", Handler.revoke),
    _route("GET", r"/v2/locations", Handler.locations),
    _route("POST", r"/v2/payments", Handler.create_payment),
    _route("GET", r"/v2/payments/(?P<payment_id>[^/]+)", Handler.get_payment),
    _route("POST", r"/v2/payments/(?P<payment_id>[^/]+)/complete", Handler.complete_payment),
    _route("POST", r"/v2/payments/(?P<payment_id>[^/]+)/cancel", Handler.cancel_payment),
    _route("POST", r"/v2/refunds", Handler.refund),
    _route("GET", r"/v2/refunds/(?P<refund_id>[^/]+)", Handler.get_refund),
    _route("POST", r"/v2/customers", Handler.create_customer),
    _route("POST", r"/v2/orders", Handler.create_order),
    _route("POST", r"/v2/invoices", Handler.create_invoice),
    _route("GET", r"/v2/invoices/(?P<invoice_id>[^/]+)", Handler.get_invoice),
    _route("POST", r"/v2/invoices/(?P<invoice_id>[^/]+)/publish", Handler.publish_invoice),
    _route("GET", r"/_standin/card-form", Handler.card_form, api=False),
    _route("GET", r"/_standin/receipts/(?P<payment_id>[^/]+)", Handler.receipt_page, api=False),
    _route("GET", r"/_control/state", Handler.control_state, api=False),
    _route("POST", r"/_control/faults", Handler.control_faults, api=False),
    _route("GET", r"/_control/payments", Handler.control_payments, api=False),
    _route("POST", r"/_control/token-lifetime", Handler.control_token_lifetime, api=False),
    _route("GET", r"/_control/token-refreshes", Handler.control_token_refreshes, api=False),
    _route("POST", r"/_control/merchants/(?P<merchant_id>[^/]+)/revoke", Handler.control_revoke, api=False),
    _route("POST", r"/_control/payments/(?P<payment_id>[^/]+)/expire-hold", Handler.control_expire_hold, api=False),
    _route("POST", r"/_control/invoices/(?P<invoice_id>[^/]+)/pay", Handler.control_pay_invoice, api=False),
    _route("PUT", r"/_control/webhook-url", Handler.control_webhook_url, api=False),
    _route("GET", r"/_control/webhooks", Handler.control_deliveries, api=False),
    _route("GET", r"/_control/webhooks/(?P<event_id>[^/]+)", Handler.control_event, api=False),
    _route("POST", r"/_control/webhooks/(?P<event_id>[^/]+)/redeliver", Handler.control_redeliver, api=False),
]


def serve(port: int, square: Square, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"square": square})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=square.deliver_forever, name="webhooks", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--webhook-url", default=None, help="where signed webhooks are POSTed (none: not sent)")
    parser.add_argument("--signature-key", default="standin-webhook-signature-key")
    parser.add_argument("--application-id", default="sandbox-sq0idb-marketplace-local")
    parser.add_argument("--application-secret", default="sandbox-sq0csb-marketplace-local-secret")
    parser.add_argument("--currency", default="EUR", help="the currency of every merchant's locations")
    parser.add_argument("--state-file", type=Path, default=None,
                        help="keep merchants, tokens and payments here across restarts (default: memory only)")
    args = parser.parse_args(argv)
    square = Square(application_id=args.application_id, application_secret=args.application_secret,
                    webhook_url=args.webhook_url, signature_key=args.signature_key, currency=args.currency,
                    public_url=f"http://{args.host}:{args.port}")
    if args.state_file is not None:
        args.state_file.parent.mkdir(parents=True, exist_ok=True)
        square.load(args.state_file)
    server = serve(args.port, square, args.host)
    print(f"Square stand-in on http://{args.host}:{args.port} (webhooks to {args.webhook_url or 'nowhere'})",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        square.outbox.put(None)
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
