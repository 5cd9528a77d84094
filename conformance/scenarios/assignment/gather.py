"""Gathering the assignment scenario: one observation (`Assignment`) of five devices.

Three devices go through the assignment, each to one of its states: the main device is enabled for a
user with real TOTP codes (and enabled again: refused); a second is enabled and deactivated; a third is
enabled, deactivated and deleted. Then every view is read once (each filter of ListVirtualMFADevices and
none, GetMFADevice of the main device, the user's ListMFADevices) and shows all three states at once.
One device taken through the states one after another would read after each step; on an eventually
consistent endpoint each of those reads waits for the step to show (three waits an example where this
takes one), and the three devices' reads prove what the one device's did: each state, under each view.

A fourth device goes through the refusals on its own (`conformance.scenarios.assignment.refusal_steps`),
so that a refusal wrongly accepted hides no later step. A fifth is offered wrong codes, then deactivated
for the user it was never assigned to.

Every example works on devices and users of its own, all deleted at its end. The reads are polled (on
remote targets) until they show what the writes should do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.judging.memo import overlappable
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
    `Rejection`. The views were read once, after every write: they show the main device enabled, the
    released device deactivated and the removed device deleted."""

    device: CreatedDevice  # the main device: enabled, and enabled again
    user_name: str
    enabled: Rejection | None  # None: EnableMFADevice succeeded
    released_serial: str  # the device enabled, then deactivated
    removed_serial: str  # the device enabled, deactivated, then deleted
    listed: Listing  # every filter
    unfiltered: frozenset[str] | Rejection  # ListVirtualMFADevices without a filter
    got: GotDevice | Rejection  # GetMFADevice of the main device
    user_devices: UserDevices  # ListMFADevices(UserName)
    enabled_again: Rejection | None  # the main device, enabled again for the user
    deactivated: Rejection | None  # the released device's DeactivateMFADevice (after its enable)
    deleted: Rejection | None  # DeleteVirtualMFADevice of the removed device, after its deactivation
    refusals: Refusals | None  # the refusals' device (None: it could not be created)
    wrong_codes: Rejection | None  # the wrong codes' device, offered wrong codes
    deactivated_unassigned: Rejection | None  # that device, deactivated for the user
    third_device_calls: tuple[ApiCall, ...]  # the user's creation and the wrong codes' device's calls
    # the released device's EnableMFADevice (refused: its deactivation was not sent); the removed
    # device's enable or deactivation, the first refused (then its delete was not sent)
    released_enabled: Rejection | None = None
    removal_prepared: Rejection | None = None
    codes_computed: bool = True  # False: the seed is not base32, the enable was sent codes wrong for it
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.device.call

    def entry(self, listing: Listing, status: str, serial: str | None = None) -> ListedDevice | None:
        """The entry under ``status`` of ``serial`` (default: the main device's)."""
        return listing.get(status, {}).get(serial or self.device.serial_number or "")


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


def _unfiltered(suite: SuiteSession) -> frozenset[str] | Rejection:
    """ListVirtualMFADevices without an AssignmentStatus, every page (at the model's largest size: the
    filter is the subject, not the paging): the default is Any, which lists every device, assigned or
    not."""
    request = {"MaxItems": largest_page()}
    found = suite.entries("list_virtual_mfa_devices", request, "VirtualMFADevices", serial_of)
    return found if isinstance(found, Rejection) else frozenset(found)


def _found(got: GotDevice | Rejection) -> bool:
    return not isinstance(got, Rejection)


@overlappable
@recorded
def gather(suite: SuiteSession, drawn: Mapping[str, Any]) -> Assignment | None:
    """A user and devices of the example's own (None when a valid create was refused: judged
    elsewhere), through the steps."""

    def named() -> dict[str, Any]:
        return {**drawn, "VirtualMFADeviceName": f"{drawn['VirtualMFADeviceName']}-{suite.unique_token()}"}

    params = named()
    # The user last, so that it is released first (its devices deactivated), then the devices: released
    # the other way, an assigned device's delete is refused, and it stays on the endpoint until the
    # final sweep, in every later walk of the account.
    with (
        suite.create_device(params) as device,
        suite.create_device(named()) as released,
        suite.create_device(named()) as removed,
        suite.user() as user,
    ):
        devices = (device, released, removed)
        if not all(isinstance(made, CreatedDevice) and made.serial_number for made in devices):
            return None
        assert isinstance(device, CreatedDevice) and isinstance(released, CreatedDevice)
        assert isinstance(removed, CreatedDevice)
        return _steps(suite, user, (device, released, removed), params)


