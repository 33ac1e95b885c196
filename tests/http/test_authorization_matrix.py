"""Who may call what: every route of the app, for seven people, with the exact status each gets.

The world: "buyer" and "seller" own one of everything (services, a profile, orders in each state
between them, an inquiry, a support request and its ticket, a notification, reviews, a Square
connection); "buyer2" and "seller2" are other people of the same roles, with a profile, working
hours and a Square connection of seller2's own; "support" and "admin" are staff. Every request sends
a valid body, so the status is decided by authorization alone. A cell expected to change something
(a 2xx on a write) gets the resources of its path made anew, so the next cell of the row still
finds the state it needs; refusals share them.

No answer of the whole matrix may carry a traceback, a password hash, someone else's token or
e-mail (but a counterpart's, once the seller accepted), or a seller's Square token.

A route missing from MATRIX fails ``test_every_route_has_a_row``, naming it: a new route needs a
decision about who may call it."""

from __future__ import annotations

import io
import json
import re
import string
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from application.accounts.use_cases import CreateStaffAccount, CreateStaffAccountCommand
from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.orders.ports import Contact
from application.privacy.use_cases import BuildPendingExports
from application.support.use_cases import OpenTicket, OpenTicketCommand
from bootstrap import create_app
from domain.orders.order import ServiceSnapshot
from domain.orders.pricing import PriceModel
from domain.shared.access import Role
from domain.shared.money import Money
from domain.support.events import SUPPORT_REQUESTS_TOPIC
from domain.support.requests import Category
from tests.conftest import test_settings
from tests.fakes import FakesModule
from tests.images import photo

PASSWORD = "a-long-enough-password-1"
ACTORS = ("anonymous", "buyer", "buyer2", "seller", "seller2", "support", "admin")
PEOPLE = ACTORS[1:]

PROFILE = {"display_name": "Carlos", "headline": "Fontanero", "bio": "Arreglo fugas.", "years_experience": 5,
           "languages": ["es"], "service_areas": ["Madrid"], "working_hours": [], "accepting_jobs": True}
SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos y arreglo fugas.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 5000, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid"], "tags": []}
QUOTE_SERVICE = {**SERVICE, "title": "Reforma de baño", "price_model": "quote", "price": None}
WEEKLY = [{"weekday": day, "start": "08:00", "end": "20:00"}
          for day in ("monday", "tuesday", "wednesday", "thursday", "friday")]
AVAILABILITY = {"time_zone": "Europe/Madrid", "buffer_minutes": 0, "weekly_hours": WEEKLY}
SUPPORT_REQUEST = {"category": "payments", "subject": "Charged twice", "description": "Two charges for one order"}
WEBHOOK_EVENT = json.dumps({"merchant_id": "MERCHANT-1", "type": "invoice.payment_made", "event_id": "evt-1",
                            "created_at": "2026-11-23T10:00:00Z",
                            "data": {"type": "invoice", "id": "inv-1",
                                     "object": {"invoice": {"id": "inv-1", "status": "PAID"}}}})


