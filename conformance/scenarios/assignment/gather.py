"""Gathering the assignment scenario: one observation (`Assignment`) of three devices.

The main device goes through its assignment: enabled for a user with real TOTP codes, listed under each
filter and without one, read back (GetMFADevice, ListMFADevices), enabled again, deactivated, listed
again, deleted, listed again. A second device goes through the refusals on its own
(`conformance.scenarios.assignment.refusal_steps`), so that a refusal wrongly accepted hides no later
step. A third is offered wrong codes, then deactivated for the user it was never assigned to.

Every example works on devices and users of its own, all deleted at its end. Each read after a write
is polled (on remote targets) until it shows what the write should do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.scenarios.assignment.refusal_steps import (
    Refusals,
    UserDevices,
    holds,
    refusals_opened,
    user_devices,
)
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.paging import ListedDevice, Listing, largest_page, serial_of
from conformance.session.settling import not_visible_yet
from conformance.session.suite import SuiteSession
from conformance.session.totp import seed_usable
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


@dataclass(frozen=True)
class Assignment:
    """Devices through their assignment; each step's answer is ``None`` (it succeeded) or the
    `Rejection`."""

    device: CreatedDevice
    user_name: str
    enabled: Rejection | None  # None: EnableMFADevice succeeded
    listed_assigned: Listing  # every filter, after the enable
    unfiltered_assigned: frozenset[str] | Rejection  # ListVirtualMFADevices without a filter, then
    got: GotDevice | Rejection  # GetMFADevice, after the enable
    user_devices: UserDevices  # ListMFADevices(UserName), after the enable
    enabled_again: Rejection | None
    deactivated: Rejection | None
    listed_after: Listing  # every filter, after the deactivation
    unfiltered_after: frozenset[str] | Rejection
    user_devices_after: UserDevices  # ListMFADevices(UserName), after the deactivation
    deleted: Rejection | None  # DeleteVirtualMFADevice after the deactivation
    listed_deleted: Listing  # every filter, after that delete
    user_devices_deleted: UserDevices  # ListMFADevices(UserName), after that delete
    refusals: Refusals | None  # the second device (None: it could not be created)
    wrong_codes: Rejection | None  # the third device, offered wrong codes
    deactivated_unassigned: Rejection | None  # the third device, deactivated for the user
    third_device_calls: tuple[ApiCall, ...]  # the user's creation and the third device's calls
    codes_computed: bool = True  # False: the seed is not base32, the enable was sent codes wrong for it
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.device.call

    def entry(self, listing: Listing, status: str) -> ListedDevice | None:
        return listing.get(status, {}).get(self.device.serial_number or "")


def _third_device(
    suite: SuiteSession, user: str, params: Mapping[str, Any]
) -> tuple[Rejection | None, Rejection | None, tuple[ApiCall, ...]]:
    """A third device offered wrong codes, then deactivated for the user (it is not theirs); and the
    calls that show it (this device's, between the user's creation and deletion)."""
    third = {**params, "VirtualMFADeviceName": f"{params['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.recording() as calls, suite.create_device(third) as device:
        assert isinstance(device, CreatedDevice), "a third valid device could not be created"
        wrong = suite.enable(user, device, correct=False).rejection
        request = {"UserName": user, "SerialNumber": device.serial_number}
        deactivated = suite.send("deactivate_mfa_device", request).rejection
    created, deleted = (
        suite.call(operation, {"UserName": user}) for operation in ("create_user", "delete_user")
    )
    return wrong, deactivated, (created, *calls, deleted)


def _got(suite: SuiteSession, user: str, serial: str) -> GotDevice | Rejection:
    reply = suite.send("get_mfa_device", {"SerialNumber": serial, "UserName": user})
    if reply.rejection is not None:
        return reply.rejection
    body = reply.body or {}
    return GotDevice(body.get("UserName"), body.get("SerialNumber"), frozenset(body) - {"ResponseMetadata"})


def _unfiltered(suite: SuiteSession, serial: str) -> frozenset[str] | Rejection:
    """ListVirtualMFADevices without an AssignmentStatus, every page (at the model's largest size: the
    filter is the subject, not the paging); polled until it lists ``serial`` (the default is Any: it
    lists the device whether assigned or not)."""

    def read() -> frozenset[str] | Rejection:
        request = {"MaxItems": largest_page()}
        found = suite.entries("list_virtual_mfa_devices", request, "VirtualMFADevices", serial_of)
        return found if isinstance(found, Rejection) else frozenset(found)

    return suite.settle(read, lambda found: not isinstance(found, Rejection) and serial in found)


def _found(got: GotDevice | Rejection) -> bool:
    return not isinstance(got, Rejection)


@recorded
def gather(suite: SuiteSession, drawn: Mapping[str, Any]) -> Assignment | None:
    """A user and devices of the example's own (None when the valid create was refused: judged
    elsewhere), through the steps."""
    params = {**drawn, "VirtualMFADeviceName": f"{drawn['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with suite.user() as user, suite.create_device(params) as device:
        if not (isinstance(device, CreatedDevice) and device.serial_number):
            return None
        return _steps(suite, user, device, params)


def _steps(suite: SuiteSession, user: str, device: CreatedDevice, params: dict[str, Any]) -> Assignment:
    serial = device.serial_number
    assert serial is not None
    enabled = suite.enable(user, device).rejection
    # The second device is enabled now, so that its lag passes while this one's is waited for.
    with refusals_opened(suite, user, params) as take_refusals:
        main = _main_steps(suite, user, device, serial, enabled)
        refusals = take_refusals()
    wrong_codes, deactivated_unassigned, third_device_calls = _third_device(suite, user, params)
    return dataclasses.replace(
        main,
        refusals=refusals,
        wrong_codes=wrong_codes,
        deactivated_unassigned=deactivated_unassigned,
        third_device_calls=third_device_calls,
    )


def _main_steps(
    suite: SuiteSession, user: str, device: CreatedDevice, serial: str, enabled: Rejection | None
) -> Assignment:
    """The main device, enabled already (``enabled``: the answer), through its reads, deactivation and
    deletion; the other devices' fields are left empty for `_steps` to fill."""
    request = {"SerialNumber": serial}

    # Each filter is a listing of its own: polled until every one shows the write (a lagging endpoint
    # may show it in one read and not yet in the next, which is not wrong).
    def assigned(listing: Listing) -> bool:
        entry = listing["Any"].get(serial)
        shown = entry is not None and entry.user_name is not None
        return enabled is not None or (
            serial in listing["Assigned"] and serial not in listing["Unassigned"] and shown
        )

    listed_assigned = suite.settle(suite.listing, assigned)
    unfiltered_assigned = _unfiltered(suite, serial)
    got = suite.settle(lambda: _got(suite, user, serial), lambda got: enabled is not None or _found(got))
    devices = suite.settle(
        lambda: user_devices(suite, user), lambda found: enabled is not None or holds(found, serial)
    )
    enabled_again = suite.enable(user, device).rejection
    deactivated = suite.send("deactivate_mfa_device", {"UserName": user, **request}).rejection
    released = deactivated is None

    def unassigned(listing: Listing) -> bool:
        entry = listing["Any"].get(serial)
        shown = entry is not None and entry.user_name is None
        return not released or (
            serial in listing["Unassigned"] and serial not in listing["Assigned"] and shown
        )

    listed_after = suite.settle(suite.listing, unassigned)
    unfiltered_after = _unfiltered(suite, serial)
    devices_after = suite.settle(
        lambda: user_devices(suite, user),
        lambda found: not released or not (holds(found, serial) or not_visible_yet(found)),
    )
    deleted = suite.send("delete_virtual_mfa_device", request).rejection
    listed_deleted = suite.settle(
        suite.listing,
        lambda listing: deleted is not None or all(serial not in entries for entries in listing.values()),
    )
    devices_deleted = suite.settle(
        lambda: user_devices(suite, user), lambda found: deleted is not None or not holds(found, serial)
    )
    return Assignment(
        device=device,
        user_name=user,
        enabled=enabled,
        listed_assigned=listed_assigned,
        unfiltered_assigned=unfiltered_assigned,
        got=got,
        user_devices=devices,
        enabled_again=enabled_again,
        deactivated=deactivated,
        listed_after=listed_after,
        unfiltered_after=unfiltered_after,
        user_devices_after=devices_after,
        deleted=deleted,
        listed_deleted=listed_deleted,
        user_devices_deleted=devices_deleted,
        refusals=None,
        wrong_codes=None,
        deactivated_unassigned=None,
        third_device_calls=(),
        codes_computed=seed_usable(device.seed),
    )
