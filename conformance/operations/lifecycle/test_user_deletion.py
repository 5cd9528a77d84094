"""DeleteUser of a user who holds an MFA device (`conformance.scenarios.user_deletion`).

An endpoint that wrongly accepts it may be left broken by it (LocalStack 2026.3.0's store answers 500 to
every listing afterwards): it is sent in a scenario of its own, once per example, few examples, after
every test that does not damage the endpoint's state and before the state machine.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, user_deletion


@pytest.mark.damages_state
@pytest.mark.parametrize("check", checks_for(user_deletion.HOLDING_DEVICE), ids=str)
@settings(suite_settings(), max_examples=min(suite_settings().max_examples, 3))
@given(name=user_deletion.NAMES)
def test_user_holding_device(check: Check[Any], name: str, judge: Judge) -> None:
    judge.gathered(check, user_deletion.gather, name)
