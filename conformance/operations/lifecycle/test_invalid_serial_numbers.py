"""Every operation that takes a SerialNumber, sent one that breaks the model
(`conformance.scenarios.invalid_serial`): drawn serials, and those at each boundary in every run."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, with_boundaries
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, invalid_serial
from strategies.invalid_serials import invalid_serial_boundaries, invalid_serial_numbers
from strategies.violations import InvalidRequest

_BOUNDARIES = {
    str(case): invalid_serial_boundaries(case.api_name)[case.label] for case in invalid_serial.CASES
}


@pytest.mark.parametrize("case", invalid_serial.CASES, ids=str)
@pytest.mark.parametrize("check", checks_for(invalid_serial.INVALID_SERIAL), ids=str)
@settings(suite_settings(), max_examples=min(suite_settings().max_examples, 3))
@with_boundaries(_BOUNDARIES)
@given(data=st.data(), boundary=st.none())
def test_invalid_serial_number(
    check: Check[Any],
    case: invalid_serial.SerialCase,
    data: st.DataObject | None,
    boundary: tuple[str, InvalidRequest] | None,
    judge: Judge,
) -> None:
    strategy = invalid_serial_numbers(case.label, case.api_name)
    invalid = boundary_or_drawn(str(case), boundary, data, strategy, "SerialNumber")
    judge.gathered(check, invalid_serial.gather, case, invalid)
