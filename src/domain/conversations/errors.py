from __future__ import annotations

from domain.shared.errors import InvalidInput, NotAllowed, NotFound


class InvalidMessage(InvalidInput):
    code = "invalid_message"


class ConversationNotFound(NotFound):
    code = "conversation_not_found"

    def __init__(self) -> None:
        # Also raised to people outside the thread: they must not learn it exists.
        super().__init__("conversation not found")


class MessageNotFound(NotFound):
    code = "message_not_found"

    def __init__(self) -> None:
        super().__init__("message not found")


class CannotMessageYourself(NotAllowed):
    code = "cannot_message_yourself"

    def __init__(self) -> None:
        super().__init__("this is your own service; buyers ask you about it", field="service_id")


class StaffCannotWrite(NotAllowed):
    code = "staff_cannot_write"

    def __init__(self) -> None:
        super().__init__("support reads conversations to moderate them; write through a support ticket")
