"""Noticing when a small model has fallen into a loop.

Greedy decoding of a small model sometimes repeats one phrase until the token limit
("pour faire de la mise en place, pour faire de la mise en place, ..."). Stopping when the
newest tokens are the same block repeated saves the writer that wait; the text before
the loop is kept.
"""

from __future__ import annotations

MAX_PERIOD = 48


def _repeats(period: int) -> int:
    """How many back-to-back copies count as a loop: short blocks need more."""
    return 3 if period >= 8 else 8 if period >= 2 else 16


class RepetitionGuard:
    def __init__(self) -> None:
        self.looping = False

    def check(self, ids: list[int]) -> bool:
        """True once the end of `ids` is one block of tokens repeated."""
        if self.looping:
            return True
        size = len(ids)
        for period in range(1, MAX_PERIOD + 1):
            count = _repeats(period)
            span = period * count
            if span > size:
                continue
            block = ids[size - period :]
            if all(ids[size - (k + 1) * period : size - k * period] == block for k in range(1, count)):
                self.looping = True
                return True
        return False
