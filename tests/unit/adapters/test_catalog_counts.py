"""The catalog-wide category counts a worker keeps for a few seconds (``CatalogCounts``)."""

from __future__ import annotations

import threading

from adapters.outbound.catalog.mongo_repositories import CatalogCounts, _catalog_wide
from application.catalog.search import ServiceSearch


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Counter:
    def __init__(self) -> None:
        self.calls = 0
        self.value = {"plumbing": 1}

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return dict(self.value)


def test_counts_are_kept_for_the_ttl_then_counted_again():
    clock, count = Clock(), Counter()
    counts = CatalogCounts(10, clock)
    assert counts.get(count) == {"plumbing": 1}
    count.value = {"plumbing": 2}
    clock.now += 9.9
    assert counts.get(count) == {"plumbing": 1} and count.calls == 1
    clock.now += 0.2
    assert counts.get(count) == {"plumbing": 2} and count.calls == 2


def test_a_write_of_this_process_drops_the_kept_counts():
    clock, count = Clock(), Counter()
    counts = CatalogCounts(10, clock)
    counts.get(count)
    count.value = {"plumbing": 2}
    counts.forget()
    assert counts.get(count) == {"plumbing": 2} and count.calls == 2


def test_counts_taken_while_a_write_happened_are_not_kept():
    clock, count = Clock(), Counter()
    counts = CatalogCounts(10, clock)

    def racing_count() -> dict[str, int]:
        found = count()
        counts.forget()  # a write lands while the count runs
        return found

    counts.get(racing_count)
    counts.get(count)
    assert count.calls == 2


def test_a_ttl_of_zero_counts_every_time():
    count = Counter()
    counts = CatalogCounts(0, Clock())
    counts.get(count)
    counts.get(count)
    assert count.calls == 2


def test_callers_cannot_change_the_kept_counts():
    counts = CatalogCounts(10, Clock())
    counts.get(Counter())["plumbing"] = 99
    assert counts.get(Counter()) == {"plumbing": 1}


def test_concurrent_readers_share_one_count_once_kept():
    counts, count = CatalogCounts(10, Clock()), Counter()
    counts.get(count)
    threads = [threading.Thread(target=counts.get, args=(count,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count.calls == 1


def test_only_searches_filtered_by_nothing_but_categories_are_catalog_wide():
    assert _catalog_wide(ServiceSearch.build(categories=["plumbing"], sort="price_asc"))
    assert _catalog_wide(ServiceSearch())
    for narrowed in (ServiceSearch.build(q="grifo"), ServiceSearch.build(min_price=100),
                     ServiceSearch.build(price_model="hourly"), ServiceSearch.build(area="Madrid"),
                     ServiceSearch.build(min_rating=4), ServiceSearch.build(seller_id="s-1"),
                     ServiceSearch.build(lat=40.4, lng=-3.7)):
        assert not _catalog_wide(narrowed.without_categories())


def test_threads_that_miss_together_wait_for_one_count():
    counts, started, release = CatalogCounts(10, Clock()), threading.Event(), threading.Event()
    calls = []

    def slow_count() -> dict[str, int]:
        calls.append(1)
        started.set()
        release.wait(5)
        return {"plumbing": 1}

    threads = [threading.Thread(target=counts.get, args=(slow_count,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
