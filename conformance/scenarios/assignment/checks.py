"""Checks on a device's assignment: EnableMFADevice with real TOTP codes, how ListVirtualMFADevices,
GetMFADevice and ListMFADevices show an assigned device, DeactivateMFADevice releasing it, and the
device gone from every list once deleted. (What the documents refuse meanwhile: `refusals`.)

Facts: EnableMFADevice takes two consecutive codes (recorded against AWS with the previous and the
current 30-second step); wrong codes are ``InvalidAuthenticationCode`` (403 in the model);
ListVirtualMFADevices filters by ``AssignmentStatus``, "If you do not specify an AssignmentStatus, the
operation defaults to Any, which lists both assigned and unassigned virtual MFA devices" (documented),
and its entries never carry the seed or the QR image. An assigned device's entry carries ``EnableDate``
and ``User`` (observed on AWS). GetMFADevice "retrieves information about an MFA device for a specified
user" and ListMFADevices lists "the MFA devices for an IAM user" (documented).
"""

from __future__ import annotations

from conformance.judging.error_tables import refused_with, unsupported
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip, Unsupported
from conformance.judging.registry import check
from conformance.scenarios.assignment.gather import ASSIGNMENT, Assignment, UserDevices
from conformance.scenarios.assignment.refusal_steps import shown_by
from conformance.scenarios.created_device.seed import codes_computed, no_totp_codes
from conformance.session.calls import Rejection
from reports.model import Evidence

__all__ = [
    "assigned_entry_names_user",
    "deactivate_releases",
    "deleted_device_unlisted",
    "enabled",
    "filters_follow_assignment",
    "get_shows_enabled_device",
    "list_entries_hold_no_secret",
    "needs_enabled",
    "released",
    "unfiltered_lists_every_device",
    "user_devices_follow_assignment",
    "valid_codes_enable",
    "wrong_codes_refused",
]

_SECRET_MEMBERS = frozenset({"Base32StringSeed", "QRCodePNG"})
_ENABLE = "EnableMFADevice: AuthenticationCode1, AuthenticationCode2"
_LIST = "ListVirtualMFADevices: AssignmentStatus"


def needs_enabled(enabled: Rejection | None, codes_computed: bool = True) -> Skip | Unsupported | None:
    """Why a check that needs the device enabled cannot judge (``enabled``: EnableMFADevice's refusal;
    ``codes_computed``: whether the codes it was sent could be computed from the seed)."""
    if enabled is None:
        return None
    why = (
        Skip("the device could not be enabled (vmfa.enable.valid-codes)")
        if codes_computed
        else no_totp_codes()
    )
    return unsupported("EnableMFADevice", enabled) or why


def enabled(seen: Assignment) -> Skip | Unsupported | None:
    """Requirement: EnableMFADevice enabled the device (the rules after it need an assigned device).
    An endpoint that takes any codes enables it even when its seed gave none: those rules still judge."""
    return needs_enabled(seen.enabled, seen.codes_computed)


def released(seen: Assignment) -> Skip | Unsupported | None:
    """Requirement: DeactivateMFADevice released the device enabled for it (answered 200, and listed
    without a User since)."""
    if seen.released_enabled is not None:
        return needs_enabled(seen.released_enabled, seen.codes_computed)
    if seen.deactivated is not None:
        return unsupported("DeactivateMFADevice", seen.deactivated) or Skip(
            f"DeactivateMFADevice was refused: {seen.deactivated.describe()} (vmfa.deactivate.releases)"
        )
    entry = seen.entry(seen.listed, "Any", seen.released_serial)
    if entry is None or entry.user_name is not None:
        return Skip("the device was not released by DeactivateMFADevice (vmfa.deactivate.releases)")
    return None


@check(
    id="vmfa.enable.valid-codes",
    operation="EnableMFADevice",
    scenario=ASSIGNMENT,
    clause=_ENABLE,
    evidence=Evidence.DOCUMENTED,
    requires=[codes_computed],
)
def valid_codes_enable(seen: Assignment) -> Outcome:
    """Two consecutive TOTP codes computed from the seed enable the device for the user."""
    if seen.enabled is None:
        return Pass()
    return unsupported("EnableMFADevice", seen.enabled) or Miss(
        "HTTP 200: the device enabled for the user", seen.enabled.describe()
    )


