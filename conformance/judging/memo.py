"""Observations gathered once per drawn example, shared by every check of the scenario.

A scenario's checks each get a test of their own (so that Hypothesis shrinks a failure for that rule
alone), and with the run's seed they draw the same examples. Gathering an observation is the expensive
part (the assignment scenario is thirteen calls), so the first test to draw an example gathers it and
the others judge the same observation. A replay of a failing example (Hypothesis replays to shrink and
to report) meets the same observation too: no verdict depends on what an earlier attempt left on the
endpoint. Nothing is kept when gathering raised (a rejected assumption, a missing operation).

An observation gathered side by side with others, in a first pass (`conformance.judging.first_pass`),
is kept apart: only a first pass judges it. A plain pass that meets one gathers that example anew, one
after another, so that a finding always comes from a plain gathering.

Observations may hold secrets (a created device's seed): the memo is bounded, in memory only, and
cleared when the run ends.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ObservationMemo", "overlappable"]

T = TypeVar("T")
_SIZE = 256  # examples kept: a scenario's tests run one after another, so the recent ones are the ones met


G = TypeVar("G", bound=Callable[..., Any])
_OVERLAPS = "_gathered_side_by_side"


def overlappable(gather: G) -> G:
    """Mark ``gather`` as one whose examples may be gathered side by side, taking turns
    (`conformance.judging.verdicts.Judge.gathered`): it waits once for its writes to show and reads
    only what its own example made, so another example's devices existing meanwhile change nothing."""
    setattr(gather, _OVERLAPS, True)
    return gather


def overlaps(gather: Callable[..., Any]) -> bool:
    return bool(getattr(gather, _OVERLAPS, False))


class ObservationMemo:
    def __init__(self, size: int = _SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        # Gathered side by side (module docstring): apart, so that the plain passes of the tests run
        # between a first pass that gathered ahead and the test it gathered for do not push them out.
        self._beside: OrderedDict[Hashable, Any] = OrderedDict()

    def once(self, gather: Callable[..., T], *inputs: Any, context: Any = None, beside: bool = False) -> T:
        """``gather(context, *inputs)``, or what it gave for the same inputs before.

        The key is the gatherer and the ``repr`` of the drawn inputs (``context``, the session, is not
        an input): equal draws have equal reprs. ``beside``: gathered, or judged, in a first pass; a
        plain call (False) never gets an observation gathered side by side: it gathers anew.
        """
        key = self.key(gather, inputs)
        for kept in (self._kept, self._beside) if beside else (self._kept,):
            if key in kept:
                kept.move_to_end(key)
                value: T = kept[key]
                return value
        self._drop(key)
        value = gather(context, *inputs)
        store = self._beside if beside else self._kept
        store[key] = value
        if len(store) > self.size:
            store.popitem(last=False)
        return value

    def has(self, gather: Callable[..., Any], *inputs: Any) -> bool:
        key = self.key(gather, inputs)
        return key in self._kept or key in self._beside

    def forget(self, gather: Callable[..., Any], *inputs: Any) -> None:
        self._drop(self.key(gather, inputs))

    def _drop(self, key: Hashable) -> None:
        self._kept.pop(key, None)
        self._beside.pop(key, None)

    @staticmethod
    def key(gather: Callable[..., Any], inputs: tuple[Any, ...]) -> Hashable:
        return (gather.__module__, gather.__qualname__, repr(inputs))

    def clear(self) -> None:
        self._kept.clear()
        self._beside.clear()
