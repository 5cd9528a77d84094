"""CreateVirtualMFADevice with valid requests: every check of the created device, one test per check.

Hypothesis draws valid Path x name x tags from the model; each example creates a device, judges it
with one check and deletes it again. A test per check means a failure is shrunk for that rule alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings

from conformance.checks.registry import Check, checks_for
from conformance.explicit_examples import with_edge_cases
from conformance.observations import Rejection
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.valid import create_virtual_mfa_device_requests


@pytest.mark.parametrize("check", checks_for("create.valid"), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_created_device(check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge) -> None:
    with suite.create_device(params) as device:
        # A rejected valid request is judged by vmfa.create.valid-request-accepted, not here.
        assume(not isinstance(device, Rejection))
        judge(check, device)


@pytest.mark.parametrize("check", checks_for("create.request"), ids=str)
@settings(suite_settings())
# serial_safe: a path or name that makes a serial the model forbids (SPEC-NOTES, known contradictions)
# creates a device that a conformant endpoint then refuses to delete; such inputs get their own check.
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_valid_request(check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge) -> None:
    with suite.create_device(params) as outcome:
        judge(check, outcome)
