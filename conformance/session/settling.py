"""Reads that must reflect a write: polled, within a patience, until they do.

IAM is eventually consistent: a read right after a write may not reflect it yet, and may not even see an
entity created a moment ago (``NoSuchEntity``: `not_visible_yet`). Local targets have no patience (one
read); the last read is returned either way, for the check to judge, and `Consistency` counts the reads
that had to wait, the longest wait and the time spent waiting, for the report.

A settle stops at the first read that holds its expectation. The pauses between reads start short and
grow slowly to a small ceiling: a lag of two seconds is seen a fraction of a second after it ends, and a
remote endpoint is still not sent more than a few reads a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from conformance.session.calls import Rejection, Reply

__all__ = ["Consistency", "not_visible_yet", "settle"]

# The pause before the n-th poll (n = 1, 2, ...) is min(_POLL_STEP_S * n, _POLL_MAX_S).
_POLL_STEP_S, _POLL_MAX_S = 0.1, 0.5
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
    started, polls = time.monotonic(), 0
    while not expected(value) and (spent := time.monotonic() - started) < patience:
        polls += 1
        time.sleep(min(_POLL_STEP_S * polls, _POLL_MAX_S, patience - spent))
        value = read()
    waited = time.monotonic() - started
    consistency.reads_polled += 1
    consistency.reads_unsettled += not expected(value)
    consistency.longest_s = max(consistency.longest_s, round(waited, 3))
    consistency.waited_s = round(consistency.waited_s + waited, 3)
    return value
