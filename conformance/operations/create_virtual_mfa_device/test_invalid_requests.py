"""CreateVirtualMFADevice with requests that break exactly one constraint.

One test per (check, violated constraint): every constraint of the request (strategies.violations)
is tried in every run, and a failure names both the rule and the constraint that exposed it. The
requests go through the unvalidated client, so that boto3 does not refuse them before the endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.checks.registry import Check, checks_for
from conformance.observations import InvalidCreate, Rejection
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.paths import path_shape
from strategies.serials import serial_is_valid, serial_number
from strategies.violations import CREATE_LABELS, InvalidRequest

LABELS = [spec.label for spec in CREATE_LABELS]
# Labels whose request keeps a valid path and name: after the refusal, the same device can be created.
_PATH_AND_NAME_VALID = [spec.label for spec in CREATE_LABELS if spec.member.startswith("Tags")]


def _draw(data: st.DataObject, label: str, suite: SuiteSession) -> InvalidRequest:
    """The drawn request, with one member it does not break made unique to this call.

    An endpoint that wrongly accepts an invalid path or name may store a device whose serial breaks
    the model, which a conformant delete then refuses; a replay of the same input (Hypothesis replays
    to shrink) would meet that device and be judged on it. A fresh name, or a fresh path where the
    name is what is broken, keeps every call independent. The drawn input is what reports show.
    """
    invalid = data.draw(invalid_create_virtual_mfa_device_requests([label]), label="invalid request")
    params, token = dict(invalid.params), suite.unique_token()
    delimiter = path_shape().delimiter
    if invalid.violation.member == "VirtualMFADeviceName":
        params["Path"] = f"{delimiter}{token}{delimiter}"
    else:
        params["VirtualMFADeviceName"] = f"{params['VirtualMFADeviceName']}-{token}"
    return InvalidRequest(params, invalid.violation)


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("check", checks_for("create.invalid"), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_invalid_request(
    check: Check[Any], label: str, data: st.DataObject, suite: SuiteSession, judge: Judge
) -> None:
    invalid = _draw(data, label, suite)
    with suite.create_device(invalid.params, validated=False) as outcome:
        judge(check, InvalidCreate(invalid.violation, outcome))


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("check", checks_for("create.invalid.atomic"), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_refused_create_leaves_nothing(
    check: Check[Any], label: str, data: st.DataObject, suite: SuiteSession, judge: Judge
) -> None:
    invalid = _draw(data, label, suite)
    before = suite.device_serials()
    with suite.create_device(invalid.params, validated=False) as outcome:
        if not isinstance(outcome, Rejection):
            judge(check, InvalidCreate(invalid.violation, outcome))
            return
        new_serials = frozenset(suite.device_serials() - before)
        for serial in new_serials:  # left behind by the refused create: ours to remove
            suite.tracker.adopt_device(serial)
        try:
            recreate_params = {key: value for key, value in invalid.params.items() if key != "Tags"}
            if new_serials or not _recreatable(label, recreate_params, suite):
                judge(check, InvalidCreate(invalid.violation, outcome, new_serials))
                return
            with suite.create_device(recreate_params) as recreate:
                judge(check, InvalidCreate(invalid.violation, outcome, new_serials, recreate))
        finally:
            for serial in new_serials:
                suite.tracker.release_device(serial)


def _recreatable(label: str, params: dict[str, Any], suite: SuiteSession) -> bool:
    """The refused request's path and name are valid, and make a device that can be deleted again."""
    if label not in _PATH_AND_NAME_VALID:
        return False
    account = suite.identity.account_id or "0" * 12
    serial = serial_number(account, str(params.get("Path", "/")), str(params["VirtualMFADeviceName"]))
    return serial_is_valid(serial)
