"""The examples of later tests, drawn ahead by the first test of a run that makes a first pass, so that
their gatherings wait out the endpoint's lag beside its own (`conformance.judging.first_pass`).

On a lagging endpoint each test that makes a first pass waits once, however many examples it has:
the tests of a quick run wait one after another. Drawing the later tests' examples during the first
one's pass makes those waits one. Only tests that would make a first pass themselves (`passes`), in the
run's own order, after deselection (``-k``): each is called as its first pass calls it, with a judge of
its own that judges nothing, its gatherings only started (`FirstPass.ahead`). A test that does more
than gather (`Declined`) is left to its own passes, as are the other tests of the same function.

What was gathered ahead is kept in the run's memo as gathered side by side, so that only a first pass
judges it; the memo is bounded, and at most half of it is filled ahead (secrets stay in memory). A test
whose own first pass draws other examples than were drawn ahead gathers those itself: slower, never
otherwise judged. Hypothesis draws the same examples for the same seed, but it also draws constants it
finds in the project's own modules, read again whenever a module is imported: a module of the project
imported only in the middle of a run changes the later draws (so `conformance.runner.run_state`
imports what it uses at the top).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.judging.first_pass import FirstPass
from conformance.judging.verdicts import ItemRecord, Judge

__all__ = ["draw_ahead"]

_DRAWN_AHEAD = pytest.StashKey[set[str]]()  # the tests whose examples have been drawn ahead (node ids)
_DECLINED = pytest.StashKey[set[Any]]()  # the test functions that did more than gather, drawn ahead


def draw_ahead(
    item: pytest.Function, judge: Judge, side: FirstPass, eligible: Callable[[pytest.Function], bool]
) -> None:
    """Start the gatherings of the tests after ``item`` that make a first pass (``eligible``) beside
    ``item``'s own (``side``), each test once a run."""
    drawn = item.config.stash.setdefault(_DRAWN_AHEAD, set())
    drawn.add(item.nodeid)
    items = item.session.items
    later = items[items.index(item) + 1 :] if item in items else []
    declined = item.config.stash.setdefault(_DECLINED, set())  # test functions that did more than gather
    side.ahead = max(0, judge.memo.size // 2 - side.started)
    try:
        for other in later:
            if other.nodeid in drawn or not isinstance(other, pytest.Function) or not eligible(other):
                continue
            arguments = _arguments(other, judge, side)
            if other.function in declined or arguments is None:
                continue
            drawn.add(other.nodeid)
            if not side.call(other.obj, arguments):  # Declined, or what that test's own passes meet again
                declined.add(other.function)
            if not side.ahead:
                break
    finally:
        side.ahead = None


def _arguments(item: pytest.Function, judge: Judge, side: FirstPass) -> dict[str, Any] | None:
    """What ``item``'s function is called with: its parameters, the run's session and a judge of its own
    that only starts gatherings; None when it needs another fixture."""
    params: dict[str, Any] = item.callspec.params if hasattr(item, "callspec") else {}
    arguments: dict[str, Any] = {}
    for name in item._fixtureinfo.argnames:
        if name in params:
            arguments[name] = params[name]
        elif name == "judge":
            arguments[name] = Judge(ItemRecord(), judge.memo, judge.session, side=side)
        elif name == "suite":
            arguments[name] = judge.session
        else:
            return None
    return arguments if "judge" in arguments else None
