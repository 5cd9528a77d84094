"""Reads of one unchanged state sent side by side: each read in a thread of its own, its pages in order.

After each step of a lifecycle sequence the state machine reads every view of the state
(`conformance.scenarios.lifecycle.views`): three AssignmentStatus filters of ListVirtualMFADevices,
ListMFADevices for each user, the tags. Nothing is written while they are read, so the order in which
they are read changes nothing they show, and against an endpoint that answers in tens of milliseconds
their waits, added up one after another, were most of the time the state machine took. Side by side, a
step's reading takes as long as its longest walk. Each walk is still one walk: its pages one after
another, each Marker the one its previous page gave, so a page that drops or repeats an entry at a
Marker shows exactly as before.

A sequence's clean-up goes the same way (`LifecycleMachine.teardown`): its users released side by
side (each user's devices deactivated before it is deleted, in that user's thread), then its devices
deleted side by side. Each delete touches only its own user or device, so their order changes nothing
the endpoint keeps; the requests are the same.

The results come back in the order the reads were given, and when reads failed, the first of them in
that order is the one raised, as it would have been one after another (the others have been read too:
a few requests more, only on a failing step). An interrupt that ends a test at once (`EndpointBroke`,
`FaultInterrupt`: not an ``Exception``) wins over any other failure, as one after another it would have
ended the reading wherever it came; the endpoint's breakage is then noted once, by the health watch,
from whichever of the failing first pages it saw first, so the read a report names may be another
filter's than one after another. Every thread has ended before anything is returned or raised, so
nothing is sent after its test. The session's shared parts are safe for this: botocore's
clients are, the call counter counts under a lock, the HTTP status of an answer is kept per thread
(`conformance.session.clients.StatusRecorder`), and the health watch notes one answer at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

__all__ = ["MAX_THREADS", "side_by_side"]

T = TypeVar("T")
# A step reads three filters, a user or two and a tag list or two: more threads would not shorten it,
# and an endpoint that counts requests a second (AWS) sees no more than this at once.
MAX_THREADS = 6


def side_by_side(reads: Sequence[Callable[[], T]], *, together: bool = True) -> list[T]:
    """Each read's result, in the order given; ``together=False`` (or a single read): one after another,
    in this thread."""
    if not together or len(reads) < 2:
        return [read() for read in reads]
    with ThreadPoolExecutor(min(len(reads), MAX_THREADS), thread_name_prefix="iam-conformance-read") as pool:
        futures = [pool.submit(read) for read in reads]
        wait(futures)
    failures = [future.exception() for future in futures]
    interrupt = next((f for f in failures if f is not None and not isinstance(f, Exception)), None)
    if interrupt is not None:
        raise interrupt
    return [future.result() for future in futures]  # the first failure in order is raised
