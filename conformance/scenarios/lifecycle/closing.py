"""The lists check's sequences on a lagging endpoint: each one's closing comparison made while the next
sequence runs, in a first pass; the plain run only when that pass did not find every list agreeing.

With a patience the views are compared where the steps alone decide (`conformance.scenarios.lifecycle
.machine`): before an answer is blamed, and when a sequence ends. The latter reads right after the
sequence's last step, and so waits out the endpoint's lag once a sequence: most of the lists check's
time. Hypothesis runs the sequences one after another, so those waits cannot overlap inside one run.

So the lists check first runs its sequences as the plain run draws them (the same seed and settings,
without shrinking), each sequence's steps sent in order on the test's thread as always, but its closing
comparison, and then the release of what it created, made on a thread of its own that takes turns with
the test's (`conformance.session.turns`): it reads once, and while it waits out the lag the next
sequence runs. Nothing is judged then: every comparison's reading is kept, and judged in the end, in
order. When every one agrees (and nothing else went wrong), that is the check's result, as the plain run
would have found it; anything else and the plain run runs as it always does, one sequence after
another, and its verdict is the result (a finding always comes from the plain run).

Only the lists check, only with a patience, and not with ``--workers`` (the turns hold no device names).
An endpoint that breaks (`conformance.session.health`) ends the pass at the step after which it broke,
as it ends the plain run: every step is sent on the test's thread, and a refused call wrongly accepted is
followed at once by a basic read there. The one difference: a comparison of the sequence before it, made
while the lag is waited out, may then meet the broken endpoint instead of its verdict; the check whose
step broke it is the lists check either way, the last test of a run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.judging.first_pass import judged_in_order
from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.scenarios.lifecycle.checks import LISTS
from conformance.session.suite import SuiteSession
from conformance.session.turns import Turns

__all__ = ["Kept", "first_pass", "overlaps"]


class Kept(Judge):
    """A judge that judges nothing: it keeps each observation, to be judged after the pass."""

    def __init__(self, judge: Judge) -> None:
        super().__init__(judge.record, judge.memo, judge.session)
        self.kept: list[tuple[Check[Any], Any]] = []

    def __call__(self, check: Check[Any], observation: Any) -> None:
        self.kept.append((check, observation))


def overlaps(suite: SuiteSession, check: Check[Any]) -> bool:
    """Whether the lists check's closing comparisons are made side by side first (module docstring)."""
    return check.scenario == LISTS and suite.consistency.patience_s > 0 and suite.names is None


def first_pass(judge: Judge, run: Callable[[Kept, Turns], None]) -> bool:
    """``run(kept, turns)`` runs the sequences, their closing comparisons on ``turns`` and judged by
    ``kept``; True when every kept observation then passes ``judge`` (the check's result stands), False
    with ``judge``'s record as it was (the plain run follows). An interrupt (or the endpoint's breakage)
    goes on, once the comparisons' threads ran to their ends."""
    kept, turns = Kept(judge), Turns()
    try:
        with turns:
            run(kept, turns)
    except KeyboardInterrupt:
        raise
    except BaseException:  # a sequence that went wrong: the plain run meets it again and judges it
        return False
    return not turns.errors and bool(kept.kept) and judged_in_order(judge, kept.kept)
