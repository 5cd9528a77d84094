"""CreateVirtualMFADevice with valid requests: every check of the created device, one test per check.

Hypothesis draws valid Path x name x tags from the model; each example creates a device, judges it
with one check and deletes it again. A test per check means a failure is shrunk for that rule alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given

from conformance.checks.registry import Check, checks_for
from conformance.results import Judge
from conformance.observations import CreateRejected
from conformance.suite import SuiteSession
from strategies.valid import create_virtual_mfa_device_requests


@pytest.mark.parametrize("check", checks_for("create.valid"), ids=str)
@given(request=create_virtual_mfa_device_requests(serial_safe=True))
def test_created_device(check: Check[Any], request: dict[str, Any], suite: SuiteSession, judge: Judge) -> None:
    with suite.create_device(request) as device:
        # A rejected valid request is judged by vmfa.create.valid-request-accepted, not here.
        assume(not isinstance(device, CreateRejected))
        judge(check, device)


@pytest.mark.parametrize("check", checks_for("create.request"), ids=str)
@given(request=create_virtual_mfa_device_requests())
def test_valid_request(check: Check[Any], request: dict[str, Any], suite: SuiteSession, judge: Judge) -> None:
    with suite.create_device(request) as outcome:
        judge(check, outcome)