# ---------------------------------------------------------------------------------------------
# The world: people up front, everything else made on first use, and made anew for a cell that
# will change it.
# ---------------------------------------------------------------------------------------------
class World:
    def __init__(self) -> None:
        self.fakes = FakesModule()
        # Starting a job waits for its day, so the clock walks forward to each slot that is started:
        # the sessions must outlive that walk. One buyer books every order of the matrix and pays few:
        # room for them under the unpaid caps.
        self.app = create_app(test_settings(access_token_ttl_seconds=60 * 24 * 3600, max_unpaid_bookings=100,
                                            max_unpaid_bookings_per_seller=100), extra_modules=[self.fakes])
        self.app.config["TESTING"] = True
        self.client = self.app.test_client()
        self.ids: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        self.tokens: dict[str, dict] = {}  # actor -> the token pair its requests use
        self.issued: list[tuple[str, dict]] = []  # every (owner, token pair) handed out
        self._made: dict[str, str] = {}
        # Reviews are reported and hidden by side; the buyer's review is the public one.
        self.ids["buyer_side"] = "buyer"
        self._slots = self._free_slots()
        self._serial = 0
        for actor in ("buyer", "buyer2", "visitor"):
            self._register(actor, "buyer")
        for actor in ("seller", "seller2"):
            self._register(actor, "seller")
        self._staff("support", Role.SUPPORT)
        self._staff("admin", Role.ADMIN)
        for actor in PEOPLE:
            self.tokens[actor] = self.session(actor)
        for seller in ("seller", "seller2"):
            self.ok("PUT", "/me/seller-profile", seller, {**PROFILE, "display_name": seller.title()})
            self.upload("PUT", "/me/seller-profile/photo", seller, PHOTO)
            self.ok("PUT", "/me/availability", seller, AVAILABILITY)
            self.ok("GET", self.square_callback(seller), "anonymous", status=303)  # back to the web panel

    # -- plumbing ------------------------------------------------------------------------------
    def headers(self, actor: str) -> dict[str, str]:
        if actor == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.tokens[actor]['access_token']}"}

    def ok(self, method: str, path: str, actor: str, body: Any = None, status: int = 200) -> dict:
        """A setup step: it must work, or the world is not what the matrix assumes."""
        headers = {**self.headers(actor), "Idempotency-Key": uuid.uuid4().hex}
        response = self.client.open(path, method=method, headers=headers, json=body)
        assert response.status_code == status, (method, path, actor, response.status_code, response.get_data())
        return response.json if response.is_json else {}

    def upload(self, method: str, path: str, actor: str, content: bytes, status: int = 200) -> dict:
        response = self.client.open(path, method=method, headers=self.headers(actor),
                                    data={"file": (io.BytesIO(content), "photo.jpg", "image/jpeg")})
        assert response.status_code == status, (method, path, actor, response.status_code, response.get_data())
        return response.json

    def unique(self) -> int:
        self._serial += 1
        return self._serial

    def _register(self, actor: str, role: str) -> None:
        email = f"{actor}@example.com"
        account = self.ok("POST", "/auth/register", "anonymous",
                          {"email": email, "password": PASSWORD, "display_name": actor.title(), "role": role}, 201)
        self.ids[f"{actor}_id"], self.emails[actor] = account["id"], email
        self.fakes.people.add(Contact(account["id"], actor.title(), email))

    def _staff(self, actor: str, role: Role) -> None:
        email = f"{actor}@example.com"
        with self.app.app_context():
            user = self.app.extensions["injector"].get(CreateStaffAccount).execute(CreateStaffAccountCommand(
                email=email, password=PASSWORD, display_name=actor.title(), role=role))
        self.ids[f"{actor}_id"], self.emails[actor] = user.id, email

    def session(self, actor: str) -> dict:
        """A new sign-in of ``actor`` (anonymous callers use the visitor's account)."""
        owner = "visitor" if actor == "anonymous" else actor
        pair = self.ok("POST", "/auth/login", "anonymous", {"email": self.emails[owner], "password": PASSWORD})
        self.issued.append((owner, pair))
        return pair

    @staticmethod
    def _free_slots():
        """Working hours nobody has booked: weekdays from 7 December, one hour apart."""
        day = datetime(2026, 12, 7, tzinfo=UTC)
        while True:
            if day.weekday() < 5:
                for hour in range(8, 20):
                    yield f"{day.date().isoformat()}T{hour:02d}:00:00+01:00"
            day += timedelta(days=1)

    def slot(self) -> str:
        return next(self._slots)

    def on_the_day_of(self, slot: str) -> None:
        """The clock only walks forward: every later slot is still ahead of it."""
        self.fakes.clock.current = max(self.fakes.clock.current, datetime.fromisoformat(slot))

    def use_case(self, kind: type) -> Any:
        return self.app.extensions["injector"].get(kind)

    # -- resources by name: ``get`` shares one, ``make`` makes another -------------------------
    def get(self, name: str) -> str:
        if name in self.ids:
            return self.ids[name]
        if name not in self._made:
            self._made[name] = self.make(name)
        return self._made[name]

    def make(self, name: str) -> str:
        if name in self.ids:  # people and fixed names are never made anew
            return self.ids[name]
        return getattr(self, f"_make_{name}")()

    def square_callback(self, seller: str) -> str:
        """Where Square sends the seller's browser back; its state is single use."""
        authorize_url = self.ok("POST", "/me/square-connection", seller, status=201)["authorize_url"]
        state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))["state"]
        code = self.fakes.square_oauth.approve(state, merchant_id=f"MERCHANT-{seller.upper()}")
        return f"/square/oauth/callback?code={code}&state={state}&response_type=code"

    def _make_oauth_callback(self) -> str:
        # A seller who has not connected yet, so each callback completes a first connection.
        newcomer = f"newcomer{self.unique()}"
        self._register(newcomer, "seller")
        self.tokens[newcomer] = self.session(newcomer)
        return self.square_callback(newcomer)

    def _service(self, body: dict, model: PriceModel, price: Money | None) -> str:
        service_id = self.ok("POST", "/services", "seller", body, 201)["id"]
        # The orders context books from its own copy of the catalog (a fake here).
        self.fakes.catalog.add(ServiceSnapshot(service_id, self.ids["seller_id"], body["title"], model, price, 60))
        return service_id

    def _make_service(self) -> str:
        return self._service(SERVICE, PriceModel.FIXED, Money(5000, "EUR"))

    def _make_quote_service(self) -> str:
        return self._service(QUOTE_SERVICE, PriceModel.QUOTE, None)

    def _make_service_photo(self) -> str:
        """The path of a photo of a new service of the seller's."""
        service_id = self._make_service()
        service = self.upload("POST", f"/services/{service_id}/photos", "seller", PHOTO, 201)
        return f"/services/{service_id}/photos/{service['photos'][0]['id']}"

    def _make_image(self) -> str:
        """The path of the seller's photo, as the API serves it (PUBLIC_BASE_URL stripped)."""
        profile = self.ok("GET", f"/sellers/{self.ids['seller_id']}", "anonymous")
        return urllib.parse.urlsplit(profile["photo"]["card_url"]).path

    def _make_paused_service(self) -> str:
        service_id = self._make_service()
        self.ok("POST", f"/services/{service_id}/pause", "seller")
        return service_id

    def _make_time_off(self) -> str:
        return self.ok("POST", "/me/time-off", "seller", self.time_off_body(), 201)["id"]

    def time_off_body(self) -> dict:
        # A day of its own from summer 2027 on, far from every slot booked here.
        start = datetime(2027, 7, 1, 9, tzinfo=UTC) + timedelta(days=self.unique())
        return {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(), "note": "Dentista"}

    def _order(self, *steps: tuple[str, str, dict | None], on_the_day: bool = False) -> str:
        start = self.slot()
        order_id = self.ok("POST", "/orders", "buyer", {"service_id": self.get("service"), "start": start,
                                                        "address": "Calle Mayor 1"}, 201)["order"]["id"]
        for actor, action, body in steps:
            if action == "start":
                self.on_the_day_of(start)
            self.ok("POST", f"/orders/{order_id}/{action}", actor, body)
        if on_the_day:
            self.on_the_day_of(start)
        return order_id

    PAY = ("buyer", "payment", {"source_id": "cnon:card-nonce-ok"})  # Square's test nonce of a good card
    ACCEPT = ("seller", "accept", None)
    START = ("seller", "start", None)
    COMPLETE = ("buyer", "complete", None)

    def _make_pending(self) -> str:
        return self._order()

    def _make_authorized(self) -> str:
        return self._order(self.PAY)

    def _make_accepted(self) -> str:
        # Its day has come, so its seller may start it.
        return self._order(self.PAY, self.ACCEPT, on_the_day=True)

    def _make_in_progress(self) -> str:
        return self._order(self.PAY, self.ACCEPT, self.START)

    def _make_completed(self) -> str:
        return self._order(self.PAY, self.ACCEPT, self.START, self.COMPLETE)

    def _make_reviewed(self) -> str:
        """Both sides reviewed: the buyer's review is published, public, and has no reply yet."""
        order_id = self._make_completed()
        self.ok("POST", f"/orders/{order_id}/reviews", "buyer", {"stars": 4, "text": "Bien"}, 201)
        self.ok("POST", f"/orders/{order_id}/reviews", "seller", {"stars": 5, "text": "Amable"}, 201)
        return order_id

    def _make_quote_requested(self) -> str:
        return self.ok("POST", f"/services/{self.get('quote_service')}/quote-requests", "buyer",
                       {"start": self.slot(), "address": "Calle Mayor 1", "message": "Tres baños"}, 201)["order"]["id"]

    def _make_quote_offered(self) -> str:
        order_id = self._make_quote_requested()
        self.ok("POST", f"/orders/{order_id}/quote", "seller", {"price": {"amount": 40000, "currency": "EUR"}})
        return order_id

    def _make_conversation(self) -> str:
        # Asking again about the same service continues its thread: a new thread needs a new service.
        return self.ok("POST", "/conversations", "buyer", {"service_id": self._make_service(),
                                                           "text": "¿Podéis venir el lunes?"}, 201)["id"]

    def _make_message(self) -> str:
        return self.ok("POST", f"/conversations/{self.get('conversation')}/messages", "buyer",
                       {"text": "¿Y el martes?"}, 201)["id"]

    def _make_support_request(self) -> str:
        """The buyer's request, with the ticket the support worker opens from its event."""
        request_id = self.ok("POST", "/support/requests", "buyer", SUPPORT_REQUEST, 202)["id"]
        [message] = [m for m in self.fakes.outbox.messages(topic=SUPPORT_REQUESTS_TOPIC)
                     if m.payload["request_id"] == request_id]
        p = message.payload
        self.use_case(OpenTicket).execute(OpenTicketCommand(
            request_id=request_id, user_id=p["user_id"], category=Category(p["category"]), subject=p["subject"],
            description=p["description"], submitted_at=message.occurred_at))
        return request_id

    def _make_ticket(self) -> str:
        return self._make_support_request()  # one ticket per request, with the request's id

    def _make_export(self) -> str:
        return self.ok("POST", "/me/export", "buyer", status=202)["id"]

    def _make_export_download(self) -> str:
        """The buyer's ready archive: its link, with the signed token only the buyer may use."""
        export_id = self.get("export")
        self.use_case(BuildPendingExports).execute()
        return self.ok("GET", f"/me/exports/{export_id}", "buyer")["download_url"]

    def _make_notification(self) -> str:
        serial = self.unique()
        self.use_case(DeliverNotifications).execute(IncomingEvent(
            event_id=f"evt-{serial}", name="orders.order_paid", occurred_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
            payload={"recipient_ids": [self.ids["buyer_id"]], "title": f"Aviso {serial}", "body": "b"}))
        inbox = self.ok("GET", "/notifications", "buyer")["items"]
        return next(n["id"] for n in inbox if n["title"] == f"Aviso {serial}")


# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Raw:
    """A body sent as it is, with its own headers (Square's signed webhook)."""

    data: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Multipart:
    """A file upload (multipart/form-data, field ``file``)."""

    content: bytes


PHOTO = photo(320, 240)
Body = dict | Raw | Multipart | Callable[[World, str], dict] | None


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    path: str  # {names} are the world's resources (World.get) or people's ids ({buyer_id})
    body: Body
    expected: tuple[int, ...]  # one status per actor, in the order of ACTORS
    # A GET that changes something (a single-use OAuth state): its 2xx cells need their own resource.
    changes: bool = False
    # The cell changes the person (their password, their Square connection): not in the shared world.
    own_world: bool = False


def row(*args: Any, body: Body = None, query: str = "", path: str = "", changes: bool = False,
        own_world: bool = False) -> Row:
    """``row(anonymous, buyer, buyer2, seller, seller2, support, admin, "METHOD /rule", *resources)``:
    each ``<part>`` of the rule, in order, is filled with the world's resource of that name."""
    expected, (route, *resources) = args[:len(ACTORS)], args[len(ACTORS):]
    method, rule = route.split(" ", 1)
    parts = re.split(r"<(?:\w+:)?\w+>", rule)
    assert len(parts) == len(resources) + 1, f"{route}: one resource per <part>"
    if not path:
        path = parts[0] + "".join(f"{{{name}}}{rest}" for name, rest in zip(resources, parts[1:], strict=True))
    return Row(method, rule, path + (f"?{query}" if query else ""), body, tuple(expected), changes, own_world)


