"""The masking patterns must cost in proportion to the text (issue #20, item 8): on these shapes
they once re-read the rest of a run from every position, so four times the text cost sixteen
times the time (2,000 letters: over a second on a busy machine)."""

from __future__ import annotations

import pytest

from bench.masking import HOSTILE_SHAPES, best_seconds
from domain.conversations.conversation import MAX_TEXT

# Linear is 4; quadratic is 16. Generous, since the machines are shared and noisy.
MAX_RATIO = 8.0


@pytest.mark.parametrize("shape", list(HOSTILE_SHAPES))
def test_four_times_the_text_costs_about_four_times_the_work(shape):
    make = HOSTILE_SHAPES[shape]
    small, large = make(MAX_TEXT // 2), make(2 * MAX_TEXT)
    # Enough calls that a measurement is several milliseconds, not the timer's resolution; the two
    # sizes alternate so a busy moment of the machine falls on both, and the best of each is kept.
    calls = max(1, int(0.01 / max(best_seconds(small, repeat=3), 1e-6)))
    small_best = large_best = float("inf")
    for _ in range(5):
        small_best = min(small_best, best_seconds(small, repeat=1, calls=calls))
        large_best = min(large_best, best_seconds(large, repeat=1, calls=calls))
    ratio = large_best / small_best
    assert ratio < MAX_RATIO, f"{shape}: 4x the text took {ratio:.1f}x the time"
