"""The lists check judged from the answers check's run, where that gives the verdict its own run would.

The two lifecycle checks are two tests, each running the state machine on its own
(`conformance.scenarios.lifecycle.machine`), and against an endpoint that answers every step as the model
predicts, the second run sends the sequences of the first again: the same seed, the same settings, the
same draws. Only the reading after each step differs (the answers check reads the cheapest views, the
lists check every one), and the answers check sends, after each new assignment, the three calls the
documents then refuse, which draw nothing and change nothing on such an endpoint. Against an endpoint
30 ms away the lists check's run was a fifth of a run's time, and with ``--workers`` the end of it,
alone on one worker (`conformance.runner.worker_schedule`).

So when the lists check's test is still to run in this process (the caller says so: ``lists_follow``)
and the run's seed is fixed (`conformance.judging.run_seed`; without it the two tests draw sequences of
their own), the answers check's run also reads, at each point where the lists check's run would compare
(after a step, not after the refusals), every view the lists check reads, beside its own
(`views.compare_views_alongside`: its own reading unchanged, the others through a client the health
watch does not take for basic reads, what they raise kept from its run), and keeps what the lists check
would have judged there, without judging it. The lists check's test then judges the kept observations
in order (`conformance.judging.first_pass.judged_in_order`): when every one passes, that is its result,
with as many examples as its own run would have judged; otherwise its own run runs as it always does,
and its verdict is the result: a finding always comes from the lists check's own run.

The fixed seed also means that no sequence comes from Hypothesis's example database: with a forced seed
Hypothesis keeps none for a test (`run_seed`), so neither run first replays sequences saved by an
earlier run, which the other would not meet (Hypothesis deletes a saved sequence once it passes).

The kept observations stand only when the answers check's run went as the lists check's would have:
nothing in it disagreed with the model (no miss, no view lost), nothing raised, no step took the answer
the model accepts besides success (a device enabled again with codes it accepted before, and refused
them: which answer comes depends on the clock). Once anything of that happened, the other views are no
longer read (a shrinking replay does not pay for them). The steps the kept observations list include
the refusals the answers check sent, which the lists check's run would not have sent: they show only in
a miss's text, and a kept observation is only the result when it passed.

Only without a patience (with one, the lists check compares where its sequences end, and makes those
comparisons side by side itself: `conformance.scenarios.lifecycle.closing`), and without a call budget
(the other views' calls would spend the answers check's budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.judging import run_seed
from conformance.judging.first_pass import judged_in_order
from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.scenarios.lifecycle.checks import ListedState
from conformance.session.suite import SuiteSession

__all__ = ["Alongside", "begin", "judged"]

_HELD = "lifecycle.lists-alongside"  # `SuiteSession.held`: the kept observations, for the lists test


@dataclass
class Alongside:
    """The lists check's observations kept from the answers check's run (module docstring)."""

    observations: list[ListedState] = field(default_factory=list)
    spoilt: str | None = None  # why they cannot stand for the lists check's run; None: they may

    @property
    def reading(self) -> bool:
        """Whether the other views are still read (nothing has spoilt the observations yet)."""
        return self.spoilt is None

    def spoil(self, why: str) -> None:
        self.spoilt = self.spoilt or why

    def keep(self, observed: ListedState | None) -> None:
        """A reading of every view (None: one of them failed); one that disagrees ends the keeping."""
        if observed is None or observed.disagreements:
            self.spoil("a view read for the lists check failed or disagreed")
        else:
            self.observations.append(observed)


def begin(suite: SuiteSession, *, lists_follow: bool) -> Alongside | None:
    """For the answers check's run: what keeps the lists check's observations, or None when they are not
    to be kept (module docstring)."""
    if (
        not lists_follow
        or not run_seed.fixed()
        or suite.consistency.patience_s > 0
        or suite.max_calls is not None
    ):
        return None
    kept = suite.held[_HELD] = Alongside()
    return kept


def judged(suite: SuiteSession, judge: Judge, check: Check[Any]) -> bool:
    """For the lists check's test: True when the observations kept from the answers check's run all
    pass ``check`` (judged by ``judge``: its result stands); else False with the judge as it was."""
    alongside: Alongside | None = suite.held.pop(_HELD, None)
    if alongside is None or alongside.spoilt is not None or not alongside.observations:
        return False
    return judged_in_order(judge, [(check, observed) for observed in alongside.observations])
