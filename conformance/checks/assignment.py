"""Checks on a device's assignment: EnableMFADevice with real TOTP codes, how ListVirtualMFADevices,
GetMFADevice and ListMFADevices show an assigned device, DeleteVirtualMFADevice refusing it,
DeactivateMFADevice releasing it, and the device gone from every list once deleted.

Facts: EnableMFADevice takes two consecutive codes (recorded against AWS with the previous and the
current 30-second step); wrong codes are ``InvalidAuthenticationCode`` (403 in the model); a device in
use is ``EntityAlreadyExists`` (409); a device must be deactivated before it is deleted
(``DeleteConflict``, 409); ListVirtualMFADevices filters by ``AssignmentStatus`` and its entries never
carry the seed or the QR image. An assigned device's entry carries ``EnableDate`` and ``User`` (observed on
AWS). GetMFADevice "retrieves information about an MFA device for a specified user" and ListMFADevices
lists "the MFA devices for an IAM user" (documented).
"""

from __future__ import annotations

from conformance.checks.registry import Miss, Outcome, Pass, Skip, Unsupported, check
from conformance.error_tables import refused_with, unsupported
from conformance.observations import AssignmentProbe, Listing, Rejection, UserDevices
from reports.model import Evidence

__all__ = [
    "assigned_device_cannot_be_deleted",
    "assigned_entry_names_user",
    "deactivate_releases",
    "deleted_device_unlisted",
    "device_in_use_refused",
    "filters_follow_assignment",
    "get_shows_enabled_device",
    "list_entries_hold_no_secret",
    "needs_enabled",
    "user_devices_follow_assignment",
    "valid_codes_enable",
    "wrong_codes_refused",
]

_SECRET_MEMBERS = frozenset({"Base32StringSeed", "QRCodePNG"})
_ENABLE = "EnableMFADevice: AuthenticationCode1, AuthenticationCode2"
_LIST = "ListVirtualMFADevices: AssignmentStatus"


def needs_enabled(enabled: Rejection | None) -> Skip | Unsupported | None:
    """Why a check that needs the device enabled cannot judge (``enabled``: EnableMFADevice's refusal)."""
    if enabled is not None:
        return unsupported("EnableMFADevice", enabled) or Skip(
            "the device could not be enabled (vmfa.enable.valid-codes)"
        )
    return None


def _enabled(probe: AssignmentProbe) -> Skip | Unsupported | None:
    return needs_enabled(probe.enabled)


def _deactivated(probe: AssignmentProbe) -> Skip | Unsupported | None:
    """The device was released by DeactivateMFADevice: answered 200, and listed without a User since."""
    if probe.deleted_while_assigned is None:
        return Skip("the device was deleted while assigned (vmfa.delete.assigned)")
    if probe.deactivated is not None:
        return unsupported("DeactivateMFADevice", probe.deactivated) or Skip(
            f"DeactivateMFADevice was refused: {probe.deactivated.describe()} (vmfa.deactivate.releases)"
        )
    entry = probe.entry(probe.listed_after, "Any")
    if entry is None or entry.user_name is not None:
        return Skip("the device was not released by DeactivateMFADevice (vmfa.deactivate.releases)")
    return None


@check(
    id="vmfa.enable.valid-codes",
    operation="EnableMFADevice",
    scenario="assignment",
    clause=_ENABLE,
    evidence=Evidence.DOCUMENTED,
)
def valid_codes_enable(probe: AssignmentProbe) -> Outcome:
    """Two consecutive TOTP codes computed from the seed enable the device for the user."""
    if probe.enabled is None:
        return Pass()
    return unsupported("EnableMFADevice", probe.enabled) or Miss(
        "HTTP 200: the device enabled for the user", probe.enabled.describe()
    )


@check(
    id="vmfa.enable.wrong-codes",
    operation="EnableMFADevice",
    scenario="assignment",
    clause=_ENABLE,
    evidence=Evidence.MODEL,
)
def wrong_codes_refused(probe: AssignmentProbe) -> Outcome:
    """Well-formed but wrong codes are refused with InvalidAuthenticationCode."""
    return refused_with("EnableMFADevice", probe.wrong_codes, "InvalidAuthenticationCode", "wrong codes")


