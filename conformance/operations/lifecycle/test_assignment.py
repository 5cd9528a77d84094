"""Devices through their assignment, one test per check (`conformance.scenarios.assignment`): the
calls are made once per drawn example, and every check judges them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for
from conformance.scenarios.assignment import gather


@pytest.mark.parametrize("check", checks_for(gather.ASSIGNMENT), ids=str)
@settings(suite_settings())
@given(params=gather.DEVICES)
def test_assignment(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    judge.gathered(check, gather.gather, params)