@check(
    id="vmfa.enable.wrong-codes",
    operation="EnableMFADevice",
    scenario=ASSIGNMENT,
    clause=_ENABLE,
    evidence=Evidence.MODEL,
)
def wrong_codes_refused(seen: Assignment) -> Outcome:
    """Well-formed but wrong codes are refused with InvalidAuthenticationCode."""
    refused = refused_with("EnableMFADevice", seen.wrong_codes, "InvalidAuthenticationCode", "wrong codes")
    return shown_by(refused, seen.third_device_calls)


@check(
    id="vmfa.list.assignment-filter",
    operation="ListVirtualMFADevices",
    scenario=ASSIGNMENT,
    clause=_LIST,
    evidence=Evidence.DOCUMENTED,
    requires=[enabled],
)
def filters_follow_assignment(seen: Assignment) -> Outcome:
    """Any lists the device; Assigned lists it while it is enabled for a user and Unassigned does not,
    and the other way round once it is deactivated."""
    moments: list[tuple[str, str, bool]] = [("enabled", seen.device.serial_number or "", True)]
    if released(seen) is None:
        moments.append(("deactivated", seen.released_serial, False))
    wrong = []
    for moment, serial, assigned in moments:
        if seen.entry(seen.listed, "Any", serial) is None:
            wrong.append(f"after {moment}: absent from Any")
        for status, expected in (("Assigned", assigned), ("Unassigned", not assigned)):
            if (seen.entry(seen.listed, status, serial) is not None) != expected:
                state = "absent from" if expected else "listed under"
                wrong.append(f"after {moment}: {state} {status}")
    if not wrong:
        return Pass()
    return Miss("each filter lists exactly the devices in its state", "; ".join(wrong))


@check(
    id="vmfa.list.assigned-entry",
    operation="ListVirtualMFADevices",
    scenario=ASSIGNMENT,
    clause="ListVirtualMFADevices: VirtualMFADevices[].User, EnableDate",
    evidence=Evidence.OBSERVED,
    requires=[enabled],
)
def assigned_entry_names_user(seen: Assignment) -> Outcome:
    """An assigned device's list entry carries its EnableDate and the User it is enabled for."""
    entry = seen.entry(seen.listed, "Any")
    if entry is None:
        return Skip("the device is not listed under Any (vmfa.list.assignment-filter)")
    wrong = [] if "EnableDate" in entry.members else ["no EnableDate"]
    if entry.user_name != seen.user_name:
        wrong.append(f"User {entry.user_name or '(none)'}")
    if not wrong:
        return Pass()
    return Miss(f"EnableDate and User {seen.user_name}", ", ".join(wrong))


@check(
    id="vmfa.list.default-any",
    operation="ListVirtualMFADevices",
    scenario=ASSIGNMENT,
    clause="ListVirtualMFADevices: AssignmentStatus (optional: the default is Any)",
    evidence=Evidence.DOCUMENTED,
    requires=[enabled],
)
def unfiltered_lists_every_device(seen: Assignment) -> Outcome:
    """Without an AssignmentStatus the list holds every device, assigned or not: the default is Any."""
    moments = [("enabled", seen.device.serial_number or "")]
    if released(seen) is None:
        moments.append(("deactivated", seen.released_serial))
    wrong = []
    listed = seen.unfiltered
    if isinstance(listed, Rejection):
        wrong.append(listed.describe())
    else:
        wrong += [
            f"after {moment}: the device is not listed" for moment, serial in moments if serial not in listed
        ]
    if not wrong:
        return Pass()
    return Miss("the device listed while assigned, and after its deactivation", "; ".join(wrong))


