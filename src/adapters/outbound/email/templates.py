"""The mails' words, Spanish first, English second: one subject, plain text and HTML per template
and language. Parameters are escaped in the HTML; links are built here from the web's public
URL, so an event carries a token, never a link another host could have chosen."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from domain.email.messages import OutgoingEmail, UnknownTemplate
from domain.shared.email_requests import DEFAULT_LANGUAGE, LANGUAGES, PASSWORD_RESET, VERIFY_EMAIL
from domain.shared.errors import InvalidInput

# template -> language -> (subject, lines of text before the link, link label, lines after)
_TEXTS: dict[str, dict[str, tuple[str, list[str], str, list[str]]]] = {
    PASSWORD_RESET: {
        "es": ("Restablece tu contraseña",
               ["Hola, {name}:", "Alguien (esperamos que tú) ha pedido restablecer la contraseña de tu cuenta.",
                "Elige una contraseña nueva en este enlace, válido durante {minutes} minutos y una sola vez:"],
               "Elegir una contraseña nueva",
               ["Si no lo has pedido tú, ignora este mensaje: tu contraseña no cambia."]),
        "en": ("Reset your password",
               ["Hello {name},", "Someone (we hope you) asked to reset the password of your account.",
                "Choose a new password with this link, valid for {minutes} minutes and once only:"],
               "Choose a new password",
               ["If you did not ask for it, ignore this message: your password stays as it is."]),
    },
    VERIFY_EMAIL: {
        "es": ("Confirma tu correo electrónico",
               ["Hola, {name}:", "Confirma que esta dirección es tuya para poder reservar y publicar servicios:"],
               "Confirmar mi correo",
               ["Si no has creado una cuenta, ignora este mensaje."]),
        "en": ("Confirm your e-mail address",
               ["Hello {name},", "Confirm this address is yours to book and publish services:"],
               "Confirm my e-mail",
               ["If you did not create an account, ignore this message."]),
    },
}
_PAGES = {PASSWORD_RESET: "/restablecer", VERIFY_EMAIL: "/verificar"}
_SIGNATURE = {"es": "El equipo del mercado de servicios", "en": "The home services marketplace team"}


def template_names() -> frozenset[str]:
    return frozenset(_TEXTS)


class LocalizedTemplates:
    def __init__(self, web_public_url: str) -> None:
        self._web = web_public_url.rstrip("/")

    def render(self, template: str, language: str, to: str, params: dict[str, Any]) -> OutgoingEmail:
        texts = _TEXTS.get(template)
        if texts is None:
            raise UnknownTemplate(template)
        language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        subject, before, label, after = texts[language]
        token = params.get("token")
        if not isinstance(token, str) or not token:
            raise InvalidInput("the mail's token is missing", field="token")
        values = {"name": str(params.get("name") or ""), "minutes": str(params.get("minutes") or "")}
        link = f"{self._web}{_PAGES[template]}?token={quote(token, safe='')}"
        text_lines = [line.format(**values) for line in before] + ["", link, ""] + \
                     [line.format(**values) for line in after] + ["", _SIGNATURE[language]]
        safe = {k: escape(v) for k, v in values.items()}
        html = "".join([
            f'<!doctype html><html lang="{language}"><body style="font-family:sans-serif">',
            *(f"<p>{line.format(**safe)}</p>" for line in before),
            f'<p><a href="{escape(link)}">{escape(label)}</a></p>',
            *(f"<p>{line.format(**safe)}</p>" for line in after),
            f"<p>{escape(_SIGNATURE[language])}</p></body></html>",
        ])
        return OutgoingEmail(to=to, subject=subject, text="\n".join(text_lines) + "\n", html=html)