def _login(world: World, actor: str) -> dict:
    owner = "visitor" if actor == "anonymous" else actor
    return {"email": world.emails[owner], "password": PASSWORD}


def _new_account(world: World, actor: str) -> dict:
    return {"email": f"new{world.unique()}@example.com", "password": PASSWORD, "display_name": "Nueva"}


def _own_refresh_token(world: World, actor: str) -> dict:
    return {"refresh_token": world.session(actor)["refresh_token"]}


def _booking(world: World, actor: str) -> dict:
    return {"service_id": world.get("service"), "start": world.slot(), "address": "Calle Mayor 1"}


def _quote_request(world: World, actor: str) -> dict:
    return {"start": world.slot(), "address": "Calle Mayor 1", "message": "Tres baños"}


def _time_off(world: World, actor: str) -> dict:
    return world.time_off_body()


def _inquiry(world: World, actor: str) -> dict:
    return {"service_id": world.get("service"), "text": "¿Tenéis hueco?"}


PASSWORD_CHANGE = {"current_password": PASSWORD, "new_password": "another-long-password-2"}
PAY = {"source_id": "cnon:card-nonce-ok"}
EUR_10 = {"amount": {"amount": 1000, "currency": "EUR"}, "reason": "goodwill"}
QUOTE = {"price": {"amount": 40000, "currency": "EUR"}, "message": "Materiales incluidos"}
TEXT = {"text": "Hola"}
REVIEW = {"stars": 5, "text": "Bien"}
REPLY = {"body": "Lo miramos"}
RENAME = {"title": "Grifos"}
TWO_DAYS = "from=2026-12-07&to=2026-12-08"
REASON = {"reason": "spam"}
SIGNED_WEBHOOK = Raw(WEBHOOK_EVENT, {"x-square-hmacsha256-signature": "good-signature",
                                     "Content-Type": "application/json"})
