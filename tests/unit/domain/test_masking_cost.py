"""The masking patterns must cost in proportion to the text (issue #20, item 8): on these shapes
they once re-read the rest of a run from every position, so four times the text cost sixteen
times the time (2,000 letters: over a second on a busy machine)."""

from __future__ import annotations

import time

import pytest

from bench.masking import HOSTILE_SHAPES, best_seconds
from domain.conversations.conversation import MAX_TEXT

# Linear is 4; quadratic is 16. Generous, since the machines are shared and noisy.
MAX_RATIO = 8.0


@pytest.mark.parametrize("shape", list(HOSTILE_SHAPES))
def test_four_times_the_text_costs_about_four_times_the_work(shape):
    make = HOSTILE_SHAPES[shape]
    small, large = make(MAX_TEXT // 2), make(2 * MAX_TEXT)
    # This process's CPU time, not the wall clock: other jobs on a shared machine do not count. Enough
    # calls that a measurement is several milliseconds; the sizes alternate and the best of each is kept.
    def measure(text: str, **kwargs: int) -> float:
        return best_seconds(text, clock=time.process_time, **kwargs)

    calls = max(1, int(0.005 / max(measure(small, repeat=3), 1e-6)))
    small_best = large_best = float("inf")
    for _ in range(7):
        small_best = min(small_best, measure(small, repeat=1, calls=calls))
        large_best = min(large_best, measure(large, repeat=1, calls=calls))
    ratio = large_best / small_best
    assert ratio < MAX_RATIO, f"{shape}: 4x the text took {ratio:.1f}x the time"
