"""Reads that must reflect a write: polled, within a patience, until they do.

IAM is eventually consistent: a read right after a write may not reflect it yet. Local targets have no
patience (one read); the last read is returned either way, for the check to judge, and `Consistency`
counts the reads that had to wait and the longest wait, for the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Consistency", "settle"]

_POLL_FIRST_S, _POLL_MAX_S = 0.2, 2.0  # the first pause between polls, and the longest
T = TypeVar("T")


@dataclass
class Consistency:
    """How often reads had to be polled before they reflected a write, and for how long at most."""

    patience_s: float
    reads_polled: int = 0
    reads_unsettled: int = 0  # still not as expected when the patience ran out
    longest_s: float = 0.0


def settle(read: Callable[[], T], expected: Callable[[T], bool], consistency: Consistency) -> T:
    """``read()``, polled until ``expected`` holds of it or ``consistency.patience_s`` is spent."""
    value = read()
    patience = consistency.patience_s
    if patience <= 0 or expected(value):
        return value
    started, pause = time.monotonic(), _POLL_FIRST_S
    while not expected(value) and time.monotonic() - started < patience:
        time.sleep(min(pause, max(0.0, patience - (time.monotonic() - started))))
        pause = min(pause * 2, _POLL_MAX_S)
        value = read()
    consistency.reads_polled += 1
    consistency.reads_unsettled += not expected(value)
    consistency.longest_s = max(consistency.longest_s, round(time.monotonic() - started, 3))
    return value
