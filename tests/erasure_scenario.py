"""A person with data in every context, built through the API and the contexts' own use cases, and
the check that all of it is erased (issue #12). Shared by the test on fakes and the one on the real
MongoDB-compatible server and Kafka broker: both read back through the same ports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from application.catalog.ports import ImageStore, SellerProfileRepository, ServiceRepository
from application.conversations.ports import ConversationRepository
from application.notifications.ports import NotificationInbox
from application.notifications.use_cases import DeliverNotifications, IncomingEvent
from application.orders.ports import OrderRepository, ScheduleRepository
from application.payments.ports import SquareConnectionRepository
from application.reviews.ports import ReviewRepository
from application.shared.pagination import PageRequest
from application.support.ports import SupportRequestRepository, TicketRepository
from application.support.use_cases import OpenTicket, OpenTicketCommand
from application.accounts.ports import UserRepository
from domain.catalog.service import ServiceStatus
from domain.orders.order import Order, OrderStatus, Party, ServiceSnapshot, TimelineEntry
from domain.orders.pricing import PriceModel
from domain.payments.connection import ConnectionStatus, SquareConnection
from domain.shared.erasure import ERASED_TEXT, FORMER_USER_ID, FORMER_USER_NAME
from domain.shared.money import Money
from domain.support.requests import Category
from tests.images import photo, upload

PASSWORD = "a-long-enough-password-1"
PROFILE = {"display_name": "Carlos Pérez", "headline": "Fontanero en Madrid", "bio": "Vivo en Lavapiés.",
           "years_experience": 5, "languages": ["es"],
           "service_areas": ["Madrid"], "working_hours": [], "accepting_jobs": True}
SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos y arreglo fugas.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid"],
           "tags": []}


@dataclass
class Person:
    """Carlos sells (profile, service, Square, order A) and buys (order B); he wrote messages, a
    review, a support request, and has notifications. Ana and Eve are the other parties."""

    carlos: dict
    carlos_id: str
    ana: dict
    ana_id: str
    service_id: str
    sold_order: str
    bought_order: str
    request_id: str


def signup(client, email: str, role: str, name: str) -> tuple[dict, str]:
    answer = client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": name,
                                                 "role": role})
    assert answer.status_code == 201, answer.json
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}, answer.json["id"]


def _order(order_id: str, buyer_id: str, seller_id: str, service_id: str, address: str, notes: str) -> Order:
    now = datetime.now(UTC)
    order = Order(id=order_id, buyer_id=buyer_id,
                  service=ServiceSnapshot(service_id, seller_id, "Grifos", PriceModel.FIXED, Money(4500, "EUR"), 60),
                  slot_start=now - timedelta(hours=3), slot_end=now - timedelta(hours=2), time_zone="Europe/Madrid",
                  buffer_minutes=0, address=address, notes=notes, status=OrderStatus.COMPLETED, created_at=now)
    order.timeline.append(TimelineEntry(at=now, actor_id=seller_id, party=Party.SELLER,
                                        from_status=OrderStatus.IN_PROGRESS, to_status=OrderStatus.COMPLETED,
                                        action="complete", note="terminado; el portero se llama Juan"))
    return order


def build_person(app, client, *, square_connected: bool = False) -> Person:
    """``square_connected``: the caller connected Carlos through Square already (the real flow);
    otherwise a connection is stored directly."""
    injector = app.extensions["injector"]
    tag = uuid.uuid4().hex[:8]
    carlos, carlos_id = signup(client, f"carlos-{tag}@example.com", "seller", "Carlos Pérez")
    ana, ana_id = signup(client, f"ana-{tag}@example.com", "buyer", "Ana")
    _, eve_id = signup(client, f"eve-{tag}@example.com", "seller", "Eve")
    assert client.patch("/me", json={"phone": "+34 600 123 456"}, headers=carlos).status_code == 200
    assert client.put("/me/seller-profile", json=PROFILE, headers=carlos).status_code == 200
    service = client.post("/services", json=SERVICE, headers=carlos)
    assert service.status_code == 201, service.json
    service_id = service.json["id"]
    # Photos are personal data too: his face, his work at people's homes.
    assert client.put("/me/seller-profile/photo", data=upload(photo(gps=True)), headers=carlos).status_code == 200
    assert client.post(f"/services/{service_id}/photos", data=upload(photo(colour=(9, 9, 9))),
                       headers=carlos).status_code == 201

    weekly = [{"weekday": "monday", "start": "08:00", "end": "20:00"}]
    assert client.put("/me/availability", headers=carlos, json={"time_zone": "Europe/Madrid", "buffer_minutes": 0,
                                                                "weekly_hours": weekly}).status_code == 200
    assert client.post("/me/time-off", headers=carlos, json={
        "start": "2030-12-01T00:00:00+01:00", "end": "2030-12-02T00:00:00+01:00", "note": "médico"}).status_code == 201

    orders = injector.get(OrderRepository)
    sold, bought = f"sold-{tag}", f"bought-{tag}"
    orders.add(_order(sold, ana_id, carlos_id, service_id, "Calle de Ana 3", "timbre roto"))
    orders.add(_order(bought, carlos_id, eve_id, f"svc-eve-{tag}", "Calle de Carlos 7, 2ºB", "el perro no muerde"))

    for author, text in ((carlos, "Mi móvil es 600 123 456"), (ana, "Gracias, Carlos")):
        posted = client.post(f"/orders/{sold}/messages", json={"text": text}, headers=author)
        assert posted.status_code == 201, posted.json
    for author, text in ((ana, "Muy bien"), (carlos, "Clienta amable")):
        written = client.post(f"/orders/{sold}/reviews", json={"stars": 5, "text": text}, headers=author)
        assert written.status_code == 201, written.json

    request = client.post("/support/requests", headers=carlos, json={
        "category": "account_access", "subject": "Cambiar mi dirección", "description": "Vivo en Calle de Carlos 7",
        "page_url": "https://marketplace.example.com/me"})
    assert request.status_code == 202, request.json
    request_id = request.json["id"]
    with app.app_context():
        # What the support worker does on Kafka; idempotent, so a running worker may do it too.
        injector.get(OpenTicket).execute(OpenTicketCommand(
            request_id=request_id, user_id=carlos_id, category=Category.ACCOUNT_ACCESS, subject="Cambiar mi dirección",
            description="Vivo en Calle de Carlos 7", submitted_at=datetime.now(UTC), order_id=None,
            page_url="https://marketplace.example.com/me"))
        injector.get(DeliverNotifications).execute(IncomingEvent(
            event_id=f"welcome-{tag}", name="demo.welcome", occurred_at=datetime.now(UTC),
            payload={"recipient_ids": [carlos_id], "title": "Hola Carlos Pérez", "body": "Bienvenido"}))
    if not square_connected:
        now = datetime.now(UTC)
        injector.get(SquareConnectionRepository).save(SquareConnection.connect(
            seller_id=carlos_id, merchant_id=f"merchant-{tag}", access_token_encrypted="enc-access",
            refresh_token_encrypted="enc-refresh", expires_at=now + timedelta(days=30), now=now))
    return Person(carlos=carlos, carlos_id=carlos_id, ana=ana, ana_id=ana_id, service_id=service_id,
                  sold_order=sold, bought_order=bought, request_id=request_id)


def unerased(app, person: Person) -> list[str]:
    """What of Carlos is still there, per context (empty when all is erased); also checks that what
    belongs to the others and to the law stays."""
    get = app.extensions["injector"].get
    left: list[str] = []
    user = get(UserRepository).get(person.carlos_id)
    if not user.deleted or "carlos" in user.email.value or user.phone or user.display_name != FORMER_USER_NAME:
        left.append("accounts: the account")
    profile = get(SellerProfileRepository).get(person.carlos_id)
    if profile.presentation.display_name != FORMER_USER_NAME or profile.presentation.bio \
            or profile.photo_id or profile.accepting_jobs:
        left.append("catalog: the profile's presentation")
    service = get(ServiceRepository).get(person.service_id)
    if service.status is not ServiceStatus.DELETED or service.photo_ids:
        left.append("catalog: the service is listed or keeps its photos")
    if get(ImageStore).image_ids(person.carlos_id):
        left.append("catalog: the photos' files")
    if service.seller.display_name != FORMER_USER_NAME or service.seller.photo_url:
        left.append("catalog: the service's copy of the seller's name or photo")
    orders = get(OrderRepository)
    bought, sold = orders.get(person.bought_order), orders.get(person.sold_order)
    if "Carlos" in bought.address or "perro" in bought.notes or "Juan" in sold.timeline[-1].note:
        left.append("orders: the address, notes or timeline notes")
    assert sold.address == "Calle de Ana 3" and sold.buyer_id == person.ana_id, "Ana's order details must stay"
    assert bought.status is OrderStatus.COMPLETED and bought.buyer_id == person.carlos_id, "the record stays"
    assert len(sold.timeline) == 1 and sold.timeline[0].action == "complete", "the order's history stays"
    if any(entry.note for entry in get(ScheduleRepository).get(person.carlos_id).time_off):
        left.append("orders: the notes on the seller's time off")
    reviews = get(ReviewRepository).get(person.sold_order)
    if reviews.by_seller.author_id != FORMER_USER_ID:
        left.append("reviews: Carlos's review still names him")
    assert reviews.by_buyer.author_id == person.ana_id and reviews.by_buyer.text == "Muy bien", "Ana's review stays"
    messages = get(ConversationRepository).messages(person.sold_order, PageRequest(page_size=100)).items
    mine = [m for m in messages if m.author_id == person.carlos_id]
    if any(m.text != ERASED_TEXT for m in mine):
        left.append("conversations: the text of Carlos's messages")
    assert [m.text for m in messages if m.author_id == person.ana_id] == ["Gracias, Carlos"], "Ana's message stays"
    request = get(SupportRequestRepository).get(person.request_id)
    ticket = get(TicketRepository).get(person.request_id)
    if "Carlos" in request.description or request.page_url or "Carlos" in ticket.description or ticket.page_url:
        left.append("support: the request or ticket text")
    if get(NotificationInbox).page_for(person.carlos_id, PageRequest()).total:
        left.append("notifications: the inbox")
    connection = get(SquareConnectionRepository).get(person.carlos_id)
    if connection.status is not ConnectionStatus.DISCONNECTED or connection.access_token_encrypted != "forgotten":
        left.append("payments: the Square connection")
    return left
