"""CreateVirtualMFADevice with valid requests: every check of the created device, one test per check.

Hypothesis draws valid Path x name x tags from the model; each example creates a device once
(`conformance.scenarios.created_device`), and every check judges that device. With the ``aws`` profile
that create is the first of `conformance.scenarios.duplicates.created_twice` (the same-path duplicate
sent while the device exists), shared through the observation memo with `test_duplicates`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import edge_case_twin, with_edge_cases
from conformance.runner.profiles import shares_probes, suite_settings
from conformance.scenarios import checks_for, created_device, duplicates
from conformance.session.calls import Rejection
from conformance.session.devices import CreatedDevice
from strategies.valid import create_virtual_mfa_device_requests


@pytest.mark.parametrize("check", checks_for(created_device.CREATED), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_created_device(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    device = _created(judge, params)
    # A rejected valid request is judged by vmfa.create.valid-request-accepted, not here.
    assume(not isinstance(device, Rejection))
    judge(check, device)


@pytest.mark.parametrize("check", checks_for(created_device.REQUEST), ids=str)
@settings(suite_settings())
# serial_safe: a path or name that makes a serial the model forbids (SPEC-NOTES, known contradictions)
# creates a device that a conformant endpoint then refuses to delete; such inputs get their own check.
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_valid_request(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    judge(check, _created(judge, params))


def _created(judge: Judge, params: dict[str, Any]) -> CreatedDevice | Rejection:
    """What the valid create answered (the device is deleted again)."""
    if shares_probes():
        twice: duplicates.CreatedTwice = judge.observe(duplicates.created_twice, edge_case_twin(params))
        return twice.first
    device: CreatedDevice | Rejection = judge.observe(created_device.gather, params)
    return device
