"""Reads that must reflect a write: polled, within a patience, until they do.

IAM is eventually consistent: a read right after a write may not reflect it yet, and may not even see an
entity created a moment ago (``NoSuchEntity``: `not_visible_yet`). Local targets have no patience (one
read); the last read is returned either way, for the check to judge, and `Consistency` counts the reads
that had to wait, the longest wait and the time spent waiting, for the report.

A settle stops at the first read that holds its expectation. An endpoint's lag is much the same from
one write to the next, so a settle learns it: the first poll is sent just before the time the recent
settles took (`_AIM` of their median), and the polls after it start short and double up to a small
ceiling. A lag of two seconds is then seen about a tenth of a second after it ends, with two or three
reads instead of seven; before anything is learned (the run's first settles), the pauses start at
50 ms and double to the ceiling.

A settle on a thread of `conformance.session.turns` hands the turn over while it pauses (another
observation runs meanwhile), and `Consistency.waits` counts the times the run stopped to wait: settles
waiting side by side are one.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from conformance.session.calls import Rejection, Reply
from conformance.session.turns import pause, stopping

__all__ = ["Consistency", "not_visible_yet", "settle"]

# The pause before the n-th poll (n = 0, 1, ...) is min(_POLL_FIRST_S * 2**n, _POLL_MAX_S); with a lag
# learned, the first poll is sent at _AIM of the median of the last _LEARNED settles' waits.
_POLL_FIRST_S, _POLL_MAX_S = 0.05, 0.5
_AIM, _LEARNED = 0.9, 5
_NO_SUCH_ENTITY = "NoSuchEntity"
T = TypeVar("T")


@dataclass
class Consistency:
    """How often reads had to be polled before they reflected a write, and for how long."""

    patience_s: float
    reads_polled: int = 0
    reads_unsettled: int = 0  # still not as expected when the patience ran out
    longest_s: float = 0.0
    waited_s: float = 0.0  # the time all polled reads spent waiting, together
    # the times the run stopped to wait: polled reads that began waiting while no other was (reads
    # gathered side by side wait together, `conformance.session.turns`: one wait, however many reads)
    waits: int = 0

    def __post_init__(self) -> None:
        # Not a field: what is learned of the lag is not a count for the report.
        self.recent_s: deque[float] = deque(maxlen=_LEARNED)  # the last settles' waits, settled ones
        self.waiting = 0  # polled reads waiting now
        # Reads may be polled on threads side by side (a sequence's clean-up, `side_by_side`): each
        # count is updated whole.
        self.lock = threading.Lock()

    def expected_wait(self) -> float:
        """How long a read is expected to take to reflect a write: 0 until a polled read settled."""
        return _AIM * statistics.median(self.recent_s) if self.recent_s else 0.0


def not_visible_yet(answer: object) -> bool:
    """A read refused with ``NoSuchEntity``, which right after the entity was created may only mean that
    the endpoint does not show it yet: a `Rejection`, or a `Reply` holding one."""
    if isinstance(answer, Reply):
        answer = answer.rejection
    return isinstance(answer, Rejection) and answer.code == _NO_SUCH_ENTITY


def settle(read: Callable[[], T], expected: Callable[[T], bool], consistency: Consistency) -> T:
    """``read()``, polled until ``expected`` holds of it or ``consistency.patience_s`` is spent."""
    value = read()
    patience = consistency.patience_s
    if patience <= 0 or expected(value):
        return value
    started, pauses = time.monotonic(), _pauses(consistency.expected_wait())
    with consistency.lock:
        consistency.waits += consistency.waiting == 0
        consistency.waiting += 1
    try:
        while not expected(value) and (spent := time.monotonic() - started) < patience and not stopping():
            pause(min(pauses(spent), patience - spent))
            value = read()
    finally:
        with consistency.lock:
            consistency.waiting -= 1
    waited = time.monotonic() - started
    settled = expected(value)
    with consistency.lock:
        consistency.reads_polled += 1
        consistency.reads_unsettled += not settled
        consistency.longest_s = max(consistency.longest_s, round(waited, 3))
        consistency.waited_s = round(consistency.waited_s + waited, 3)
        if settled:
            consistency.recent_s.append(waited)
    return value


def _pauses(expected_s: float) -> Callable[[float], float]:
    """The pause before each poll, given the time spent so far: first until ``expected_s`` (if more
    than a short pause of it is left), then doubling from `_POLL_FIRST_S` to `_POLL_MAX_S`."""
    aimed, doubled = expected_s <= 0, 0

    def next_pause(spent: float) -> float:
        nonlocal aimed, doubled
        if not aimed:
            aimed = True
            if expected_s - spent > _POLL_FIRST_S:
                return expected_s - spent
        doubled += 1
        return float(min(_POLL_FIRST_S * 2 ** (doubled - 1), _POLL_MAX_S))

    return next_pause