# 404: the caller may not learn that the thing exists (DEVELOPERS.md); 403: their role may not do
# this, or the thing is public anyway (a service) and they are not its owner.
MATRIX: list[Row] = [
    # Statuses for: anonymous, buyer, buyer2, seller, seller2, support, admin; then the route, the
    # world's resources that fill its <parts>, and a valid body.
    # -- accounts --------------------------------------------------------------------------------------------------
    row(201, 201, 201, 201, 201, 201, 201,  "POST /auth/register", body=_new_account),
    row(200, 200, 200, 200, 200, 200, 200,  "POST /auth/login", body=_login),
    row(200, 200, 200, 200, 200, 200, 200,  "POST /auth/refresh", body=_own_refresh_token),
    row(204, 204, 204, 204, 204, 204, 204,  "POST /auth/logout", body=_own_refresh_token),
    # Anyone may ask for a reset link, for any address (the same 202 either way); a token no mail carried is 422.
    row(202, 202, 202, 202, 202, 202, 202,  "POST /auth/password-reset",
        body=lambda world, actor: {"email": f"reset{world.unique()}@example.com"}),
    row(422, 422, 422, 422, 422, 422, 422,  "POST /auth/password-reset/confirm",
        body={"token": "not-a-mailed-token", "new_password": "another-long-password-2"}),
    row(401, 200, 200, 200, 200, 200, 200,  "GET /me"),
    row(401, 200, 200, 200, 200, 200, 200,  "PATCH /me", body={"display_name": "Otro nombre"}),
    row(401, 200, 200, 200, 200, 200, 200,  "POST /me/password", body=PASSWORD_CHANGE, own_world=True),
    # Each person deletes only themselves (with their password); a world of their own, with no open order.
    row(401, 204, 204, 204, 204, 204, 204,  "DELETE /me", body={"password": PASSWORD}, own_world=True),
    # -- catalog ---------------------------------------------------------------------------------------------------
    row(200, 200, 200, 200, 200, 200, 200,  "GET /categories"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /sellers/<string:seller_id>", "seller_id"),
    row(401, 403, 403, 200, 200, 403, 403,  "GET /me/seller-profile"),
    row(401, 403, 403, 200, 200, 403, 403,  "PUT /me/seller-profile", body=PROFILE),
    row(401, 403, 403, 200, 200, 403, 403,  "PATCH /me/seller-profile", body={"headline": "Fontanero"}),
    row(401, 403, 403, 200, 200, 403, 403,  "GET /me/services"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /services", query="q=grifos"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /search/suggest", query="q=fonta"),
    row(401, 403, 403, 201, 201, 403, 403,  "POST /services", body=SERVICE),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /services/<string:service_id>", "service"),
    row(401, 403, 403, 200, 403, 403, 403,  "PATCH /services/<string:service_id>", "service", body=RENAME),
    row(401, 403, 403, 204, 403, 204, 204,  "DELETE /services/<string:service_id>", "service"),
    row(401, 403, 403, 200, 403, 403, 403,  "POST /services/<string:service_id>/pause", "service"),
    row(401, 403, 403, 200, 403, 403, 403,  "POST /services/<string:service_id>/resume", "paused_service"),
    # Photos: a seller's own; anyone may see them (public pages show them).
    row(401, 403, 403, 200, 200, 403, 403,  "PUT /me/seller-profile/photo", body=Multipart(PHOTO)),
    row(401, 403, 403, 200, 200, 403, 403,  "DELETE /me/seller-profile/photo", own_world=True),
    row(401, 403, 403, 201, 403, 403, 403,  "POST /services/<string:service_id>/photos", "service",
        body=Multipart(PHOTO)),
    row(401, 403, 403, 200, 403, 403, 403,  "PUT /services/<string:service_id>/photos/order", "service",
        body={"photo_ids": []}),
    row(401, 403, 403, 200, 403, 403, 403,  "DELETE /services/<string:service_id>/photos/<string:photo_id>",
        "service", "photo", path="{service_photo}"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /images/<string:owner_id>/<string:photo_id>/<string:variant>.webp",
        "seller_id", "photo", "variant", path="{image}"),
    # -- orders ----------------------------------------------------------------------------------------------------
    row(200, 200, 200, 200, 200, 200, 200,  "GET /services/<service_id>/slots", "service", query=TWO_DAYS),
    # Public like the slots: the price with the fee and the cancellation policy, read before booking.
    row(200, 200, 200, 200, 200, 200, 200,  "GET /services/<service_id>/booking-terms", "service"),
    row(401, 201, 201, 403, 201, 403, 403,  "POST /orders", body=_booking),
    row(401, 201, 201, 403, 201, 403, 403,  "POST /services/<service_id>/quote-requests", "quote_service", body=_quote_request),
    row(401, 200, 404, 200, 404, 200, 200,  "GET /orders/<order_id>", "authorized"),
    row(401, 200, 404, 403, 404, 403, 403,  "POST /orders/<order_id>/payment", "pending", body=PAY),
    row(401, 403, 403, 200, 404, 403, 403,  "POST /orders/<order_id>/quote", "quote_requested", body=QUOTE),
    row(401, 200, 404, 403, 404, 403, 403,  "POST /orders/<order_id>/quote/accept", "quote_offered"),
    row(401, 200, 404, 403, 404, 403, 403,  "POST /orders/<order_id>/quote/reject", "quote_offered", body=REASON),
    row(401, 403, 403, 200, 404, 403, 403,  "POST /orders/<order_id>/accept", "authorized"),
    row(401, 403, 403, 200, 404, 403, 403,  "POST /orders/<order_id>/decline", "authorized", body=REASON),
    row(401, 403, 403, 200, 404, 403, 403,  "POST /orders/<order_id>/start", "accepted"),
    row(401, 200, 404, 200, 404, 403, 403,  "POST /orders/<order_id>/complete", "in_progress"),
    row(401, 200, 404, 403, 404, 200, 200,  "POST /orders/<order_id>/cancel", "authorized", body=REASON),
    row(401, 403, 404, 201, 404, 201, 201,  "POST /orders/<order_id>/refunds", "accepted", body=EUR_10),
    row(401, 403, 404, 200, 404, 200, 200,  "POST /orders/<order_id>/invoice", "accepted"),
    row(401, 200, 200, 200, 200, 200, 200,  "GET /me/orders", query="role=buyer"),
    row(401, 403, 403, 200, 200, 403, 403,  "GET /me/availability"),
    row(401, 403, 403, 200, 200, 403, 403,  "PUT /me/availability", body=AVAILABILITY),
    row(401, 403, 403, 200, 200, 403, 403,  "PATCH /me/availability", body={"buffer_minutes": 0}),
    row(401, 403, 403, 201, 201, 403, 403,  "POST /me/time-off", body=_time_off),
    row(401, 403, 403, 204, 404, 403, 403,  "DELETE /me/time-off/<time_off_id>", "time_off"),
    # -- conversations ---------------------------------------------------------------------------------------------
    row(401, 201, 201, 403, 201, 403, 403,  "POST /conversations", body=_inquiry),
    row(401, 200, 200, 200, 200, 200, 200,  "GET /conversations"),
    row(401, 200, 200, 200, 200, 200, 200,  "GET /conversations/unread"),
    row(401, 200, 404, 200, 404, 200, 200,  "GET /conversations/<conversation_id>", "conversation"),
    row(401, 200, 404, 200, 404, 200, 200,  "GET /conversations/<conversation_id>/messages", "conversation"),
    row(401, 201, 404, 201, 404, 403, 403,  "POST /conversations/<conversation_id>/messages", "conversation", body=TEXT),
    row(401, 200, 404, 200, 404, 200, 200,  "POST /conversations/<conversation_id>/read", "conversation"),
    row(401, 200, 404, 200, 404, 200, 200,  "GET /orders/<order_id>/conversation", "accepted"),
    row(401, 201, 404, 201, 404, 403, 403,  "POST /orders/<order_id>/messages", "accepted", body=TEXT),
    row(401, 201, 404, 201, 404, 201, 201,  "POST /messages/<message_id>/report", "message", body=REASON),
    row(401, 403, 403, 403, 403, 200, 200,  "POST /messages/<message_id>/hide", "message", body=REASON),
    row(401, 403, 403, 403, 403, 200, 200,  "GET /moderation/reports"),
    # -- reviews ---------------------------------------------------------------------------------------------------
    row(401, 200, 404, 200, 404, 200, 200,  "GET /orders/<order_id>/reviews", "reviewed"),
    row(401, 201, 404, 201, 404, 403, 403,  "POST /orders/<order_id>/reviews", "completed", body=REVIEW),
    row(401, 403, 403, 201, 404, 403, 403,  "POST /orders/<order_id>/reviews/reply", "reviewed", body=TEXT),
    # A published review is public: anyone signed in may report it.
    row(401, 201, 201, 201, 201, 201, 201,  "POST /orders/<order_id>/reviews/<side>/report", "reviewed", "buyer_side", body=REASON),
    row(401, 403, 403, 403, 403, 200, 200,  "POST /orders/<order_id>/reviews/<side>/hide", "reviewed", "buyer_side", body=REASON),
    row(401, 403, 403, 403, 403, 200, 200,  "GET /moderation/review-reports"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /sellers/<seller_id>/reviews", "seller_id"),
    row(200, 200, 200, 200, 200, 200, 200,  "GET /services/<service_id>/reviews", "service"),
    row(401, 403, 403, 200, 200, 200, 200,  "GET /buyers/<buyer_id>/reviews", "buyer_id"),
    # -- notifications ---------------------------------------------------------------------------------------------
    row(401, 200, 200, 200, 200, 200, 200,  "GET /notifications"),
    row(401, 200, 404, 404, 404, 404, 404,  "POST /notifications/<notification_id>/read", "notification"),
    row(401, 200, 200, 200, 200, 200, 200,  "POST /notifications/read-all"),
    # -- privacy: a person's copy of their data is theirs alone, staff included --------------------------------------
    row(401, 202, 202, 202, 202, 202, 202,  "POST /me/export"),
    # Everyone has just started one (the row above): reading shows it.
    row(401, 200, 200, 200, 200, 200, 200,  "GET /me/export"),
    row(401, 200, 404, 404, 404, 404, 404,  "GET /me/exports/<export_id>", "export"),
    row(401, 200, 404, 404, 404, 404, 404,  "GET /me/exports/<export_id>/archive", "export", path="{export_download}"),
    # -- support: a request is its author's alone; staff work on its ticket ---------------------------------------
    row(401, 202, 202, 202, 202, 202, 202,  "POST /support/requests", body=SUPPORT_REQUEST),
    row(401, 200, 200, 200, 200, 200, 200,  "GET /support/requests"),
    row(401, 200, 404, 404, 404, 404, 404,  "GET /support/requests/<request_id>", "support_request"),
    row(401, 201, 404, 404, 404, 404, 404,  "POST /support/requests/<request_id>/replies", "support_request", body=REPLY),
    row(401, 403, 403, 403, 403, 200, 200,  "GET /support/tickets"),
    row(401, 403, 403, 403, 403, 200, 200,  "GET /support/tickets/<ticket_id>", "ticket"),
    row(401, 403, 403, 403, 403, 200, 200,  "POST /support/tickets/<ticket_id>/take", "ticket"),
    row(401, 403, 403, 403, 403, 201, 201,  "POST /support/tickets/<ticket_id>/replies", "ticket", body=REPLY),
    row(401, 403, 403, 403, 403, 200, 200,  "POST /support/tickets/<ticket_id>/resolve", "ticket"),
    # -- payments: the Square connection is the seller's own; Square's callbacks carry their own proof -------------
    row(401, 403, 403, 201, 201, 403, 403,  "POST /me/square-connection"),
    row(401, 403, 403, 200, 200, 403, 403,  "GET /me/square-connection"),
    row(401, 403, 403, 200, 200, 403, 403,  "DELETE /me/square-connection", own_world=True),
    row(401, 403, 403, 200, 200, 403, 403,  "PUT /me/square-connection/location", body={"location_id": "LOC-MAIN"}),
    # The single-use state identifies the seller, whoever's browser brings it back.
    row(303, 303, 303, 303, 303, 303, 303,  "GET /square/oauth/callback", path="{oauth_callback}", changes=True),
    row(200, 200, 200, 200, 200, 200, 200,  "POST /webhooks/square", body=SIGNED_WEBHOOK),
]

# Routes no person calls with a token, each for a reason:
# - static files and the Swagger UI page with its assets and openapi.json: the public API
#   description, the same for everyone (tests/http/test_openapi_export.py covers it);
# - /health/*: probes for the platform, never behind a token, and answered from readiness fakes
#   here (tests/http/test_platform_http.py covers them);
# - /metrics: the scraper's, behind METRICS_TOKEN rather than a person's token
#   (tests/http/test_metrics_token.py covers it).
NOT_IN_MATRIX = frozenset({"static", "swagger_assets", "api-docs.openapi_swagger_ui", "api-docs.openapi_json",
                           "metrics", "health.Live", "health.Ready"})


def app_routes(app) -> set[tuple[str, str]]:
    # Flask adds HEAD to every GET and OPTIONS to every route (the CORS preflight): no view of their own.
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_IN_MATRIX
            for method in rule.methods - {"HEAD", "OPTIONS"}}


# ---------------------------------------------------------------------------------------------
# Running a cell, and what no answer may carry
# ---------------------------------------------------------------------------------------------
FORMATTER = string.Formatter()
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "site-packages")
# Buyer and seller have accepted orders together, and then each sees the other's contact.
COUNTERPARTS = frozenset({("buyer", "seller"), ("seller", "buyer")})
# The fake hasher writes "plain$<password>"; argon2 hashes start with "$argon2".
PASSWORD_HASH_MARKERS = ("plain$", "$argon2")


