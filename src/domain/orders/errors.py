from __future__ import annotations

from typing import Any

from domain.shared.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound


class OrderNotFound(NotFound):
    code = "order_not_found"

    def __init__(self) -> None:
        super().__init__("order not found")


class ActionNotAllowed(InvalidTransition):
    """The order's state, or who is asking, does not allow this action now."""

    code = "order_action_not_allowed"


class TooEarlyToStart(ActionNotAllowed):
    """A job is started on its day, not days before: starting captures nothing but opens completion,
    which releases the money and the reviews."""

    code = "order_too_early_to_start"


class SlotTaken(Conflict):
    code = "slot_taken"

    def __init__(self) -> None:
        super().__init__("that time was just taken; pick another slot", field="start")


class SlotNotAvailable(Conflict):
    """The slot is outside the seller's working hours, in their time off, or in the past."""

    code = "slot_not_available"


class ConcurrentOrderChange(Conflict):
    code = "concurrent_order_change"

    def __init__(self) -> None:
        super().__init__("the order was changed by another request; reload it and try again")


class RefundTooLarge(InvalidInput):
    code = "refund_too_large"


class ScheduleInvalid(InvalidInput):
    code = "schedule_invalid"


class PartyNotAllowed(NotAllowed):
    """This side of the order may not take the action (a buyer accepting their own booking)."""

    code = "order_party_not_allowed"


class ServiceNotBookable(Conflict):
    """The service exists but cannot be booked now (paused, or its seller takes no new jobs)."""

    code = "service_not_bookable"


class CannotBookOwnService(PartyNotAllowed):
    """Who asks, not the order's state, refuses it: no later state lets a seller book their own
    service, so this is a 403 like the other refusals of a party, never a 409 to retry."""

    code = "cannot_book_own_service"

    def __init__(self) -> None:
        super().__init__("you cannot book your own service", field="service_id")


class TooManyUnpaidBookings(Conflict):
    """A booking holds the seller's time for the whole payment window before anyone pays; a buyer
    may hold only so many at once, per seller and overall, or one person could keep a seller's
    day (every day) out of everyone's reach by booking again as each window ends."""

    code = "unpaid_bookings_cap"

    def __init__(self, *, cap: int, per_seller: bool, unpaid_order_ids: list[str]) -> None:
        where = "with this seller" if per_seller else "in all"
        super().__init__(f"you already have {len(unpaid_order_ids)} unpaid bookings {where}, the most allowed "
                         f"({cap}); pay or cancel one of them, or let it expire, before booking again")
        self.cap = cap
        self.per_seller = per_seller
        self.unpaid_order_ids = unpaid_order_ids

    @property
    def details(self) -> dict[str, Any]:
        return {"cap": self.cap, "cap_scope": "seller" if self.per_seller else "buyer",
                "unpaid_order_ids": self.unpaid_order_ids}
