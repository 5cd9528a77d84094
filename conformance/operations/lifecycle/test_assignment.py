"""A device through its assignment, one test per check: enable with real TOTP codes, list under each
filter, read it back (GetMFADevice, ListMFADevices), enable again, delete while assigned, deactivate,
list again, delete, list again; and wrong codes on a second device.

Every example works on devices and a user of its own, all deleted at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.checks.registry import Check, checks_for
from conformance.observations import AssignmentProbe, CreatedDevice, GotDevice, Listing, Rejection, refusal
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.names import virtual_mfa_device_names
from strategies.paths import paths

# Small serial-safe devices: the lifecycle is not about names, and a unique token is appended to each
# (an endpoint that cannot release a device must not make a replayed example meet it again).
_DEVICES = st.fixed_dictionaries(
    {"VirtualMFADeviceName": virtual_mfa_device_names(serial_safe=True, max_length=24)},
    optional={"Path": paths(serial_safe=True, max_length=40)},
)


def _wrong_codes(suite: SuiteSession, user: str, params: dict[str, Any]) -> Rejection | None:
    second = {**params, "VirtualMFADeviceName": f"{params['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.create_device(second) as device:
        assert isinstance(device, CreatedDevice), "a second valid device could not be created"
        return refusal(suite.enable(user, device, correct=False))


def _got(suite: SuiteSession, user: str, serial: str) -> GotDevice | Rejection:
    answer = suite.invoke("get_mfa_device", {"SerialNumber": serial, "UserName": user})[1]
    if isinstance(answer, Rejection):
        return answer
    return GotDevice(
        answer.get("UserName"), answer.get("SerialNumber"), frozenset(answer) - {"ResponseMetadata"}
    )


def _user_devices(suite: SuiteSession, user: str) -> frozenset[str] | Rejection:
    """The serials ListMFADevices gives for ``user``, every page."""
    serials = suite.entries("list_mfa_devices", {"UserName": user}, "MFADevices", _serial_of)
    return serials if isinstance(serials, Rejection) else frozenset(serials)


def _serial_of(entry: Mapping[str, Any]) -> str:
    return str(entry.get("SerialNumber"))


def _probe(suite: SuiteSession, user: str, device: CreatedDevice, params: dict[str, Any]) -> AssignmentProbe:
    """Each read after a write is polled (on remote targets) until it shows what the write should do."""
    serial = device.serial_number
    assert serial is not None
    request = {"SerialNumber": serial}
    enabled = refusal(suite.enable(user, device))

    def assigned(listing: Listing) -> bool:
        return enabled is not None or (serial in listing["Assigned"] and serial not in listing["Unassigned"])

    listed_assigned = suite.settle(suite.listing, assigned)
    got = suite.settle(lambda: _got(suite, user, serial), lambda got: enabled is not None or _found(got))
    user_devices = suite.settle(
        lambda: _user_devices(suite, user), lambda found: enabled is not None or _holds(found, serial)
    )
    enabled_again = refusal(suite.enable(user, device))
    deleted_while_assigned = refusal(suite.invoke("delete_virtual_mfa_device", request)[1])
    deactivated = refusal(suite.invoke("deactivate_mfa_device", {"UserName": user, **request})[1])
    released = deactivated is None and deleted_while_assigned is not None

    def unassigned(listing: Listing) -> bool:
        return not released or (serial in listing["Unassigned"] and serial not in listing["Assigned"])

    listed_after = suite.settle(suite.listing, unassigned)
    user_devices_after = suite.settle(
        lambda: _user_devices(suite, user), lambda found: not released or not _holds(found, serial)
    )
    deleted = refusal(suite.invoke("delete_virtual_mfa_device", request)[1])
    return AssignmentProbe(
        device=device,
        user_name=user,
        enabled=enabled,
        listed_assigned=listed_assigned,
        got=got,
        user_devices=user_devices,
        enabled_again=enabled_again,
        deleted_while_assigned=deleted_while_assigned,
        deactivated=deactivated,
        listed_after=listed_after,
        user_devices_after=user_devices_after,
        deleted=deleted,
        listed_deleted=suite.settle(
            suite.listing, lambda listing: deleted is not None or serial not in listing["Any"]
        ),
        wrong_codes=_wrong_codes(suite, user, params),
    )


def _found(got: GotDevice | Rejection) -> bool:
    return not isinstance(got, Rejection)


def _holds(devices: frozenset[str] | Rejection, serial: str) -> bool:
    return not isinstance(devices, Rejection) and serial in devices


@pytest.mark.parametrize("check", checks_for("assignment"), ids=str)
@settings(suite_settings())
@given(params=_DEVICES)
def test_assignment(check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge) -> None:
    params = {**params, "VirtualMFADeviceName": f"{params['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.user() as user, suite.create_device(params) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice)
        judge(check, _probe(suite, user, device, params))