def _names(path: str) -> list[str]:
    return [name for _, name, _, _ in FORMATTER.parse(path) if name]


def call(world: World, entry: Row, actor: str, *, fresh: bool):
    resolve = world.make if fresh else world.get
    path = entry.path.format(**{name: resolve(name) for name in _names(entry.path)})
    headers = {**world.headers(actor), "Idempotency-Key": uuid.uuid4().hex}
    body = entry.body(world, actor) if callable(entry.body) else entry.body
    if isinstance(body, Raw):
        return world.client.open(path, method=entry.method, headers={**headers, **body.headers}, data=body.data)
    if isinstance(body, Multipart):
        return world.client.open(path, method=entry.method, headers=headers,
                                 data={"file": (io.BytesIO(body.content), "photo.jpg", "image/jpeg")})
    return world.client.open(path, method=entry.method, headers=headers, json=body)


def _text_of(response) -> str:
    # A person's data archive is checked file by file, like any other answer.
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
            return "\n".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    # An image is bytes: whatever text hides in them is still looked for.
    return response.get_data().decode(errors="replace")


def leaks(world: World, actor: str, text: str) -> list[str]:
    """What ``text``, an answer to ``actor``, must not contain: a traceback, a password hash,
    someone else's token or e-mail (but a counterpart's), a seller's Square token."""
    found = [f"a traceback ({marker!r})" for marker in TRACEBACK_MARKERS if marker in text]
    found += [f"a password hash ({marker!r})" for marker in PASSWORD_HASH_MARKERS if marker in text]
    caller = "visitor" if actor == "anonymous" else actor
    for owner, pair in world.issued:
        for kind in ("access_token", "refresh_token"):
            if owner != caller and pair[kind] in text:
                found.append(f"{owner}'s {kind}")
    for owner, email in world.emails.items():
        if owner != caller and (caller, owner) not in COUNTERPARTS and email in text:
            found.append(f"{owner}'s e-mail")
    square = world.fakes.square_oauth
    found += [f"a Square token ({token[:8]}...)" for token in (*square.access_tokens, *square.refresh_tokens)
              if token in text]
    return found