@check(
    id="vmfa.enable.in-use",
    operation="EnableMFADevice",
    scenario="assignment",
    clause="EnableMFADevice: Errors",
    evidence=Evidence.MODEL,
)
def device_in_use_refused(probe: AssignmentProbe) -> Outcome:
    """Enabling a device that is already in use is refused with EntityAlreadyExists."""
    return _enabled(probe) or refused_with(
        "EnableMFADevice", probe.enabled_again, "EntityAlreadyExists", "the device is in use"
    )


@check(
    id="vmfa.list.assignment-filter",
    operation="ListVirtualMFADevices",
    scenario="assignment",
    clause=_LIST,
    evidence=Evidence.DOCUMENTED,
)
def filters_follow_assignment(probe: AssignmentProbe) -> Outcome:
    """Any lists the device; Assigned lists it while it is enabled for a user and Unassigned does not,
    and the other way round once it is deactivated."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    moments: list[tuple[str, Listing, bool]] = [("enabled", probe.listed_assigned, True)]
    if _deactivated(probe) is None:
        moments.append(("deactivated", probe.listed_after, False))
    wrong = []
    for moment, listing, assigned in moments:
        if probe.entry(listing, "Any") is None:
            wrong.append(f"after {moment}: absent from Any")
        for status, expected in (("Assigned", assigned), ("Unassigned", not assigned)):
            if (probe.entry(listing, status) is not None) != expected:
                state = "absent from" if expected else "listed under"
                wrong.append(f"after {moment}: {state} {status}")
    if not wrong:
        return Pass()
    return Miss("each filter lists exactly the devices in its state", "; ".join(wrong))


@check(
    id="vmfa.list.assigned-entry",
    operation="ListVirtualMFADevices",
    scenario="assignment",
    clause="ListVirtualMFADevices: VirtualMFADevices[].User, EnableDate",
    evidence=Evidence.OBSERVED,
)
def assigned_entry_names_user(probe: AssignmentProbe) -> Outcome:
    """An assigned device's list entry carries its EnableDate and the User it is enabled for."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    entry = probe.entry(probe.listed_assigned, "Any")
    if entry is None:
        return Skip("the device is not listed under Any (vmfa.list.assignment-filter)")
    wrong = [] if "EnableDate" in entry.members else ["no EnableDate"]
    if entry.user_name != probe.user_name:
        wrong.append(f"User {entry.user_name or '(none)'}")
    if not wrong:
        return Pass()
    return Miss(f"EnableDate and User {probe.user_name}", ", ".join(wrong))


@check(
    id="vmfa.get.enabled-device",
    operation="GetMFADevice",
    scenario="assignment",
    clause="GetMFADevice: SerialNumber, UserName",
    evidence=Evidence.DOCUMENTED,
)
def get_shows_enabled_device(probe: AssignmentProbe) -> Outcome:
    """GetMFADevice for the user and an enabled device names that device and that user."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    expected = f"HTTP 200 naming SerialNumber {probe.device.serial_number} and UserName {probe.user_name}"
    if isinstance(probe.got, Rejection):
        return unsupported("GetMFADevice", probe.got) or Miss(expected, probe.got.describe())
    if (probe.got.serial_number, probe.got.user_name) == (probe.device.serial_number, probe.user_name):
        return Pass()
    received = f"SerialNumber {probe.got.serial_number}, UserName {probe.got.user_name}"
    return Miss(expected, received)


def _user_lists(devices: UserDevices, serial: str, expected: bool, moment: str) -> str | None:
    """What is wrong with ListMFADevices' answer at ``moment`` (None: it lists the device as expected)."""
    if isinstance(devices, Rejection):
        return f"after {moment}: {devices.describe()}"
    if (serial in devices) != expected:
        return f"after {moment}: {'absent' if expected else 'still listed'}"
    return None


