"""Running a Hypothesis state machine against an endpoint: a bounded shrink, and the failing sequence
noted for the report.

Why a budget: Hypothesis shrinks a failing sequence by replaying variants of it until none is smaller,
hundreds of them. In memory that is instant; against an endpoint each replay is dozens of requests,
and one failure of the lifecycle machine took from 30 seconds to five minutes to shrink (measured
against the reference endpoint). The first few dozen replays find the short sequence (the steps that
do not matter dropped); `ShrinkBudget` lets a failure be replayed that many times, then ends the run
and reports the shortest failing sequence seen, which is a real failure: every sequence it keeps failed.

Why an interrupt: rejecting the replays past the budget would make a sequence Hypothesis has seen run
once behave otherwise the next time, which it rightly reports as flaky. A `KeyboardInterrupt` is the one
exception its engine lets through at once without judging the test case it interrupted;
`run_sequences` catches that subclass, and only it, before pytest could take it for Ctrl-C.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import settings
from hypothesis.control import current_build_context
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from conformance.judging.verdicts import STEPS_NOTE

__all__ = ["ShrinkBudget", "run_sequences"]


class _BudgetSpent(KeyboardInterrupt):
    """Ends Hypothesis's run at once; caught by `run_sequences`, never seen by pytest."""


@dataclass
class ShrinkBudget:
    """How many more sequences may replay a failure, and the shortest failing sequence so far."""

    replays: int
    shortest: tuple[int, AssertionError] | None = None  # (steps, failure)

    def admit(self) -> None:
        """Call as a sequence starts: ends the run once a failure has been replayed ``replays`` times.
        Hypothesis's final replay of the failure it reports always runs (it makes the report's notes)."""
        if self.shortest is None or current_build_context().is_final:
            return
        if self.replays <= 0:
            raise _BudgetSpent
        self.replays -= 1

    def failed(self, failure: AssertionError, steps: str, count: int) -> None:
        """Note the numbered ``steps`` on ``failure`` (the report's counterexample); keep the shortest."""
        failure.add_note(f"{STEPS_NOTE}\n{steps}")
        if self.shortest is None or count < self.shortest[0]:
            self.shortest = (count, failure)


def run_sequences(
    machine: type[RuleBasedStateMachine], sequence_settings: settings, budget: ShrinkBudget
) -> None:
    """`run_state_machine_as_test`, ended early by ``budget`` with the shortest failure seen.

    Hypothesis is handed a function that makes the machine, not the class: it takes a digest of what it
    is handed, for the example database's key, and a class's source is found by parsing its whole
    module (some 30 ms for machine.py, each test). A `functools.partial` has no source: its digest is
    its signature's, as the two checks' classes had one digest between them already (they are made by
    `machine_for`, and found by name: `LifecycleMachine`'s source). The key is never used with a seed,
    as every run of the command has; nor are the draws, which the seed decides, touched by it."""
    try:
        # Typed for a class in Hypothesis; documented as "anything which returns an instance".
        run_state_machine_as_test(functools.partial(machine), settings=sequence_settings)  # type: ignore[arg-type]
    except _BudgetSpent:
        assert budget.shortest is not None, "the budget ends a run only after a failure"
        raise budget.shortest[1] from None
