from domain.shared.errors import Conflict, InvalidInput, InvalidTransition, NotFound


class SupportRequestNotFound(NotFound):
    code = "support_request_not_found"

    def __init__(self) -> None:
        # Also raised for someone else's request: its existence is not theirs to learn.
        super().__init__("support request not found")


class TicketNotFound(NotFound):
    code = "ticket_not_found"

    def __init__(self) -> None:
        super().__init__("ticket not found")


class TicketNotOpenedYet(Conflict):
    code = "ticket_not_opened_yet"

    def __init__(self) -> None:
        super().__init__("your request is being filed; you can reply once its ticket is open (a few seconds)")


class TicketTakenByAnotherAgent(Conflict):
    code = "ticket_taken_by_another_agent"

    def __init__(self) -> None:
        super().__init__("another agent has taken this ticket")


class InvalidTicketTransition(InvalidTransition):
    code = "invalid_ticket_transition"


class TooManyReplies(Conflict):
    code = "too_many_replies"


class InvalidSupportRequest(InvalidInput):
    code = "invalid_support_request"


class NotYourOrder(InvalidInput):
    """The request names an order the requester is neither the buyer nor the seller of. The same
    answer whether the order exists or not: its existence is not theirs to learn."""

    code = "unknown_order"

    def __init__(self) -> None:
        super().__init__("no order of yours has this id", field="order_id")