@pytest.fixture(scope="module")
def shared_world() -> World:
    return World()


def test_every_route_has_a_row(shared_world: World) -> None:
    rows = [(entry.method, entry.rule) for entry in MATRIX]
    assert len(rows) == len(set(rows)), "a route has two rows"
    routes = app_routes(shared_world.app)
    missing = sorted(routes - set(rows))
    assert not missing, ("routes without a row in MATRIX (add one: who may call it, and what does everyone "
                         f"else get?): {', '.join(f'{m} {r}' for m, r in missing)}")
    stale = sorted(set(rows) - routes)
    assert not stale, f"rows for routes the app no longer has: {', '.join(f'{m} {r}' for m, r in stale)}"


@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: f"{entry.method} {entry.rule}")
def test_who_may_call_the_route(shared_world: World, entry: Row) -> None:
    actual: dict[str, int] = {}
    leaked: dict[str, list[str]] = {}
    own_world: World | None = None
    for actor, expected in zip(ACTORS, entry.expected, strict=True):
        changes = 200 <= expected < 300 and (entry.method != "GET" or entry.changes)
        world = shared_world
        if changes and entry.own_world:
            # Each person changes only themselves, so the row's people can share one world.
            own_world = world = own_world or World()
        response = call(world, entry, actor, fresh=changes)
        actual[actor] = response.status_code
        found = leaks(world, actor, _text_of(response))
        if found:
            leaked[actor] = found
    assert actual == dict(zip(ACTORS, entry.expected, strict=True))
    assert not leaked, f"answers carry what they must not: {leaked}"


