"""CreateVirtualMFADevice for a name that is taken: on the same path, and on another path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings

from conformance.checks.registry import Check, checks_for
from conformance.explicit_examples import with_edge_cases
from conformance.observations import CreatedDevice, DuplicateCreate
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.paths import path_shape
from strategies.valid import create_virtual_mfa_device_requests


@pytest.mark.parametrize("check", checks_for("create.duplicate"), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_path_and_name(
    check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge
) -> None:
    with suite.create_device(params) as first:
        assume(isinstance(first, CreatedDevice))  # a refused valid create is judged elsewhere
        assert isinstance(first, CreatedDevice)
        with suite.create_device(params) as second:
            judge(check, DuplicateCreate(first, second))


def _other_path(params: dict[str, Any]) -> str:
    """A path other than the request's: the default one, or a path one level down from it."""
    delimiter = path_shape().delimiter
    path = str(params.get("Path", delimiter))
    return delimiter if path != delimiter else f"{delimiter}other{delimiter}"


@pytest.mark.parametrize("check", checks_for("create.duplicate.other-path"), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_name_on_another_path(
    check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge
) -> None:
    with suite.create_device(params) as first:
        assume(isinstance(first, CreatedDevice))
        assert isinstance(first, CreatedDevice)
        with suite.create_device({**params, "Path": _other_path(params)}) as second:
            judge(check, DuplicateCreate(first, second))
