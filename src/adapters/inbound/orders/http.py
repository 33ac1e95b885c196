from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from adapters.inbound.http.created import LOCATION_HEADER, created
from adapters.inbound.http.schemas import ErrorSchema
from adapters.inbound.http.security import current_actor, requires_auth
from adapters.inbound.http.wiring import use_case
from adapters.inbound.orders.idempotency import idempotency_key, idempotent
from adapters.inbound.orders.schemas import (
    AvailabilityInSchema,
    AvailabilityPatchSchema,
    AvailabilitySchema,
    BookingTermsQuerySchema,
    BookingTermsSchema,
    BookSchema,
    OfferQuoteSchema,
    OrderListQuerySchema,
    OrderPageSchema,
    OrderViewSchema,
    PaySchema,
    QuoteRequestSchema,
    ReasonSchema,
    RefundSchema,
    SlotSchema,
    SlotsQuerySchema,
    TimeOffInSchema,
    TimeOffSchema,
)
from application.orders.use_cases import (
    AcceptOrder,
    AcceptQuote,
    AddTimeOff,
    AvailabilityChanges,
    AvailabilityCommand,
    BookCommand,
    BookService,
    CancelOrder,
    CompleteOrder,
    DeclineOrder,
    GetBookingTerms,
    GetMyAvailability,
    GetOrder,
    IssueInvoice,
    ListFreeSlots,
    ListMyOrders,
    OfferQuote,
    OrderView,
    PatchMyAvailability,
    PayOrder,
    RefundOrder,
    RejectQuote,
    RemoveTimeOff,
    RequestQuote,
    SetMyAvailability,
    StartOrder,
)
from application.shared.pagination import PageRequest
from domain.orders.order import Order
from domain.orders.schedule import WEEKDAYS
from domain.shared.access import Role
from domain.shared.money import Money

orders_blp = Blueprint("orders", __name__, url_prefix="/orders",
                       description="Book a service, pay, and follow the job to the end")
booking_blp = Blueprint("service-booking", __name__, url_prefix="/services",
                        description="Free slots of a service, and quote requests")
my_orders_blp = Blueprint("my-orders", __name__, url_prefix="/me",
                          description="Your orders (as buyer or seller) and, for sellers, your availability")


def _view(order: Order) -> OrderView:
    """What the acting side sees right after its own action: the same view as GET gives."""
    return use_case(GetOrder).view(order, current_actor())


@orders_blp.route("")
class Orders(MethodView):
    @requires_auth(Role.BUYER)
    @idempotent
    @orders_blp.arguments(BookSchema)
    @orders_blp.response(201, OrderViewSchema, headers=LOCATION_HEADER)
    @orders_blp.alt_response(404, response="NOT_FOUND")
    def post(self, body):
        """Book a slot of a fixed-price or hourly service: it is held for you until you pay."""
        order = use_case(BookService).execute(current_actor(), BookCommand(**body))
        return created(_view(order), "orders.OrderDetail", order_id=order.id)


@orders_blp.route("/<order_id>")
class OrderDetail(MethodView):
    @requires_auth()
    @orders_blp.response(200, OrderViewSchema)
    def get(self, order_id):
        """An order with its price breakdown and timeline: for its buyer, its seller and support."""
        return use_case(GetOrder).execute(current_actor(), order_id)


