"""Gathering the assignment scenario: thirteen calls, one observation (`Assignment`).

Every example works on devices and a user of its own, all deleted at its end. Each read after a write
is polled (on remote targets) until it shows what the write should do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.paging import ListedDevice, Listing
from conformance.session.suite import SuiteSession
from strategies.names import virtual_mfa_device_names
from strategies.paths import paths

__all__ = ["ASSIGNMENT", "DEVICES", "Assignment", "GotDevice", "UserDevices", "gather"]

ASSIGNMENT = "assignment"
# Small serial-safe devices: the lifecycle is not about names, and a unique token is appended to each
# (an endpoint that cannot release a device must not make a replayed example meet it again).
DEVICES = st.fixed_dictionaries(
    {"VirtualMFADeviceName": virtual_mfa_device_names(serial_safe=True, max_length=24)},
    optional={"Path": paths(serial_safe=True, max_length=40)},
)


@dataclass(frozen=True)
class GotDevice:
    """What GetMFADevice answered: the user and serial it names, and which members it has."""

    user_name: str | None
    serial_number: str | None
    members: frozenset[str]


UserDevices = frozenset[str] | Rejection  # ListMFADevices(UserName): the serials listed, or the refusal


@dataclass(frozen=True)
class Assignment:
    """One device through its assignment; each step's answer is ``None`` (it succeeded) or the
    `Rejection`."""

    device: CreatedDevice
    user_name: str
    enabled: Rejection | None  # None: EnableMFADevice succeeded
    listed_assigned: Listing  # every filter, after the enable
    got: GotDevice | Rejection  # GetMFADevice, after the enable
    user_devices: UserDevices  # ListMFADevices(UserName), after the enable
    enabled_again: Rejection | None
    deleted_while_assigned: Rejection | None
    deactivated: Rejection | None
    listed_after: Listing  # every filter, after the deactivation
    user_devices_after: UserDevices  # ListMFADevices(UserName), after the deactivation
    deleted: Rejection | None  # DeleteVirtualMFADevice after the deactivation
    listed_deleted: Listing  # every filter, after that delete
    wrong_codes: Rejection | None  # the second device, offered wrong codes
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.device.call

    def entry(self, listing: Listing, status: str) -> ListedDevice | None:
        return listing.get(status, {}).get(self.device.serial_number or "")


def _wrong_codes(suite: SuiteSession, user: str, params: dict[str, Any]) -> Rejection | None:
    second = {**params, "VirtualMFADeviceName": f"{params['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.create_device(second) as device:
        assert isinstance(device, CreatedDevice), "a second valid device could not be created"
        return suite.enable(user, device, correct=False).rejection


def _got(suite: SuiteSession, user: str, serial: str) -> GotDevice | Rejection:
    reply = suite.send("get_mfa_device", {"SerialNumber": serial, "UserName": user})
    if reply.rejection is not None:
        return reply.rejection
    body = reply.body or {}
    return GotDevice(body.get("UserName"), body.get("SerialNumber"), frozenset(body) - {"ResponseMetadata"})


def _user_devices(suite: SuiteSession, user: str) -> UserDevices:
    """The serials ListMFADevices gives for ``user``, every page."""
    serials = suite.entries("list_mfa_devices", {"UserName": user}, "MFADevices", _serial_of)
    return serials if isinstance(serials, Rejection) else frozenset(serials)


def _serial_of(entry: Mapping[str, Any]) -> str:
    return str(entry.get("SerialNumber"))


def _found(got: GotDevice | Rejection) -> bool:
    return not isinstance(got, Rejection)


def _holds(devices: UserDevices, serial: str) -> bool:
    return not isinstance(devices, Rejection) and serial in devices


@recorded
def gather(suite: SuiteSession, drawn: Mapping[str, Any]) -> Assignment | None:
    """A user and a device of the example's own (None when the valid create was refused: judged
    elsewhere), through the thirteen steps."""
    params = {**drawn, "VirtualMFADeviceName": f"{drawn['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.user() as user, suite.create_device(params) as device:
        if not (isinstance(device, CreatedDevice) and device.serial_number):
            return None
        return _steps(suite, user, device, params)


def _steps(suite: SuiteSession, user: str, device: CreatedDevice, params: dict[str, Any]) -> Assignment:
    serial = device.serial_number
    assert serial is not None
    request = {"SerialNumber": serial}
    enabled = suite.enable(user, device).rejection

    def assigned(listing: Listing) -> bool:
        return enabled is not None or (serial in listing["Assigned"] and serial not in listing["Unassigned"])

    listed_assigned = suite.settle(suite.listing, assigned)
    got = suite.settle(lambda: _got(suite, user, serial), lambda got: enabled is not None or _found(got))
    user_devices = suite.settle(
        lambda: _user_devices(suite, user), lambda found: enabled is not None or _holds(found, serial)
    )
    enabled_again = suite.enable(user, device).rejection
    deleted_while_assigned = suite.send("delete_virtual_mfa_device", request).rejection
    deactivated = suite.send("deactivate_mfa_device", {"UserName": user, **request}).rejection
    released = deactivated is None and deleted_while_assigned is not None

    def unassigned(listing: Listing) -> bool:
        return not released or (serial in listing["Unassigned"] and serial not in listing["Assigned"])

    listed_after = suite.settle(suite.listing, unassigned)
    user_devices_after = suite.settle(
        lambda: _user_devices(suite, user), lambda found: not released or not _holds(found, serial)
    )
    deleted = suite.send("delete_virtual_mfa_device", request).rejection
    return Assignment(
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
