"""A test's examples gathered side by side on a lagging endpoint, then judged as one after another.

On an endpoint whose reads lag its writes (a remote target: a patience above 0), an example that
writes and then reads waits out the lag, and a test waits once an example. Hypothesis hands a test its
examples one at a time, each judged before the next is drawn, so the waits cannot overlap inside one
pass. So a test whose gatherer allows it (`conformance.judging.memo.overlappable`) runs twice at most:

1. a first pass draws the examples exactly as the plain pass will (the same seed, the same
   strategies: Hypothesis draws the same inputs) and judges none of them: each example's gathering is
   started on a thread of its own, and the threads take turns (`conformance.session.turns`), each
   giving way only while it waits out the lag. The observations go to the run's memo;
2. then every example is judged in the order drawn. When every one passes (PASS, or INFO notes), that
   is the test's result, as the plain pass would have found it. Anything else (a miss, a skip, an
   example with no observation, a gathering that raised) and the observations the first pass gathered
   are forgotten, and the plain pass runs as it always does, gathering each example anew, one after
   another: the verdict is the plain pass's, whatever the first found (an observation made beside
   others is never judged but when it passed).

So the waits overlap and the verdicts are those of the plain pass. Interrupted, the threads are told
to stop waiting and run to their ends (their devices deleted) before the interrupt goes on.

The waits of one test overlap; so can those of several. The first test of a run to make a first pass
also draws the examples of the tests after it that may make one (`conformance.runner.ahead`), and
starts their gatherings beside its own: one wait for them all. Nothing of theirs is judged then; each
such test, in its turn, makes its own first pass, which finds its observations in the memo and judges
them as above. An observation gathered side by side is only ever judged by a first pass
(`ObservationMemo.once`, ``beside``): the plain pass gathers its example anew.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from conformance.judging.memo import ObservationMemo, overlaps
from conformance.judging.registry import Check
from conformance.session.turns import Turns

__all__ = ["Declined", "FirstPass", "judged_in_order"]


class _Record(Protocol):
    examples: int
    notes: list[str]
    first_miss: Any


class Judge(Protocol):
    """What a first pass needs of `conformance.judging.verdicts.Judge`."""

    memo: ObservationMemo
    session: Any
    record: Any

    def observe(self, gather: Callable[..., Any], *inputs: Any) -> Any: ...

    def __call__(self, check: Check[Any], observation: Any) -> None: ...


class Declined(BaseException):
    """A gathering the first pass may not start beside others: the test runs its plain pass alone.

    Not an `Exception`: Hypothesis would take it for a failure of the example, shrink it and keep it
    in its example database; a `BaseException` ends its run at once, as an interrupt does."""


@dataclass
class FirstPass:
    """The first pass of one test (module docstring), and the later tests' examples drawn ahead."""

    turns: Turns = field(default_factory=Turns)
    pending: list[tuple[Check[Any], Callable[..., Any], tuple[Any, ...]]] = field(default_factory=list)
    gathering: list[tuple[Callable[..., Any], tuple[Any, ...]]] = field(default_factory=list)  # started
    begun: set[Hashable] = field(default_factory=set)  # the examples started, here or ahead: once each
    ahead: int | None = None  # drawing a later test's examples: how many more may be started

    @property
    def started(self) -> int:
        """Gatherings started on threads for this test."""
        return len(self.gathering)

    def defer(
        self, judge: Judge, check: Check[Any], gather: Callable[..., Any], inputs: tuple[Any, ...]
    ) -> None:
        """Note the example (not when drawn ahead), and start its gathering unless the memo has it
        already or it has been started."""
        if not overlaps(gather):
            raise Declined(gather.__qualname__)
        if self.turns.errors:  # a gathering raised: the plain pass meets it, or the test ends there
            raise Declined("a gathering raised")
        if self.ahead is None:
            self.pending.append((check, gather, inputs))
        key = judge.memo.key(gather, inputs)
        if key in self.begun or judge.memo.has(gather, *inputs):
            return
        if self.ahead is not None:
            if self.ahead <= 0:
                raise Declined("no room left in the memo for examples drawn ahead")
            self.ahead -= 1
        else:
            self.gathering.append((gather, inputs))
        self.begun.add(key)
        self.turns.start(_gathering(judge, gather, inputs, ahead=self.ahead is not None))

    def call(self, test: Callable[..., Any], arguments: dict[str, Any]) -> bool:
        """``test(**arguments)`` drawing its examples, their gatherings started: True when it ran to its
        end. An interrupt tells the threads to end their waits (they run to their ends) and goes on;
        anything else (`Declined`, or what the plain pass meets again and judges) is False."""
        try:
            test(**arguments)
        except KeyboardInterrupt:
            self.turns.stop.set()
            raise
        except BaseException:
            return False
        return True

    def judged(self, judge: Judge) -> bool:
        """Judge every example noted, in order; True when each passed (the test's result stands), else
        False with the judge's record as it was (the plain pass judges again)."""
        if self.turns.errors or not self.pending:
            return self._forget(judge)
        return judged_in_order(judge, self._observed(judge)) or self._forget(judge)

    def _observed(self, judge: Judge) -> Iterator[tuple[Check[Any], Any]]:
        """Each example noted with its observation, as gathered side by side."""
        for check, gather, inputs in self.pending:
            if not judge.memo.has(gather, *inputs):
                raise Declined("an observation is no longer kept")
            observation = judge.memo.once(gather, *inputs, context=judge.session, beside=True)
            if observation is None:
                raise Declined("an example with nothing to judge")
            yield check, observation

    def judged_none(self, judge: Judge) -> bool:
        """The first pass ended early: nothing is judged, the plain pass gathers anew (False)."""
        return self._forget(judge)

    def _forget(self, judge: Judge) -> bool:
        """The plain pass gathers every example anew: False."""
        for gather, inputs in self.gathering:
            judge.memo.forget(gather, *inputs)
        return False


def judged_in_order(judge: Judge, observed: Iterable[tuple[Check[Any], Any]]) -> bool:
    """Judge each observation by its check, in order: True when every one passed, else False with the
    judge's record as it was (the plain pass judges again). An interrupt (or the endpoint's breakage)
    goes on, not judged again."""
    record: _Record = judge.record
    saved = (record.examples, list(record.notes), record.first_miss)
    try:
        for check, observation in observed:
            judge(check, observation)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        record.examples, record.notes[:], record.first_miss = saved
        return False
    return True


def _gathering(
    judge: Judge, gather: Callable[..., Any], inputs: tuple[Any, ...], *, ahead: bool
) -> Callable[[], None]:
    """The work of one gathering on its thread: the observation kept in the memo as gathered side by
    side. Drawn ahead for a later test, what it raises is that test's own business (nothing is kept:
    its first pass gathers the example again, or its plain pass meets it), not this test's."""

    def work() -> None:
        try:
            judge.memo.once(gather, *inputs, context=judge.session, beside=True)
        except Exception:
            if not ahead:
                raise

    return work
