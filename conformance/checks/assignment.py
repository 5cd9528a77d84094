"""Checks on a device's assignment: EnableMFADevice with real TOTP codes, how ListVirtualMFADevices
shows an assigned device, DeleteVirtualMFADevice refusing it, and DeactivateMFADevice releasing it.

Facts: EnableMFADevice takes two consecutive codes (recorded against AWS with the previous and the
current 30-second step); wrong codes are ``InvalidAuthenticationCode`` (403 in the model); a device in
use is ``EntityAlreadyExists`` (409); a device must be deactivated before it is deleted
(``DeleteConflict``, 409); ListVirtualMFADevices filters by ``AssignmentStatus`` and its entries never
carry the seed or the QR image.
"""

from __future__ import annotations

from conformance.checks.registry import Miss, Outcome, Pass, Skip, check
from conformance.error_tables import error_entry
from conformance.observations import AssignmentProbe, Rejection
from reports.model import Evidence

__all__ = [
    "assigned_device_cannot_be_deleted",
    "deactivate_releases",
    "device_in_use_refused",
    "filters_follow_assignment",
    "list_entries_hold_no_secret",
    "valid_codes_enable",
    "wrong_codes_refused",
]

_SECRET_MEMBERS = frozenset({"Base32StringSeed", "QRCodePNG"})
_ENABLE = "EnableMFADevice: AuthenticationCode1, AuthenticationCode2"
_LIST = "ListVirtualMFADevices: AssignmentStatus"


def _refused_with(operation: str, outcome: Rejection | None, code: str, what: str) -> Outcome:
    """The step was refused with ``code`` and the status the model gives it."""
    if outcome is None:
        return Miss(f"{code}: {what}", "HTTP 200: the call succeeded")
    entry = error_entry(operation, code)
    expected_status = entry.http_status if entry else None
    if (outcome.code, outcome.status) == (code, expected_status):
        return Pass()
    return Miss(f"HTTP {expected_status} {code}: {what}", outcome.describe())


def _enabled(probe: AssignmentProbe) -> Skip | None:
    if probe.enabled is not None:
        return Skip("the device could not be enabled (vmfa.enable.valid-codes)")
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
    return Miss("HTTP 200: the device enabled for the user", probe.enabled.describe())


@check(
    id="vmfa.enable.wrong-codes",
    operation="EnableMFADevice",
    scenario="assignment",
    clause=_ENABLE,
    evidence=Evidence.MODEL,
)
def wrong_codes_refused(probe: AssignmentProbe) -> Outcome:
    """Well-formed but wrong codes are refused with InvalidAuthenticationCode."""
    return _refused_with("EnableMFADevice", probe.wrong_codes, "InvalidAuthenticationCode", "wrong codes")


@check(
    id="vmfa.enable.in-use",
    operation="EnableMFADevice",
    scenario="assignment",
    clause="EnableMFADevice: Errors",
    evidence=Evidence.MODEL,
)
def device_in_use_refused(probe: AssignmentProbe) -> Outcome:
    """Enabling a device that is already in use is refused with EntityAlreadyExists."""
    return _enabled(probe) or _refused_with(
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
    """Any lists the device; Assigned lists it exactly when its entry has a User, Unassigned exactly
    when it has none (judged after the enable and after the deactivation)."""
    skipped = _enabled(probe)
    if skipped:
        return skipped
    moments = [("enabled", probe.listed_assigned)]
    if probe.deleted_while_assigned is not None:  # else the device is gone: nothing to list after
        moments.append(("deactivated", probe.listed_after))
    wrong = []
    for moment, listing in moments:
        entry = probe.entry(listing, "Any")
        if entry is None:
            wrong.append(f"after {moment}: absent from Any")
            continue
        assigned = entry.user_name is not None
        for status, expected in (("Assigned", assigned), ("Unassigned", not assigned)):
            if (probe.entry(listing, status) is not None) != expected:
                state = "listed" if not expected else "absent"
                wrong.append(
                    f"after {moment}: {state} under {status} while {'' if assigned else 'un'}assigned"
                )
    if not wrong:
        return Pass()
    return Miss("each filter lists exactly the devices in its state", "; ".join(wrong))


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
            for listing in (probe.listed_assigned, probe.listed_after)
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
    return _enabled(probe) or _refused_with(
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
        return Miss("HTTP 200: the device deactivated", probe.deactivated.describe())
    entry = probe.entry(probe.listed_after, "Any")
    if entry is not None and entry.user_name is None:
        return Pass()
    received = "absent from Any" if entry is None else f"still assigned to {entry.user_name}"
    return Miss("listed under Any, without a User", received)
