"""DeleteUser of a user who holds an MFA device: refused with ``DeleteConflict``, the device still theirs.

Facts: the model lists ``DeleteConflict`` (409) among DeleteUser's errors, "The request was rejected
because it attempted to delete a resource that has attached subordinate entities"; DeleteUser's reference
says "you must delete the items attached to the user manually, or the deletion fails", and among them
"Multi-factor authentication (MFA) device (DeactivateMFADevice, DeleteVirtualMFADevice)".

Why a scenario of its own: an endpoint that wrongly accepts this call may be left broken by it (one
emulator's store answered 500 to every listing afterwards), so it is sent once per example, with
nothing after it but the reads that show what it did; the lifecycle state machine sends it too, but only
while every earlier answer agreed with its model.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.judging.error_tables import refused_with
from conformance.judging.memo import overlappable
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip, Unsupported
from conformance.judging.registry import check
from conformance.scenarios.assignment.checks import needs_enabled
from conformance.scenarios.assignment.refusal_steps import UserDevices, holds, user_devices
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.paging import serial_of
from conformance.session.suite import SuiteSession
from conformance.session.totp import seed_usable
from reports.model import Evidence
from strategies.names import virtual_mfa_device_names

__all__ = ["HOLDING_DEVICE", "NAMES", "UserDeletion", "gather", "user_holding_device_not_deleted"]

HOLDING_DEVICE = "delete-user.holding-device"
NAMES = virtual_mfa_device_names(serial_safe=True, max_length=24)


@dataclass(frozen=True)
class UserDeletion:
    """A user holding an enabled device, DeleteUser sent for them, and the lists afterwards."""

    serial: str
    enabled: Rejection | None  # EnableMFADevice (None: the device is the user's)
    deleted: Rejection | None  # DeleteUser (None: the user was deleted)
    user_devices: UserDevices  # ListMFADevices(UserName) afterwards
    assigned: frozenset[str] | Rejection  # ListVirtualMFADevices(AssignmentStatus=Assigned) afterwards
    codes_computed: bool = True  # False: the seed is not base32, the enable was sent codes wrong for it
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


def _assigned(suite: SuiteSession) -> frozenset[str] | Rejection:
    found = suite.entries(
        "list_virtual_mfa_devices", {"AssignmentStatus": "Assigned"}, "VirtualMFADevices", serial_of
    )
    return found if isinstance(found, Rejection) else frozenset(found)


@overlappable
@recorded
def gather(suite: SuiteSession, name: str) -> UserDeletion | None:
    """A device enabled for a user of the example's own, then DeleteUser for that user. None when the
    valid create was refused (judged elsewhere).

    Gathered side by side on a lagging endpoint (`conformance.runner.passes`): only its own device is
    looked for in the lists it reads; the health reads around DeleteUser are in the same turn as it."""
    params = {"VirtualMFADeviceName": f"{name}-{suite.unique_token()}"}
    with suite.create_device(params) as device, suite.user() as user:
        if not (isinstance(device, CreatedDevice) and device.serial_number):
            return None
        serial = device.serial_number
        enabled = suite.enable(user, device).rejection
        computed = seed_usable(device.seed)
        if enabled is not None:  # DeleteUser not sent
            return UserDeletion(serial, enabled, None, frozenset(), frozenset(), codes_computed=computed)
        # A basic read before and, if it was accepted, right after DeleteUser: an endpoint it breaks is
        # named broken after this very step (`conformance.session.health`), not after the create.
        suite.check_health()
        deleted = suite.send("delete_user", {"UserName": user}).rejection
        if deleted is None:
            suite.tracker.forget_user(user)  # the endpoint says the user is gone
            suite.check_health()
        devices = suite.settle(
            lambda: user_devices(suite, user), lambda found: deleted is None or holds(found, serial)
        )
        assigned = suite.settle(
            lambda: _assigned(suite), lambda found: deleted is None or holds(found, serial)
        )
        if deleted is None and holds(assigned, serial):  # still assigned to a user that is gone: release it
            suite.send("deactivate_mfa_device", {"UserName": user, "SerialNumber": serial})
        return UserDeletion(serial, enabled, deleted, devices, assigned, codes_computed=computed)


def _enabled(seen: UserDeletion) -> Skip | Unsupported | None:
    """Requirement: the device was enabled for the user (an endpoint that takes any codes enables it even
    when its seed gave none: the check still judges)."""
    return needs_enabled(seen.enabled, seen.codes_computed)


@check(
    id="vmfa.delete-user.device-attached",
    operation="DeleteUser",
    scenario=HOLDING_DEVICE,
    clause="DeleteUser: Errors (DeleteConflict: an MFA device is attached)",
    evidence=Evidence.MODEL,
    requires=[_enabled],
)
def user_holding_device_not_deleted(seen: UserDeletion) -> Outcome:
    """Deleting a user who holds an MFA device is refused with DeleteConflict, and the device stays
    assigned to that user."""
    refused = refused_with("DeleteUser", seen.deleted, "DeleteConflict", "the user holds an MFA device")
    if not isinstance(refused, Pass):
        return refused
    wrong = [
        f"{view}: {found.describe()}" if isinstance(found, Rejection) else f"{view}: the device is not listed"
        for view, found in (("ListMFADevices", seen.user_devices), ("Assigned", seen.assigned))
        if not holds(found, seen.serial)
    ]
    if not wrong:
        return Pass()
    return Miss(
        "the device still the user's: in their ListMFADevices, and listed as Assigned", "; ".join(wrong)
    )