def test_the_leak_check_finds_each_thing_it_looks_for(shared_world: World) -> None:
    # The matrix passing means nothing if this check never fires.
    buyer_token = shared_world.tokens["buyer"]["access_token"]
    assert leaks(shared_world, "buyer", json.dumps({"access_token": buyer_token})) == []
    assert leaks(shared_world, "seller", json.dumps({"access_token": buyer_token})) == ["buyer's access_token"]
    assert leaks(shared_world, "anonymous", shared_world.tokens["admin"]["refresh_token"]) == [
        "admin's refresh_token"]
    assert leaks(shared_world, "admin", '{"password_hash": "plain$a-long-enough-password-1"}') == [
        "a password hash ('plain$')"]
    assert leaks(shared_world, "admin", 'Traceback (most recent call last):\n  File "/app/x.py"')[:2] == [
        "a traceback ('Traceback (most recent call last)')", "a traceback ('File \"/')"]
    assert leaks(shared_world, "buyer2", "seller@example.com") == ["seller's e-mail"]
    assert leaks(shared_world, "buyer", "seller@example.com") == []
    square_token = next(iter(shared_world.fakes.square_oauth.access_tokens))
    assert leaks(shared_world, "seller", square_token) == [f"a Square token ({square_token[:8]}...)"]


def test_a_bearer_token_is_no_proof_for_squares_webhook(shared_world: World) -> None:
    # The matrix row shows the signature lets anyone in; without it, not even an admin's token does.
    for actor in ACTORS:
        response = shared_world.client.post("/webhooks/square", data=WEBHOOK_EVENT, content_type="application/json",
                                            headers=shared_world.headers(actor))
        assert response.status_code == 401, actor
