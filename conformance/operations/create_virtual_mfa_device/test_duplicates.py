"""CreateVirtualMFADevice for a name that is taken: on the same path, and on another path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import with_edge_cases
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, duplicates
from strategies.valid import create_virtual_mfa_device_requests


@pytest.mark.parametrize("check", checks_for(duplicates.SAME_PATH), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_path_and_name(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    judge.gathered(check, duplicates.gather, params, None)


@pytest.mark.parametrize("check", checks_for(duplicates.OTHER_PATH), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_name_on_another_path(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    judge.gathered(check, duplicates.gather, params, duplicates.other_path(params))
