"""Every operation that takes a SerialNumber, sent one that breaks the model
(`conformance.scenarios.invalid_serial`): drawn serials, and those at each boundary in every run."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, per_label, with_boundaries
from conformance.runner.profiles import shares_probes, suite_settings
from conformance.scenarios import checks_for, invalid_serial
from strategies.invalid_serials import SERIAL_OPERATIONS, invalid_serial_boundaries, invalid_serial_numbers
from strategies.model import string_constraint
from strategies.violations import InvalidRequest

_CHAR = "serial.pattern.char"
_TOO_LONG = "serial.length.max"


def _boundaries(case: invalid_serial.SerialCase) -> tuple[InvalidRequest, ...]:
    """The case's boundary serials. With the ``aws`` profile (`shares_probes`), the edge characters of
    a constraint that several operations share (the same length range and pattern: one
    serialNumberType) are dealt out among those operations, each character to one of them, instead of
    each to all eight: every edge of the class is still sent, and every operation still gets both
    lengths and at least one edge character of its own, so an operation that does not validate the
    serial at all, or only its length, is still caught; what is given up is an endpoint that refuses a
    character in one operation and takes it in another."""
    found = invalid_serial_boundaries(case.api_name)[case.label]
    if case.label != _CHAR or not shares_probes() or not found:
        return found
    shape = _shape(case.api_name)
    sharing = [operation for operation in SERIAL_OPERATIONS if _shape(operation) == shape]
    index, count = sharing.index(case.api_name), len(sharing)
    dealt = tuple(request for at, request in enumerate(found) if at % count == index)
    return dealt or (found[index % len(found)],)


def _shape(operation: str) -> tuple[object, ...]:
    constraint = string_constraint(operation, "SerialNumber")
    return (constraint.min_length, constraint.max_length, constraint.pattern)


_BOUNDARIES = {str(case): _boundaries(case) for case in invalid_serial.CASES}


def _invalid_serial_test(case: invalid_serial.SerialCase) -> Any:
    """The test of one operation and violated constraint, with its own boundaries (`per_label`)."""

    @pytest.mark.parametrize("case", [case], ids=str)
    @pytest.mark.parametrize("check", checks_for(invalid_serial.INVALID_SERIAL), ids=str)
    @settings(suite_settings(), max_examples=min(suite_settings().max_examples, 3))
    @with_boundaries(_BOUNDARIES[str(case)])
    @given(data=st.data(), boundary=st.none())
    def test_invalid_serial_number(
        check: Check[Any],
        case: invalid_serial.SerialCase,
        data: st.DataObject | None,
        boundary: InvalidRequest | None,
        judge: Judge,
    ) -> None:
        strategy = invalid_serial_numbers(case.label, case.api_name)
        drawn = boundary_or_drawn(boundary, data, strategy, "SerialNumber")
        invalid = _boundary_twin(case, drawn)
        judge.gathered(check, invalid_serial.gather, case, invalid)

    return test_invalid_serial_number


per_label("test_invalid_serial_number", invalid_serial.CASES, _invalid_serial_test, globals())


def _boundary_twin(case: invalid_serial.SerialCase, invalid: InvalidRequest) -> InvalidRequest:
    """With the ``aws`` profile, a drawn serial exactly as long as the length boundary's (one character
    past the maximum: Hypothesis's simplest draw, the first it sends) breaks what that boundary breaks,
    the length and nothing else: the boundary's request is judged instead, and the observation memo
    answers it without a call."""
    if not shares_probes() or case.label != _TOO_LONG:
        return invalid
    length = len(str(invalid.params["SerialNumber"]))
    twins = [found for found in _BOUNDARIES[str(case)] if len(str(found.params["SerialNumber"])) == length]
    return twins[0] if twins else invalid
