"""Each lifecycle operation asked about a device or a user that does not exist.

Every example creates a user and a device that exist (so that only the named entity is missing), and a
second device that it deletes at once: its serial is well formed, with nothing behind it. The missing
user is a name of the run's own that was never created.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.checks.not_found import UnknownEntity
from conformance.checks.registry import Check, checks_for
from conformance.observations import CreatedDevice, refusal
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession, totp_codes
from strategies.names import virtual_mfa_device_names


@dataclass(frozen=True)
class _World:
    user: str  # exists
    device: CreatedDevice  # exists, unassigned
    absent_user: str
    absent_serial: str

    def codes(self) -> dict[str, str]:
        assert self.device.seed is not None
        return totp_codes(self.device.seed, time.time())


@dataclass(frozen=True)
class _Case:
    operation: str  # boto3's name
    api_name: str
    missing: str
    params: Callable[[_World], dict[str, Any]]

    def __str__(self) -> str:  # the case's name in test ids and in the report
        return f"{self.api_name}: {self.missing}"


def _serial(world: _World) -> str:
    assert world.device.serial_number is not None
    return world.device.serial_number


_CASES = (
    _Case(
        "enable_mfa_device",
        "EnableMFADevice",
        "the user",
        lambda w: {"UserName": w.absent_user, "SerialNumber": _serial(w), **w.codes()},
    ),
    _Case(
        "enable_mfa_device",
        "EnableMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial, **w.codes()},
    ),
    _Case(
        "deactivate_mfa_device",
        "DeactivateMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial},
    ),
    _Case(
        "deactivate_mfa_device",
        "DeactivateMFADevice",
        "the user",
        lambda w: {"UserName": w.absent_user, "SerialNumber": _serial(w)},
    ),
    _Case(
        "resync_mfa_device",
        "ResyncMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial, **w.codes()},
    ),
    _Case("get_mfa_device", "GetMFADevice", "the device", lambda w: {"SerialNumber": w.absent_serial}),
    _Case("list_mfa_devices", "ListMFADevices", "the user", lambda w: {"UserName": w.absent_user}),
    _Case(
        "delete_virtual_mfa_device",
        "DeleteVirtualMFADevice",
        "the device",
        lambda w: {"SerialNumber": w.absent_serial},
    ),
)
_NAMES = st.tuples(*(virtual_mfa_device_names(serial_safe=True, max_length=20),) * 2).filter(
    lambda names: names[0] != names[1]
)


def _created(suite: SuiteSession, name: str, stack: contextlib.ExitStack) -> CreatedDevice:
    device = stack.enter_context(
        suite.create_device({"VirtualMFADeviceName": f"{name}-{suite.unique_token()}"})
    )
    assume(isinstance(device, CreatedDevice) and device.serial_number)
    assert isinstance(device, CreatedDevice)
    return device


@pytest.mark.parametrize("case", _CASES, ids=str)
@pytest.mark.parametrize("check", checks_for("lifecycle.unknown-entity"), ids=str)
@settings(suite_settings(), max_examples=min(suite_settings().max_examples, 3))
@given(names=_NAMES)
def test_unknown_entity(
    check: Check[Any], case: _Case, names: tuple[str, str], suite: SuiteSession, judge: Judge
) -> None:
    with contextlib.ExitStack() as stack:
        user = stack.enter_context(suite.user())
        device = _created(suite, names[0], stack)
        with contextlib.ExitStack() as gone:
            absent_serial = _created(suite, names[1], gone).serial_number
        assert absent_serial is not None
        world = _World(user, device, f"{user}-never-created", absent_serial)
        call, answer = suite.invoke(case.operation, case.params(world))
        judge(check, UnknownEntity(call, case.api_name, case.missing, refusal(answer)))
