"""A support request: what a signed-in person tells us about a problem with the site. It is
accepted at once (202) and travels to the support module as an event, written with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlparse

from domain.shared.events import DomainEvent, RecordsEvents
from domain.support.errors import InvalidSupportRequest
from domain.support.events import SUPPORT_REQUEST_SUBMITTED, SUPPORT_REQUESTS_TOPIC

MAX_SUBJECT = 140
MAX_DESCRIPTION = 5_000
MAX_PAGE_URL = 2_048
MAX_ORDER_ID = 64


class Category(StrEnum):
    PAYMENTS = "payments"
    ORDER = "order"
    ACCOUNT_ACCESS = "account_access"
    SITE_BUG = "site_bug"
    OTHER = "other"


def reference_of(request_id: str) -> str:
    """The short reference a person quotes to support (the ticket shares the request's id)."""
    return "SR-" + request_id[:8].upper()


def _clean_text(value: str, *, field: str, maximum: int, single_line: bool) -> str:
    cleaned = " ".join(value.split()) if single_line else value.strip()
    if not cleaned:
        raise InvalidSupportRequest(f"{field} must not be empty", field=field)
    if len(cleaned) > maximum:
        raise InvalidSupportRequest(f"{field} must have at most {maximum} characters", field=field)
    return cleaned


def _clean_page_url(page_url: str | None) -> str | None:
    if page_url is None or not page_url.strip():
        return None
    page_url = page_url.strip()
    if len(page_url) > MAX_PAGE_URL:
        raise InvalidSupportRequest(f"page_url must have at most {MAX_PAGE_URL} characters", field="page_url")
    parsed = urlparse(page_url)
    # A site path ("/orders/42") or an absolute http(s) address; nothing like javascript: URLs.
    if parsed.scheme not in ("", "http", "https") or (not parsed.scheme and not page_url.startswith("/")):
        raise InvalidSupportRequest("page_url must be a path such as /orders/42 or an http(s) address",
                                    field="page_url")
    return page_url


def _clean_order_id(order_id: str | None) -> str | None:
    if order_id is None or not order_id.strip():
        return None
    order_id = order_id.strip()
    if len(order_id) > MAX_ORDER_ID or not all(c.isalnum() or c in "-_" for c in order_id):
        raise InvalidSupportRequest("order_id must be an order id (letters, digits, - and _)", field="order_id")
    return order_id


@dataclass
class SupportRequest(RecordsEvents):
    id: str
    user_id: str
    category: Category
    subject: str
    description: str
    submitted_at: datetime
    order_id: str | None = None
    page_url: str | None = None

    @property
    def reference(self) -> str:
        return reference_of(self.id)

    @classmethod
    def submit(cls, *, request_id: str, user_id: str, category: Category, subject: str, description: str,
               order_id: str | None, page_url: str | None, now: datetime) -> SupportRequest:
        request = cls(id=request_id, user_id=user_id, category=category,
                      subject=_clean_text(subject, field="subject", maximum=MAX_SUBJECT, single_line=True),
                      description=_clean_text(description, field="description", maximum=MAX_DESCRIPTION,
                                              single_line=False),
                      submitted_at=now, order_id=_clean_order_id(order_id), page_url=_clean_page_url(page_url))
        request.record(DomainEvent(
            name=SUPPORT_REQUEST_SUBMITTED, topic=SUPPORT_REQUESTS_TOPIC, key=user_id, occurred_at=now,
            payload={"request_id": request.id, "user_id": user_id, "category": category.value,
                     "subject": request.subject, "description": request.description,
                     "order_id": request.order_id, "page_url": request.page_url,
                     "submitted_at": now.isoformat()}))
        return request
