"""What a buyer asks the catalog: validated filters and a sort, independent of any database."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.catalog.categories import category
from domain.catalog.keywords import normalize_area, tokens
from domain.catalog.service import MAX_PRICE_MINOR_UNITS, PriceModel, Service
from domain.shared.errors import InvalidInput
from domain.shared.money import CURRENCY_EXPONENTS
from application.shared.pagination import Page

MAX_QUERY_CHARS = 200
MAX_QUERY_KEYWORDS = 12
MAX_FILTER_CATEGORIES = 20


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    RATING = "rating"


@dataclass(frozen=True)
class ServiceSearch:
    """Only listed services (active, seller taking jobs) are ever searched.

    ``keywords`` is ``q`` tokenised like the indexed keywords; a service matches when it has any
    of them, and relevance is how many it has. Price bounds are minor units, inclusive, and leave
    out services on quote (they have no price)."""

    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_price: int | None = None
    max_price: int | None = None
    currency: str | None = None
    area: str | None = None
    min_rating: float | None = None
    seller_id: str | None = None
    price_model: PriceModel | None = None
    sort: SortOrder = SortOrder.NEWEST

    @classmethod
    def build(cls, *, categories: list[str] | tuple[str, ...] = (), q: str | None = None,
              min_price: int | None = None, max_price: int | None = None, currency: str | None = None,
              area: str | None = None, min_rating: float | None = None, seller_id: str | None = None,
              price_model: str | None = None, sort: str | None = None) -> ServiceSearch:
        if len(categories) > MAX_FILTER_CATEGORIES:
            raise InvalidInput(f"at most {MAX_FILTER_CATEGORIES} categories", field="category")
        slugs = tuple(sorted({category(c).slug for c in categories}))
        if q is not None and len(q) > MAX_QUERY_CHARS:
            raise InvalidInput(f"must have at most {MAX_QUERY_CHARS} characters", field="q")
        keywords = tuple(tokens(q or ""))
        if len(keywords) > MAX_QUERY_KEYWORDS:
            raise InvalidInput(f"use at most {MAX_QUERY_KEYWORDS} words", field="q")
        for name, value in (("min_price", min_price), ("max_price", max_price)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value <= MAX_PRICE_MINOR_UNITS):
                raise InvalidInput(f"must be a whole number of minor units, 0 to {MAX_PRICE_MINOR_UNITS}",
                                   field=name)
        if min_price is not None and max_price is not None and min_price > max_price:
            raise InvalidInput("must not be above max_price", field="min_price")
        if currency is not None and currency not in CURRENCY_EXPONENTS:
            raise InvalidInput(f"unsupported currency {currency!r}", field="currency")
        if min_rating is not None and not 0 <= min_rating <= 5:
            raise InvalidInput("must be between 0 and 5", field="min_rating")
        area_key = None
        if area is not None:
            area_key = normalize_area(area)
            if not 2 <= len(area_key) <= 80:
                raise InvalidInput("a city or postal code of 2 to 80 characters", field="area")
        model = None
        if price_model is not None:
            try:
                model = PriceModel(price_model)
            except ValueError:
                raise InvalidInput("must be one of fixed, hourly, quote", field="price_model") from None
        try:
            order = SortOrder(sort) if sort is not None else None
        except ValueError:
            raise InvalidInput("must be one of " + ", ".join(s.value for s in SortOrder), field="sort") from None
        if order is SortOrder.RELEVANCE and q is None:
            raise InvalidInput("relevance needs a text query q", field="sort")
        if order is None or (order is SortOrder.RELEVANCE and not keywords):
            # A q made only of stop words filters nothing, so there is nothing to rank by.
            order = SortOrder.RELEVANCE if keywords else SortOrder.NEWEST
        return cls(categories=slugs, keywords=keywords, min_price=min_price, max_price=max_price,
                   currency=currency, area=area_key, min_rating=min_rating, seller_id=seller_id,
                   price_model=model, sort=order)

    def without_categories(self) -> ServiceSearch:
        return ServiceSearch(keywords=self.keywords, min_price=self.min_price, max_price=self.max_price,
                             currency=self.currency, area=self.area, min_rating=self.min_rating,
                             seller_id=self.seller_id, price_model=self.price_model, sort=self.sort)


@dataclass(frozen=True)
class SearchResult:
    """A page of services, and per category how many services match every filter except the
    category one, so a client can show how many it would get by switching or adding a chip."""

    page: Page[Service]
    category_counts: dict[str, int] = field(default_factory=dict)
