"""A check for tests of the judging machinery: its verdict is chosen by the test, not by a rule."""

from __future__ import annotations

from typing import Any

from conformance.judging.outcomes import Outcome, Pass
from conformance.judging.registry import Check
from reports.model import Evidence

__all__ = ["judged_on_two"]


def judged_on_two(outcome: Outcome, check_id: str, operation: str) -> Check[Any]:
    """A check that gives ``outcome`` for the observation 2 and passes every other."""

    def judged(observation: int) -> Outcome:
        return outcome if observation == 2 else Pass()

    return Check(
        id=check_id,
        operation=operation,
        scenario="s",
        clause="c",
        evidence=Evidence.MODEL,
        title="t",
        function=judged,
    )