@check(
    id="vmfa.list-mfa-devices.follows-assignment",
    operation="ListMFADevices",
    scenario="assignment",
    clause="ListMFADevices: UserName",
    evidence=Evidence.DOCUMENTED,
)
def user_devices_follow_assignment(probe: AssignmentProbe) -> Outcome:
    """ListMFADevices for the user lists the device while it is enabled, and not once deactivated."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    if isinstance(probe.user_devices, Rejection) and probe.user_devices.not_implemented:
        return Unsupported("ListMFADevices", probe.user_devices.describe())
    serial = probe.device.serial_number or ""
    moments = [(probe.user_devices, True, "enabled")]
    if _deactivated(probe) is None:
        moments.append((probe.user_devices_after, False, "deactivated"))
    wrong = [
        found
        for devices, expected, moment in moments
        if (found := _user_lists(devices, serial, expected, moment))
    ]
    if not wrong:
        return Pass()
    return Miss("listed for the user while enabled, not after the deactivation", "; ".join(wrong))


@check(
    id="vmfa.list.no-secrets",
    operation="ListVirtualMFADevices",
    scenario="assignment",
    clause="ListVirtualMFADevices: VirtualMFADevices (no seed, no QR code)",
    evidence=Evidence.DOCUMENTED,
)
def list_entries_hold_no_secret(probe: AssignmentProbe) -> Outcome:
    """No list entry carries Base32StringSeed or QRCodePNG: the seed is shown once, at creation."""
    leaked = sorted(
        {
            member
            for listing in (probe.listed_assigned, probe.listed_after, probe.listed_deleted)
            for entries in listing.values()
            for entry in entries.values()
            for member in entry.members & _SECRET_MEMBERS
        }
    )
    if not leaked:
        return Pass()
    return Miss("entries without Base32StringSeed and QRCodePNG", f"entries carrying {', '.join(leaked)}")


@check(
    id="vmfa.delete.assigned",
    operation="DeleteVirtualMFADevice",
    scenario="assignment",
    clause="DeleteVirtualMFADevice: deactivate first (DeleteConflict)",
    evidence=Evidence.MODEL,
)
def assigned_device_cannot_be_deleted(probe: AssignmentProbe) -> Outcome:
    """Deleting a device that is still assigned is refused with DeleteConflict."""
    return _enabled(probe) or refused_with(
        "DeleteVirtualMFADevice", probe.deleted_while_assigned, "DeleteConflict", "the device is assigned"
    )


@check(
    id="vmfa.deactivate.releases",
    operation="DeactivateMFADevice",
    scenario="assignment",
    clause="DeactivateMFADevice",
    evidence=Evidence.DOCUMENTED,
)
def deactivate_releases(probe: AssignmentProbe) -> Outcome:
    """After DeactivateMFADevice the device is unassigned: listed under Any without a User."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    if probe.deleted_while_assigned is None:
        return Skip("the device was deleted while assigned (vmfa.delete.assigned)")
    if probe.deactivated is not None:
        return unsupported("DeactivateMFADevice", probe.deactivated) or Miss(
            "HTTP 200: the device deactivated", probe.deactivated.describe()
        )
    entry = probe.entry(probe.listed_after, "Any")
    if entry is not None and entry.user_name is None:
        return Pass()
    received = "absent from Any" if entry is None else f"still assigned to {entry.user_name}"
    return Miss("listed under Any, without a User", received)


@check(
    id="vmfa.delete.unlisted",
    operation="DeleteVirtualMFADevice",
    scenario="assignment",
    clause="DeleteVirtualMFADevice",
    evidence=Evidence.DOCUMENTED,
)
def deleted_device_unlisted(probe: AssignmentProbe) -> Outcome:
    """Once deleted (after its deactivation), the device is gone from every ListVirtualMFADevices filter."""
    skipped = _enabled(probe) or _deactivated(probe)
    if skipped:
        return skipped
    if probe.deleted is not None:
        return unsupported("DeleteVirtualMFADevice", probe.deleted) or Miss(
            "HTTP 200: the unassigned device deleted", probe.deleted.describe()
        )
    still = [
        status for status in ("Assigned", "Unassigned", "Any") if probe.entry(probe.listed_deleted, status)
    ]
    if not still:
        return Pass()
    return Miss("absent from every filter", f"still listed under {', '.join(still)}")
