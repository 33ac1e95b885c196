"""The body of GET /services, built directly as plain JSON values.

Search is the hottest read of the marketplace, and marshmallow's generic dump (a field object,
an attribute lookup and a hasattr per value, ~450 per 20-item page) cost more than the rest of
the request together. This builds the very document `SearchPageSchema` documents and dumps,
applying each field's own conversion (String -> str, Integer -> int, Float -> float, DateTime ->
isoformat, Enum by value, None kept as None); `SearchPageSchema` stays on the route for the
OpenAPI document. tests/http/test_search_json.py compares both on varied pages, so a field added
to the schema and not here (or the reverse) fails there.

`search_page_json` encodes it with orjson: the standard library's encoder took longer over the
page's ~12 KB than building it. Keys are sorted as Flask's encoder sorts them; text is UTF-8
instead of \\u escapes (the same JSON).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from application.catalog.search import NoMatchHints
from application.shared.pagination import Page
from domain.catalog.categories import CATEGORIES
from domain.catalog.images import VARIANTS, image_path
from domain.catalog.service import SellerCard, Service

# The facet names never change while the process runs; only the counts are per request.
_FACET_NAMES = tuple((c.slug, str(c.name_es), str(c.name_en)) for c in CATEGORIES)


def _strings(values: Iterable[Any] | None) -> list[str | None] | None:
    return None if values is None else [None if v is None else str(v) for v in values]


def _int(value) -> int | None:
    return None if value is None else int(value)


def _float(value) -> float | None:
    return None if value is None else float(value)


def _value(member) -> Any:
    return None if member is None else member.value


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def photo_json(owner_id: str, photo_id: str, base_url: str) -> dict[str, str]:
    """A photo as the API shows it: absolute URLs of its sizes (immutable: cache them forever)."""
    return {"id": photo_id, **{f"{variant}_url": base_url + image_path(owner_id, photo_id, variant)
                               for variant in VARIANTS}}


def _seller(card: SellerCard, base_url: str) -> dict[str, Any]:
    return {
        "display_name": str(card.display_name),
        "photo_url": None if card.photo_url is None else base_url + str(card.photo_url),
        "rating_average": _float(card.rating_average),
        "rating_count": _int(card.rating_count),
        "completed_jobs": _int(card.completed_jobs),
        "member_since": _iso(card.member_since),
    }


def search_item(service: Service, distance_km: float | None, base_url: str) -> dict[str, Any]:
    """One item as `SearchItemSchema` dumps it; ``distance_km`` already rounded by the caller;
    photo URLs under ``base_url`` (PUBLIC_BASE_URL)."""
    price = service.price
    owner = str(service.seller_id)
    return {
        "id": str(service.id),
        "seller_id": str(service.seller_id),
        "title": str(service.title),
        "description": str(service.description),
        "category": str(service.category),
        "price_model": _value(service.price_model),
        "price": None if price is None else {"amount": _int(price.amount), "currency": str(price.currency)},
        "duration_minutes": _int(service.duration_minutes),
        "status": _value(service.status),
        "service_areas": _strings(service.service_areas),
        "photos": [photo_json(owner, str(p), base_url) for p in service.photo_ids],
        "image_urls": [base_url + image_path(owner, str(p), "card") for p in service.photo_ids],
        "tags": _strings(service.tags),
        "rating_average": _float(service.rating_average),
        "rating_count": _int(service.rating_count),
        "created_at": _iso(service.created_at),
        "updated_at": _iso(service.updated_at),
        "seller": _seller(service.seller, base_url),
        "distance_km": _float(distance_km),
    }


def hints_json(hints: NoMatchHints) -> dict[str, Any]:
    """As `NoMatchHintsSchema` dumps it."""
    return {
        "categories": [{"slug": str(slug), "count": int(count)} for slug, count in hints.categories.items()],
        "wider_radius_km": _float(hints.wider_radius_km),
        "wider_radius_count": int(hints.wider_radius_count),
        "without_filters": [{"filter": str(name), "count": int(count)}
                            for name, count in hints.without_filters.items()],
        "corrections": [{"typed": str(typed), "understood": str(understood)}
                        for typed, understood in hints.corrections.items()],
    }


def page_fields(page: Page[Any]) -> dict[str, int]:
    """Where a list is in its whole, in the body of every list the API answers (one convention)."""
    return {"total": int(page.total), "page": int(page.request.page), "page_size": int(page.request.page_size),
            "total_pages": int(page.total_pages)}


def search_page(items: Iterable[tuple[Service, float | None]], category_counts: Mapping[str, int],
                base_url: str, hints: NoMatchHints | None = None, *,
                paging: Page[Any] | None = None) -> dict[str, Any]:
    """The whole page as `SearchPageSchema` dumps it: items, then per category its count, and
    the hints when nothing matched; where the page is in the whole (``paging``)."""
    page: dict[str, Any] = {
        "items": [search_item(service, distance, base_url) for service, distance in items],
        "facets": {"categories": [{"slug": slug, "name_es": name_es, "name_en": name_en,
                                   "count": int(category_counts.get(slug, 0))}
                                  for slug, name_es, name_en in _FACET_NAMES]},
    }
    if hints is not None:
        page["hints"] = hints_json(hints)
    if paging is not None:
        page.update(page_fields(paging))
    return page


def search_page_json(items: Iterable[tuple[Service, float | None]], category_counts: Mapping[str, int],
                     base_url: str, hints: NoMatchHints | None = None, *,
                     paging: Page[Any] | None = None) -> bytes:
    """`search_page` encoded, ending in a newline like Flask's JSON responses."""
    return orjson.dumps(search_page(items, category_counts, base_url, hints, paging=paging),
                        option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