@check(
    id="vmfa.get.enabled-device",
    operation="GetMFADevice",
    scenario=ASSIGNMENT,
    clause="GetMFADevice: SerialNumber, UserName",
    evidence=Evidence.DOCUMENTED,
    requires=[enabled],
)
def get_shows_enabled_device(seen: Assignment) -> Outcome:
    """GetMFADevice for the user and an enabled device names that device and that user."""
    expected = f"HTTP 200 naming SerialNumber {seen.device.serial_number} and UserName {seen.user_name}"
    if isinstance(seen.got, Rejection):
        return unsupported("GetMFADevice", seen.got) or Miss(expected, seen.got.describe())
    if (seen.got.serial_number, seen.got.user_name) == (seen.device.serial_number, seen.user_name):
        return Pass()
    received = f"SerialNumber {seen.got.serial_number}, UserName {seen.got.user_name}"
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
    scenario=ASSIGNMENT,
    clause="ListMFADevices: UserName",
    evidence=Evidence.DOCUMENTED,
    requires=[enabled],
)
def user_devices_follow_assignment(seen: Assignment) -> Outcome:
    """ListMFADevices for the user lists the device while it is enabled, and not once deactivated."""
    if isinstance(seen.user_devices, Rejection) and seen.user_devices.not_implemented:
        return Unsupported("ListMFADevices", seen.user_devices.describe())
    moments = [(seen.device.serial_number or "", True, "enabled")]
    if released(seen) is None:
        moments.append((seen.released_serial, False, "deactivated"))
    wrong = [
        found
        for serial, expected, moment in moments
        if (found := _user_lists(seen.user_devices, serial, expected, moment))
    ]
    if not wrong:
        return Pass()
    return Miss("listed for the user while enabled, not after the deactivation", "; ".join(wrong))


@check(
    id="vmfa.list.no-secrets",
    operation="ListVirtualMFADevices",
    scenario=ASSIGNMENT,
    clause="ListVirtualMFADevices: VirtualMFADevices (no seed, no QR code)",
    evidence=Evidence.DOCUMENTED,
)
def list_entries_hold_no_secret(seen: Assignment) -> Outcome:
    """No list entry carries Base32StringSeed or QRCodePNG: the seed is shown once, at creation."""
    leaked = sorted(
        {
            member
            for entries in seen.listed.values()
            for entry in entries.values()
            for member in entry.members & _SECRET_MEMBERS
        }
    )
    if not leaked:
        return Pass()
    return Miss("entries without Base32StringSeed and QRCodePNG", f"entries carrying {', '.join(leaked)}")


@check(
    id="vmfa.deactivate.releases",
    operation="DeactivateMFADevice",
    scenario=ASSIGNMENT,
    clause="DeactivateMFADevice",
    evidence=Evidence.DOCUMENTED,
    requires=[enabled],
)
def deactivate_releases(seen: Assignment) -> Outcome:
    """After DeactivateMFADevice the device is unassigned: listed under Any without a User."""
    not_enabled = needs_enabled(seen.released_enabled, seen.codes_computed)
    if not_enabled is not None:
        return not_enabled
    if seen.deactivated is not None:
        return unsupported("DeactivateMFADevice", seen.deactivated) or Miss(
            "HTTP 200: the device deactivated", seen.deactivated.describe()
        )
    entry = seen.entry(seen.listed, "Any", seen.released_serial)
    if entry is not None and entry.user_name is None:
        return Pass()
    received = "absent from Any" if entry is None else f"still assigned to {entry.user_name}"
    return Miss("listed under Any, without a User", received)


@check(
    id="vmfa.delete.unlisted",
    operation="DeleteVirtualMFADevice",
    scenario=ASSIGNMENT,
    clause="DeleteVirtualMFADevice",
    evidence=Evidence.DOCUMENTED,
    requires=[enabled, released],
)
def deleted_device_unlisted(seen: Assignment) -> Outcome:
    """Once deleted (after its deactivation), the device is gone from every ListVirtualMFADevices filter."""
    if seen.removal_prepared is not None:
        why = seen.removal_prepared.describe()
        return Skip(f"the device to delete was not enabled and deactivated: {why} (vmfa.deactivate.releases)")
    if seen.deleted is not None:
        return unsupported("DeleteVirtualMFADevice", seen.deleted) or Miss(
            "HTTP 200: the unassigned device deleted", seen.deleted.describe()
        )
    still = [
        status
        for status in ("Assigned", "Unassigned", "Any")
        if seen.entry(seen.listed, status, seen.removed_serial)
    ]
    if not still:
        return Pass()
    return Miss("absent from every filter", f"still listed under {', '.join(still)}")
