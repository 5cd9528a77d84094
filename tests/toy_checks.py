"""Checks for tests of the judging machinery, whose verdicts the test chooses, not a rule: a check as an
object (`judged_on_two`), or a conformance test module's text for pytester (`toy_module`)."""

from __future__ import annotations

from typing import Any

from conformance.judging.outcomes import Outcome, Pass
from conformance.judging.registry import Check
from reports.model import Evidence

__all__ = ["judged_on_two", "toy_module"]

# What the tests of `toy_module` need, first in the module.
_IMPORTS = """
import pytest
from hypothesis import given, settings, strategies as st

from conformance.runner.profiles import suite_settings
"""
_TEST = """

@pytest.mark.parametrize("check", {checks}, ids=str)
@settings(suite_settings())
@given(n=st.integers(0, 100))
def {name}(check, n, suite, judge):
    judge(check, n)
"""


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


def toy_module(checks: str, **tests: str) -> str:
    """A conformance test module for pytester: ``checks`` (the text that defines lists of checks, or
    imports them), then a test for each keyword, named by it, parametrized by the list of checks its
    value names; each test judges every integer Hypothesis draws from 0 to 100, with the suite's
    settings (the checks make of them the verdicts the caller wants)."""
    return (
        _IMPORTS + checks + "".join(_TEST.format(name=name, checks=listed) for name, listed in tests.items())
    )
