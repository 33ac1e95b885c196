from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.shared.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = 20

    def __post_init__(self) -> None:
        if self.page < 1:
            raise InvalidInput("page must be 1 or more", field="page")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    request: PageRequest

    @property
    def total_pages(self) -> int:
        # An empty result has no pages: "page 1 of 1" would promise a page that holds nothing.
        return -(-self.total // self.request.page_size)


def every_item(fetch: Callable[[PageRequest], Page[T]], *, page_size: int = MAX_PAGE_SIZE,
               max_pages: int = 10_000) -> list[T]:
    """Every item a paged read returns, page after page (exports read a person's whole history).
    ``max_pages`` bounds a store whose total keeps growing while it is read."""
    items: list[T] = []
    page = PageRequest(page=1, page_size=page_size)
    while page.page <= max_pages:
        found = fetch(page)
        items.extend(found.items)
        if not found.items or page.page >= found.total_pages:
            break
        page = PageRequest(page=page.page + 1, page_size=page_size)
    return items