def _steps(
    suite: SuiteSession,
    user: str,
    devices: tuple[CreatedDevice, CreatedDevice, CreatedDevice],
    params: dict[str, Any],
) -> Assignment:
    device, released, removed = devices
    enabled = suite.enable(user, device).rejection
    released_enabled = suite.enable(user, released).rejection
    removed_enabled = suite.enable(user, removed).rejection
    # The refusals' device is enabled now, so that its lag passes while the others' is waited for.
    with refusals_opened(suite, user, params) as take_refusals:
        main = _main_steps(suite, user, devices, enabled, (released_enabled, removed_enabled))
        refusals = take_refusals()
    wrong_codes, deactivated_unassigned, third_device_calls = _third_device(suite, user, params)
    return dataclasses.replace(
        main,
        refusals=refusals,
        wrong_codes=wrong_codes,
        deactivated_unassigned=deactivated_unassigned,
        third_device_calls=third_device_calls,
    )


@dataclass(frozen=True)
class _Views:
    listed: Listing
    unfiltered: frozenset[str] | Rejection
    got: GotDevice | Rejection
    user_devices: UserDevices


def _unfiltered_lists(views: _Views, serial: str) -> bool:
    return not isinstance(views.unfiltered, Rejection) and serial in views.unfiltered


def _shows_assigned(views: _Views, serial: str) -> bool:
    """Every view shows ``serial`` assigned to the user."""
    entry = views.listed["Any"].get(serial)
    return (
        serial in views.listed["Assigned"]
        and serial not in views.listed["Unassigned"]
        and entry is not None
        and entry.user_name is not None
        and _unfiltered_lists(views, serial)
        and _found(views.got)
        and holds(views.user_devices, serial)
    )


def _shows_released(views: _Views, serial: str) -> bool:
    """Every view shows ``serial`` unassigned (the user no longer lists it)."""
    entry = views.listed["Any"].get(serial)
    return (
        serial in views.listed["Unassigned"]
        and serial not in views.listed["Assigned"]
        and entry is not None
        and entry.user_name is None
        and _unfiltered_lists(views, serial)
        and not (holds(views.user_devices, serial) or not_visible_yet(views.user_devices))
    )


def _shows_deleted(views: _Views, serial: str) -> bool:
    """No view lists ``serial``."""
    listed = any(serial in entries for entries in views.listed.values())
    return not (listed or holds(views.user_devices, serial))


def _main_steps(
    suite: SuiteSession,
    user: str,
    devices: tuple[CreatedDevice, CreatedDevice, CreatedDevice],
    enabled: Rejection | None,
    others_enabled: tuple[Rejection | None, Rejection | None],
) -> Assignment:
    """The three devices, enabled already (``enabled``, ``others_enabled``: the answers), each to its
    state, then the views read once; the other devices' fields are left empty for `_steps` to fill."""
    device = devices[0]
    serial, released_serial, removed_serial = (str(made.serial_number) for made in devices)
    released_enabled, removed_enabled = others_enabled
    enabled_again = suite.enable(user, device).rejection
    deactivated = (  # not sent (None) when the device could not be enabled: `released_enabled` says so
        suite.send("deactivate_mfa_device", {"UserName": user, "SerialNumber": released_serial}).rejection
        if released_enabled is None
        else None
    )
    removal_prepared = removed_enabled or (
        suite.send("deactivate_mfa_device", {"UserName": user, "SerialNumber": removed_serial}).rejection
    )
    deleted = (
        suite.send("delete_virtual_mfa_device", {"SerialNumber": removed_serial}).rejection
        if removal_prepared is None
        else None
    )
    assigned = enabled is None
    freed = released_enabled is None and deactivated is None
    gone = removal_prepared is None and deleted is None

    def read() -> _Views:
        return _Views(
            suite.listing(), _unfiltered(suite), _got(suite, user, serial), user_devices(suite, user)
        )

    # Each filter is a listing of its own: polled until every view shows every write (a lagging
    # endpoint may show it in one read and not yet in the next, which is not wrong).
    def shown(views: _Views) -> bool:
        return (
            (not assigned or _shows_assigned(views, serial))
            and (not freed or _shows_released(views, released_serial))
            and (not gone or _shows_deleted(views, removed_serial))
        )

    views = suite.settle(read, shown)
    return Assignment(
        device=device,
        user_name=user,
        enabled=enabled,
        released_serial=released_serial,
        removed_serial=removed_serial,
        listed=views.listed,
        unfiltered=views.unfiltered,
        got=views.got,
        user_devices=views.user_devices,
        enabled_again=enabled_again,
        deactivated=deactivated,
        deleted=deleted,
        refusals=None,
        wrong_codes=None,
        deactivated_unassigned=None,
        third_device_calls=(),
        released_enabled=released_enabled,
        removal_prepared=removal_prepared,
        codes_computed=seed_usable(device.seed),
    )