@orders_blp.route("/<order_id>/payment")
class Payment(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.arguments(PaySchema)
    @orders_blp.response(200, OrderViewSchema)
    @orders_blp.alt_response(402, schema=ErrorSchema, description="The card was declined; the order stays payable")
    @orders_blp.alt_response(503, schema=ErrorSchema,
                             description="The payment gateway is unreachable; the order stays payable")
    def post(self, body, order_id):
        """Hold the card for the order's total (the buyer); it is charged when the seller accepts."""
        return _view(use_case(PayOrder).execute(current_actor(), order_id, source_id=body["source_id"],
                                                idempotency_key=idempotency_key()))


@orders_blp.route("/<order_id>/quote")
class QuoteOffer(MethodView):
    @requires_auth(Role.SELLER)
    @idempotent
    @orders_blp.arguments(OfferQuoteSchema)
    @orders_blp.response(200, OrderViewSchema)
    def post(self, body, order_id):
        """Offer a price for a quote request, or revise the one offered (the seller)."""
        price = Money(body["price"]["amount"], body["price"]["currency"])
        return _view(use_case(OfferQuote).execute(current_actor(), order_id, price=price, message=body["message"]))


@orders_blp.route("/<order_id>/quote/accept")
class QuoteAccept(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.response(200, OrderViewSchema)
    def post(self, order_id):
        """Accept the offered price (the buyer): the slot is held and the order waits for payment."""
        return _view(use_case(AcceptQuote).execute(current_actor(), order_id))


@orders_blp.route("/<order_id>/quote/reject")
class QuoteReject(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.arguments(ReasonSchema)
    @orders_blp.response(200, OrderViewSchema)
    def post(self, body, order_id):
        """Reject the offered price (the buyer)."""
        return _view(use_case(RejectQuote).execute(current_actor(), order_id, body["reason"]))


@orders_blp.route("/<order_id>/accept")
class Accept(MethodView):
    @requires_auth(Role.SELLER)
    @idempotent
    @orders_blp.response(200, OrderViewSchema)
    def post(self, order_id):
        """Take the job (the seller): the held payment is captured."""
        return _view(use_case(AcceptOrder).execute(current_actor(), order_id))


@orders_blp.route("/<order_id>/decline")
class Decline(MethodView):
    @requires_auth(Role.SELLER)
    @idempotent
    @orders_blp.arguments(ReasonSchema)
    @orders_blp.response(200, OrderViewSchema)
    def post(self, body, order_id):
        """Turn the job down (the seller): the hold is voided and the slot freed."""
        return _view(use_case(DeclineOrder).execute(current_actor(), order_id, body["reason"]))


@orders_blp.route("/<order_id>/start")
class Start(MethodView):
    @requires_auth(Role.SELLER)
    @idempotent
    @orders_blp.response(200, OrderViewSchema)
    def post(self, order_id):
        """Mark the job as started (the seller)."""
        return _view(use_case(StartOrder).execute(current_actor(), order_id))


@orders_blp.route("/<order_id>/complete")
class Complete(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.response(200, OrderViewSchema)
    def post(self, order_id):
        """Mark the job as done (the buyer or the seller)."""
        return _view(use_case(CompleteOrder).execute(current_actor(), order_id))


@orders_blp.route("/<order_id>/cancel")
class Cancel(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.arguments(ReasonSchema)
    @orders_blp.response(200, OrderViewSchema)
    def post(self, body, order_id):
        """Cancel. Before the seller accepts, nothing is charged; after, the cancellation policy
        decides what a buyer gets back (a seller or support cancelling refunds everything)."""
        return _view(use_case(CancelOrder).execute(current_actor(), order_id, reason=body["reason"],
                                                   idempotency_key=idempotency_key()))


@orders_blp.route("/<order_id>/refunds")
class Refunds(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.arguments(RefundSchema)
    @orders_blp.response(201, OrderViewSchema)
    def post(self, body, order_id):
        """Refund part or all of what was captured (the seller or support); never more in all."""
        amount = Money(body["amount"]["amount"], body["amount"]["currency"]) if "amount" in body else None
        return _view(use_case(RefundOrder).execute(current_actor(), order_id, amount=amount, reason=body["reason"],
                                                   idempotency_key=idempotency_key()))


@orders_blp.route("/<order_id>/invoice")
class InvoiceIssue(MethodView):
    @requires_auth()
    @idempotent
    @orders_blp.response(200, OrderViewSchema)
    def post(self, order_id):
        """Issue the Square invoice of an accepted order on the seller's account (the seller)."""
        return _view(use_case(IssueInvoice).execute(current_actor(), order_id, idempotency_key=idempotency_key()))


@booking_blp.route("/<service_id>/slots")
class Slots(MethodView):
    # Query arguments are checked like bodies: a mistyped filter is an error, never silently ignored.
    @booking_blp.arguments(SlotsQuerySchema, location="query", unknown=RAISE)
    @booking_blp.response(200, SlotSchema(many=True))
    def get(self, query, service_id):
        """Free slots of the service between two dates (at most 31 days), in the seller's time zone."""
        return use_case(ListFreeSlots).execute(service_id, query["from_"], query["to"])


@booking_blp.route("/<service_id>/booking-terms")
class BookingTerms(MethodView):
    @booking_blp.arguments(BookingTermsQuerySchema, location="query", unknown=RAISE)
    @booking_blp.response(200, BookingTermsSchema)
    def get(self, query, service_id):
        """The price breakdown (the platform's fee included) and the cancellation policy, before booking."""
        return use_case(GetBookingTerms).execute(service_id, start=query.get("start"),
                                                 duration_minutes=query.get("duration_minutes"))


@booking_blp.route("/<service_id>/quote-requests")
class QuoteRequests(MethodView):
    @requires_auth(Role.BUYER)
    @idempotent
    @booking_blp.arguments(QuoteRequestSchema)
    @booking_blp.response(201, OrderViewSchema, headers=LOCATION_HEADER)
    def post(self, body, service_id):
        """Ask the seller of a quote-priced service for a price for your job."""
        command = BookCommand(service_id=service_id, start=body["start"], address=body["address"],
                              notes=body["notes"])
        order = use_case(RequestQuote).execute(current_actor(), command, body["message"])
        return created(_view(order), "orders.OrderDetail", order_id=order.id)


@my_orders_blp.route("/orders")
class MyOrders(MethodView):
    @requires_auth()
    @my_orders_blp.arguments(OrderListQuerySchema, location="query", unknown=RAISE)
    @my_orders_blp.response(200, OrderPageSchema)
    @my_orders_blp.alt_response(403, response="FORBIDDEN")
    def get(self, query):
        """Your orders, newest first: role=buyer to follow your services, role=seller for your job board."""
        return use_case(ListMyOrders).execute(current_actor(), role=query["role"], statuses=query["status"],
                                              page=PageRequest(page=query["page"], page_size=query["page_size"]))


@my_orders_blp.route("/availability")
class MyAvailability(MethodView):
    @requires_auth(Role.SELLER)
    @my_orders_blp.response(200, AvailabilitySchema)
    def get(self):
        """Your weekly working hours, buffer between jobs, time zone and time off."""
        return use_case(GetMyAvailability).execute(current_actor())

    @requires_auth(Role.SELLER)
    @my_orders_blp.arguments(AvailabilityPatchSchema)
    @my_orders_blp.response(200, AvailabilitySchema)
    def patch(self, body):
        """Change only the fields you send (what forms use); weekly_hours, when sent, is the whole week.
        Time off is kept (it has its own routes)."""
        weekly = _weekly_hours(body["weekly_hours"]) if "weekly_hours" in body else None
        changes = AvailabilityChanges(time_zone=body.get("time_zone"), buffer_minutes=body.get("buffer_minutes"),
                                      weekly_hours=weekly)
        return use_case(PatchMyAvailability).execute(current_actor(), changes)

    @requires_auth(Role.SELLER)
    @my_orders_blp.arguments(AvailabilityInSchema)
    @my_orders_blp.response(200, AvailabilitySchema)
    def put(self, body):
        """Replace your weekly hours, buffer and time zone as a whole (a buffer left out becomes 0; time
        off is kept). Only for clients that send the whole resource; forms edit with PATCH."""
        command = AvailabilityCommand(time_zone=body["time_zone"], buffer_minutes=body["buffer_minutes"],
                                      weekly_hours=_weekly_hours(body["weekly_hours"]))
        return use_case(SetMyAvailability).execute(current_actor(), command)


def _weekly_hours(ranges: list[dict]) -> dict[int, list]:
    weekly: dict[int, list] = {}
    for working in ranges:
        weekly.setdefault(WEEKDAYS.index(working["weekday"]), []).append((working["start"], working["end"]))
    return weekly


@my_orders_blp.route("/time-off")
class MyTimeOff(MethodView):
    @requires_auth(Role.SELLER)
    @my_orders_blp.arguments(TimeOffInSchema)
    @my_orders_blp.response(201, TimeOffSchema)
    def post(self, body):
        """Block a period (holidays, an appointment): no slot is offered in it."""
        return use_case(AddTimeOff).execute(current_actor(), start=body["start"], end=body["end"], note=body["note"])


@my_orders_blp.route("/time-off/<time_off_id>")
class MyTimeOffItem(MethodView):
    @requires_auth(Role.SELLER)
    @my_orders_blp.response(204)
    def delete(self, time_off_id):
        """Remove a period of time off."""
        use_case(RemoveTimeOff).execute(current_actor(), time_off_id)


BLUEPRINTS = [orders_blp, booking_blp, my_orders_blp]
