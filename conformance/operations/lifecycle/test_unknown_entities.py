"""Each lifecycle operation asked about a device or a user that does not exist
(`conformance.scenarios.unknown_entities`)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, unknown_entities


@pytest.mark.parametrize("case", unknown_entities.CASES, ids=str)
@pytest.mark.parametrize("check", checks_for(unknown_entities.UNKNOWN_ENTITY), ids=str)
@settings(suite_settings(), max_examples=min(suite_settings().max_examples, 3))
@given(names=unknown_entities.NAMES)
def test_unknown_entity(
    check: Check[Any], case: unknown_entities.Case, names: tuple[str, str], judge: Judge
) -> None:
    judge.gathered(check, unknown_entities.gather, case, names)
