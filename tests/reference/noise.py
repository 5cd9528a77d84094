"""Switches: noise that a conformant endpoint may show, which the suite must survive unchanged.

A mutant breaks one rule; a switch keeps every rule and adds what a real endpoint adds on the way:
time (latency), refusals that have nothing to do with the request (throttling), and reads that lag behind
writes (eventual consistency). So switches live here, apart from ``Rules`` and ``MUTANTS``, and combine
with any mutant: ``ReferenceEndpoint(mutant=..., noise=Noise(...))``.

- ``latency_ms``: every answer leaves that much later (slept outside the store lock, so concurrent
  requests wait side by side, as they would on a slow network).
- ``throttle_rate``: that share of requests is answered, without being performed, as AWS throttles:
  ``400 Throttling`` "Rate exceeded", a Sender fault in the service's Query error document. Which
  requests are throttled is drawn from ``seed``: the n-th request to arrive gets the n-th draw, so a run
  is reproducible whatever threads answer it.
- ``read_lag_s``: reads see the account as it was that long ago; writes act on the current state at once
  ("Changes that I make are not always immediately visible", IAM User Guide, troubleshooting:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
"""

from __future__ import annotations

import bisect
import math
import random
import threading
from dataclasses import dataclass

from .store import Store

__all__ = ["THROTTLING", "History", "Noise", "Throttle"]


@dataclass(frozen=True)
class Noise:
    """What a conformant endpoint adds on top of the rules; the defaults add nothing."""

    latency_ms: float = 0.0
    throttle_rate: float = 0.0  # a share of requests, from 0 (none) to 1 (all)
    read_lag_s: float = 0.0
    seed: int = 0  # decides which requests are throttled

    def __post_init__(self) -> None:
        for name in ("latency_ms", "read_lag_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
        if not 0 <= self.throttle_rate <= 1:  # also refuses NaN
            raise ValueError(f"throttle_rate must be between 0 and 1, not {self.throttle_rate!r}")


@dataclass(frozen=True)
class _ErrorAnswer:
    code: str
    message: str
    status: int
    sender_fault: bool


# What IAM and STS answer a caller over its request rate; botocore's retry handlers know the code.
THROTTLING = _ErrorAnswer("Throttling", "Rate exceeded", 400, sender_fault=True)


class Throttle:
    """Decides, request by request, whether to throttle: reproducible from the seed, thread-safe."""

    def __init__(self, rate: float, seed: int) -> None:
        self._rate = rate
        self._draws = random.Random(seed)
        self._lock = threading.Lock()

    def next_throttled(self) -> bool:
        if self._rate == 0:
            return False
        with self._lock:
            return self._draws.random() < self._rate


class History:
    """The account's states over the last ``lag_s`` seconds, for reads that lag behind writes.

    ``record`` keeps a copy of the store after every write; ``as_of`` answers with the newest copy
    that was already there ``lag_s`` ago (the first one, for an endpoint younger than that). Copies
    older than the one a read can still be given are dropped. Call both under the store's lock: it
    orders writes, reads and the clock the same way.
    """

    def __init__(self, lag_s: float, store: Store, now: float) -> None:
        self._lag_s = lag_s
        self._times: list[float] = [now]
        self._states: list[Store] = [store.snapshot()]

    def record(self, store: Store, now: float) -> None:
        self._times.append(now)
        self._states.append(store.snapshot())
        self._forget_before(now - self._lag_s)

    def as_of(self, now: float) -> Store:
        self._forget_before(now - self._lag_s)
        return self._states[0]

    def _forget_before(self, cutoff: float) -> None:
        # The newest state recorded at or before the cutoff is what reads see; older ones are never seen.
        visible = max(bisect.bisect_right(self._times, cutoff) - 1, 0)
        del self._times[:visible], self._states[:visible]

    def __len__(self) -> int:
        return len(self._states)
