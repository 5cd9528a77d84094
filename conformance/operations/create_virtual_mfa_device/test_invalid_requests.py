"""CreateVirtualMFADevice with requests that break exactly one constraint.

One test per (check, violated constraint): every constraint of the request (strategies.violations)
is tried in every run, and a failure names both the rule and the constraint that exposed it. The
requests go through the unvalidated client, so that boto3 does not refuse them before the endpoint.
Every run also sends, for each pattern, each character just outside an edge of its class
(`strategies.boundary_requests`), as explicit examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, per_label, with_boundaries
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for
from conformance.scenarios.invalid_create import gather
from strategies.boundary_requests import invalid_create_boundaries
from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.violations import InvalidRequest

_BOUNDARIES = invalid_create_boundaries()


def _invalid_request_test(label: str) -> Any:
    """The test of one violated constraint: its boundaries are its explicit examples (`per_label`)."""

    @pytest.mark.parametrize("label", [label])
    @pytest.mark.parametrize("check", checks_for(gather.INVALID), ids=str)
    @settings(suite_settings())
    @with_boundaries({label: _BOUNDARIES.get(label, ())})
    @given(data=st.data(), boundary=st.none())
    def test_invalid_request(
        check: Check[Any],
        label: str,
        data: st.DataObject | None,
        boundary: tuple[str, InvalidRequest] | None,
        judge: Judge,
    ) -> None:
        strategy = invalid_create_virtual_mfa_device_requests([label])
        invalid = boundary_or_drawn(label, boundary, data, strategy, "invalid request")
        judge.gathered(check, gather.gather, invalid)

    return test_invalid_request


per_label("test_invalid_request", gather.LABELS, _invalid_request_test, globals())


@pytest.mark.parametrize("label", gather.LABELS)
@pytest.mark.parametrize("check", checks_for(gather.ATOMIC), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_refused_create_leaves_nothing(
    check: Check[Any], label: str, data: st.DataObject, judge: Judge
) -> None:
    invalid = data.draw(invalid_create_virtual_mfa_device_requests([label]), label="invalid request")
    judge.gathered(check, gather.gather_atomic, invalid, label)
