"""The seller's completed-jobs counter moves with the order's completion, in its unit of work:
once per completion, whether the buyer, the seller or the scheduler completes it, and never for a
repeated, duplicated or lost completion."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from application.orders import use_cases as uc
from domain.orders.errors import ActionNotAllowed, ConcurrentOrderChange
from domain.orders.order import OrderStatus as S
from tests.unit.application.orders_world import BUYER, SELLER, BothReadFirst, World


@pytest.fixture
def world() -> World:
    return World()


def test_completing_a_job_counts_it_once_in_one_unit_of_work(world):
    order = world.accepted()
    world.clock.current = order.slot_start  # on the day
    world(uc.StartOrder).execute(SELLER, order.id)
    world(uc.CompleteOrder).execute(BUYER, order.id)
    assert world.completed_jobs.counts == {"seller": 1} and world.uow.committed == 1

    with pytest.raises(ActionNotAllowed):  # the client retries: the order is completed already
        world(uc.CompleteOrder).execute(SELLER, order.id)
    assert world.completed_jobs.counts == {"seller": 1}


def test_the_scheduler_counts_the_job_it_completes_and_nothing_on_later_passes(world):
    order = world.accepted()
    world.clock.current = order.slot_end + timedelta(hours=72, seconds=1)
    assert world(uc.RunDueTimers).execute("s1") == 1
    assert world(uc.RunDueTimers).execute("s2") == 0
    assert world.orders.get(order.id).status is S.COMPLETED
    assert world.completed_jobs.counts == {"seller": 1} and world.uow.committed == 1


def test_a_job_completed_by_hand_is_not_counted_again_by_its_stale_timer(world):
    order = world.accepted()
    world.clock.current = order.slot_start  # on the day
    world(uc.StartOrder).execute(SELLER, order.id)
    world(uc.CompleteOrder).execute(SELLER, order.id)
    world.clock.current = order.slot_end + timedelta(hours=72, seconds=1)
    assert world(uc.RunDueTimers).execute("s1") == 0
    assert world.completed_jobs.counts == {"seller": 1}


def test_other_timers_count_nothing(world):
    world.book()
    world.clock.advance(minutes=16)
    assert world(uc.RunDueTimers).execute("s1") == 1  # an unpaid booking expired
    assert world.completed_jobs.counts == {} and world.uow.committed == 0


def test_of_two_simultaneous_completions_one_lands_and_the_job_is_counted_once(world):
    order = world.accepted()
    world.clock.current = order.slot_start  # on the day
    world(uc.StartOrder).execute(SELLER, order.id)
    racing = BothReadFirst(world.orders, 2)
    outcomes: list[object] = []

    def complete(actor):
        try:
            outcomes.append(uc.CompleteOrder(racing, world.clock, world.completed_jobs, world.uow)
                            .execute(actor, order.id).status)
        except ConcurrentOrderChange as error:
            outcomes.append(error)

    threads = [threading.Thread(target=complete, args=(actor,)) for actor in (BUYER, SELLER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(map(type, outcomes), key=str) == sorted([S, ConcurrentOrderChange], key=str)
    assert world.completed_jobs.counts == {"seller": 1}
