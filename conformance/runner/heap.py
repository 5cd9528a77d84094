"""The run's long-lived objects kept out of the garbage collector's way (a pytest plugin of the CLI).

Collection builds what lives as long as the run: the botocore model, the Unicode tables of the
patterns, every strategy and check. Python's garbage collector walks all of it again on each of its
full collections during the tests: 0.7 s of a quick run's 10 s of CPU time, measured with gc.callbacks.
Frozen once collected, those objects are left out of every later collection (0.4 s); what the tests
allocate is collected as before.

The collector is off from this module's import to the end of collection: the CLI loads it before the
plugin (``-p`` plugins are imported in the order given), so that in each ``--workers`` process, which
imports the plugin afresh, the suite's modules are imported without some 80 collections walking a heap
that only grows (0.04 s of CPU per process; the CLI's own process imported them already, the same
way). Only the CLI loads it, for a run that goes on to collect.

Two more cuts, measured the same way (the collector's time in a quick run: 0.57-0.63 s before them,
0.34-0.36 s after): while collection builds those objects the collector is off, since its full
collections walked the growing heap again and again for garbage that the one collection before the
freeze frees anyway; and afterwards a young collection comes every 7,000 allocations, not 700 (the
tests allocate many short-lived containers, most of them freed by reference counting before any
collection could matter).
"""

from __future__ import annotations

import gc
from collections.abc import Generator

import pytest

__all__ = ["pytest_collection", "pytest_collection_finish"]

_YOUNG_THRESHOLD = 7000  # allocations between two young collections (Python's default: 700)

gc.disable()  # on again when collection ends (`pytest_collection`)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    gc.disable()
    try:
        return (yield)
    finally:
        gc.enable()  # also when collection fails


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()  # what collection left as garbage is freed, not frozen with the rest
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, middle, old)
