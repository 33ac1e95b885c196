"""Pages as every list of the API counts them."""

from __future__ import annotations

import pytest

from application.shared.pagination import Page, PageRequest, every_item


@pytest.mark.parametrize(("total", "page_size", "pages"), [(0, 20, 0), (1, 20, 1), (20, 20, 1), (21, 20, 2)])
def test_total_pages_counts_the_pages_that_hold_something(total, page_size, pages):
    assert Page(items=[], total=total, request=PageRequest(1, page_size)).total_pages == pages


def test_every_item_stops_on_an_empty_store_after_one_read():
    reads = []

    def fetch(request: PageRequest) -> Page[int]:
        reads.append(request.page)
        return Page(items=[], total=0, request=request)

    assert every_item(fetch) == [] and reads == [1]
