"""Random sequences of lifecycle calls against the endpoint, judged after every step by a model
(`conformance.scenarios.lifecycle`: the machine, the model, the views and the two checks)."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for
from conformance.scenarios.lifecycle.checks import ANSWERS, LISTS
from conformance.scenarios.lifecycle.machine import run_machine
from conformance.session.suite import SuiteSession


# Last in a run: its sequences send the calls the documents refuse (DeleteUser of a user holding a
# device, ...), and an endpoint that wrongly accepts one may break (LocalStack 2026.3.0 does). After
# the DeleteUser scenario too, whose one refused call then has its own check's verdict.
@pytest.mark.damages_state(last=True)
@pytest.mark.parametrize("check", checks_for(ANSWERS) + checks_for(LISTS), ids=str)
def test_lifecycle_state_machine(
    check: Check[Any], suite: SuiteSession, judge: Judge, request: pytest.FixtureRequest
) -> None:
    run_machine(suite, judge, check, suite_settings(), lists_follow=_lists_follow(request, check))
    if not judge.record.examples:
        pytest.skip("every sequence disagreed with the model before this check could judge a step")


def _lists_follow(request: pytest.FixtureRequest, check: Check[Any]) -> bool:
    """Whether this is the answers check's test and the lists check's test runs after it in this process
    (after deselection, ``-k``; with ``--workers`` both are in the tail, on one worker): then, with the
    run's seed fixed, the answers check's run keeps what the lists check's would observe
    (`conformance.scenarios.lifecycle.alongside`)."""
    if check.scenario != ANSWERS:
        return False
    items, node = request.session.items, request.node
    later = items[items.index(node) + 1 :] if node in items else []
    return any(
        isinstance(item, pytest.Function)
        and item.function is getattr(node, "function", None)
        and getattr(item, "callspec", None) is not None
        and getattr(item.callspec.params.get("check"), "scenario", None) == LISTS
        for item in later
    )
