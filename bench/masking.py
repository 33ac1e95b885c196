"""The contact masking's cost against a message's length (issue #20, item 8): every pattern must
grow linearly, so a message of the longest allowed length costs a bounded amount of work.

    PYTHONPATH=src:. .venv/bin/python -m bench.masking

Prints, per shape of hostile text, the best time of a call at 1x, 4x and 16x of the longest
message (2,000 characters) and the ratio 4x / 1x: 4 is linear, 16 quadratic.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from domain.conversations.conversation import MAX_TEXT
from domain.conversations.masking import mask_contacts

# Long runs that the e-mail patterns once re-read from every position (a word with no "@" after
# it, spaces before no "at"), and the phone pattern's own worst case (runs of eight digits).
HOSTILE_SHAPES: dict[str, Callable[[int], str]] = {
    "letters": lambda n: "a" * n,
    "digits": lambda n: "1" * n,
    "dotted word": lambda n: ("a." * n)[:n],
    "hyphens": lambda n: "-" * n,
    "spaces then a word": lambda n: "a" + " " * (n - 2) + "x",
    "word then at": lambda n: ("a at " * n)[:n],
    "eight digits apart": lambda n: ("1 2 3 4 5 6 7 8 x" * n)[:n],
    "domain with no dot": lambda n: "a@" + "b" * (n - 2),
}


def best_seconds(text: str, *, repeat: int = 5, calls: int = 1,
                 clock: Callable[[], float] = time.perf_counter) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = clock()
        for _ in range(calls):
            mask_contacts(text)
        best = min(best, (clock() - started) / calls)
    return best


def main() -> None:
    sizes = (MAX_TEXT, 4 * MAX_TEXT, 16 * MAX_TEXT)
    print(f"contact masking, best of 5 calls, ms at {', '.join(f'{n:,}' for n in sizes)} characters")
    for name, shape in HOSTILE_SHAPES.items():
        times = [best_seconds(shape(n)) for n in sizes]
        cells = "  ".join(f"{t * 1000:8.3f}" for t in times)
        print(f"  {name:<20} {cells}   4x/1x {times[1] / times[0]:4.1f}")


if __name__ == "__main__":
    main()
