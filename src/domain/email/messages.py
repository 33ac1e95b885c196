"""A mail ready to send: who it goes to, and its subject and bodies already in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.errors import InvalidInput


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        # A header injection through a stored address or a subject must never reach the SMTP server.
        for name in ("to", "subject"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or "\n" in value or "\r" in value:
                raise InvalidInput(f"{name} must be one non-empty line", field=name)
        if "@" not in self.to:
            raise InvalidInput("to must be an e-mail address", field="to")


class UnknownTemplate(InvalidInput):
    code = "unknown_email_template"

    def __init__(self, template: str) -> None:
        super().__init__(f"no e-mail template named {template!r}", field="template")
