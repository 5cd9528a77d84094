"""Checks on what the documents refuse while a device is assigned, and on what each refusal leaves.

Facts: EnableMFADevice of a device in use is ``EntityAlreadyExists`` (409 in the model; "MFA Device is
already in use." recorded on AWS), for the user who holds it and for any other; a device must be
deactivated before it is deleted (``DeleteConflict``, 409); DeactivateMFADevice "deactivates the
specified MFA device and removes it from association with the user name for which it was originally
enabled", so a device that is not that user's is ``NoSuchEntity`` (404 in the model) for it (AWS was
recorded answering so for a serial of no device). A refusal changes nothing: the user keeps the device.
ListMFADevices lists "the MFA devices for an IAM user" (documented): a deleted device is none of them.

The main device is judged for the same user's enable again; the refusals that would move or delete a
device are sent on a second device (`conformance.scenarios.assignment.refusal_steps`), the unassigned
deactivation on a third, so that a refusal wrongly accepted hides no other check.
"""

from __future__ import annotations

from conformance.judging.error_tables import error_entry, refused_with, unsupported
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip, Unsupported
from conformance.judging.registry import check
from conformance.scenarios.assignment.checks import enabled, needs_enabled
from conformance.scenarios.assignment.gather import ASSIGNMENT, Assignment
from conformance.scenarios.assignment.refusal_steps import Lists, Refusals, holds, shown_by
from conformance.session.calls import ApiCall, Rejection
from reports.model import Evidence

__all__ = [
    "assigned_device_cannot_be_deleted",
    "deactivate_not_assigned_refused",
    "deleted_device_not_left_in_user_list",
    "device_in_use_refused",
    "other_user_enable_refused",
]

_DEACTIVATE = "DeactivateMFADevice"
_NOT_FOUND = "NoSuchEntity"


def _second_enabled(seen: Assignment) -> Skip | Unsupported | None:
    """Requirement: the second device was created and enabled for the user (an endpoint that takes any
    codes enables it even when its seed, like the main device's, gave none: the refusals still judge)."""
    if seen.refusals is None:
        return Skip("the second device could not be created (vmfa.create.valid-request-accepted)")
    return needs_enabled(seen.refusals.enabled, seen.codes_computed)


def _still_assigned(seen: Assignment) -> Skip | None:
    """Requirement: a user still held the second device when its delete was sent (as the users' lists
    show it; as the answers imply, when ListMFADevices cannot tell: the device stays assigned unless a
    deactivation for the other user was accepted)."""
    refusals = _refusals(seen)
    held = refusals.holder is not None if _lists_follow(seen) else refusals.deactivated_for_other is not None
    if not held:
        return Skip("the device was no longer assigned when deleted (vmfa.enable.other-user, not-assigned)")
    return None


def _refusals(seen: Assignment) -> Refusals:
    assert seen.refusals is not None  # _second_enabled holds
    return seen.refusals


def _lists_follow(seen: Assignment) -> bool:
    """Whether ListMFADevices showed the main device once it was enabled: only then do the users' lists
    tell who holds a device (else vmfa.list-mfa-devices.follows-assignment has the finding)."""
    return holds(seen.user_devices, seen.device.serial_number or "")


def _kept(refusals: Refusals, lists: Lists, after: str) -> str | None:
    """What is wrong with the lists ``after`` a refusal: the user must list the device, the other not."""
    user_list, other_list = lists
    for devices in lists:
        if isinstance(devices, Rejection):
            return f"after {after}: ListMFADevices {devices.describe()}"
    if not holds(user_list, refusals.serial):
        return f"after {after}: the user no longer lists the device"
    if holds(other_list, refusals.serial):
        return f"after {after}: the other user lists the device"
    return None


@check(
    id="vmfa.enable.in-use",
    operation="EnableMFADevice",
    scenario=ASSIGNMENT,
    clause="EnableMFADevice: Errors",
    evidence=Evidence.MODEL,
    requires=[enabled],
)
def device_in_use_refused(seen: Assignment) -> Outcome:
    """Enabling a device that is already in use is refused with EntityAlreadyExists."""
    return refused_with("EnableMFADevice", seen.enabled_again, "EntityAlreadyExists", "the device is in use")


@check(
    id="vmfa.enable.other-user",
    operation="EnableMFADevice",
    scenario=ASSIGNMENT,
    clause="EnableMFADevice: Errors (a device in use, for another user)",
    evidence=Evidence.MODEL,
    requires=[_second_enabled],
)
def other_user_enable_refused(seen: Assignment) -> Outcome:
    """Enabling a device one user holds for another user is refused with EntityAlreadyExists, and the
    first user keeps it."""
    refusals = _refusals(seen)
    answer = refusals.enabled_for_other
    refused = refused_with("EnableMFADevice", answer, "EntityAlreadyExists", "another user holds the device")
    if not isinstance(refused, Pass):
        return shown_by(refused, refusals.calls)
    wrong = _kept(refusals, refusals.after_enable_for_other, "the refusal") if _lists_follow(seen) else None
    if wrong is None:
        return Pass()
    return Miss("the user keeps the device; the other user does not list it", wrong, refusals.calls)


def _not_found_status() -> int | None:
    entry = error_entry(_DEACTIVATE, _NOT_FOUND)
    return entry.http_status if entry is not None else None


def _not_found(answer: Rejection | None, case: str) -> str | None:
    """What is wrong with ``answer`` to a deactivation of a device that is not the user's."""
    if answer is not None and (answer.code, answer.status) == (_NOT_FOUND, _not_found_status()):
        return None
    return f"{case}: {'HTTP 200: deactivated' if answer is None else answer.describe()}"


@check(
    id="vmfa.deactivate.not-assigned",
    operation=_DEACTIVATE,
    scenario=ASSIGNMENT,
    clause="DeactivateMFADevice: UserName, SerialNumber (a device that is not the user's); Errors",
    evidence=Evidence.MODEL,
)
def deactivate_not_assigned_refused(seen: Assignment) -> Outcome:
    """Deactivating, for a user, an existing device that is not assigned to that user is refused with
    NoSuchEntity: an unassigned device, and a device another user holds (who keeps it)."""
    missing = unsupported(_DEACTIVATE, seen.deactivated)  # the main device's deactivation: the operation
    if missing is not None:
        return missing
    judged: list[tuple[list[str | None], tuple[ApiCall, ...]]] = []  # what is wrong, and where it shows
    if seen.wrong_codes is not None:  # the third device stayed unassigned
        unassigned = _not_found(seen.deactivated_unassigned, "an unassigned device")
        judged.append(([unassigned], seen.third_device_calls))
    refusals = seen.refusals
    if refusals is not None and refusals.enabled is None and refusals.enabled_for_other is not None:
        # the second device is the user's, not the other user's
        answer = _not_found(refusals.deactivated_for_other, "another user's device, for the other user")
        lists = refusals.after_deactivate_for_other
        kept = _kept(refusals, lists, "that deactivation") if _lists_follow(seen) else None
        judged.append(([answer, kept], refusals.calls))
    if not judged:
        return Skip("no device stayed unassigned or with its user (vmfa.enable.wrong-codes, other-user)")
    wrong = [(text, calls) for found, calls in judged for text in found if text]
    if not wrong:
        return Pass()
    expected = f"HTTP {_not_found_status()} {_NOT_FOUND}: the device is not the user's; its holder keeps it"
    shown = wrong[0][1] if all(calls is wrong[0][1] for _, calls in wrong) else ()  # one device's steps
    return Miss(expected, "; ".join(text for text, _ in wrong), shown)


@check(
    id="vmfa.delete.assigned",
    operation="DeleteVirtualMFADevice",
    scenario=ASSIGNMENT,
    clause="DeleteVirtualMFADevice: deactivate first (DeleteConflict)",
    evidence=Evidence.MODEL,
    requires=[_second_enabled, _still_assigned],
)
def assigned_device_cannot_be_deleted(seen: Assignment) -> Outcome:
    """Deleting a device that is still assigned is refused with DeleteConflict."""
    refusals = _refusals(seen)
    answer = refusals.deleted_while_assigned
    refused = refused_with("DeleteVirtualMFADevice", answer, "DeleteConflict", "the device is assigned")
    return shown_by(refused, refusals.calls)


@check(
    id="vmfa.list-mfa-devices.no-dangling",
    operation="ListMFADevices",
    scenario=ASSIGNMENT,
    clause="ListMFADevices: MFADevices (a deleted device is no device of the user's)",
    evidence=Evidence.DOCUMENTED,
)
def deleted_device_not_left_in_user_list(seen: Assignment) -> Outcome:
    """Once a device is deleted, no user's ListMFADevices lists it: neither after its deactivation and
    deletion, nor after a (wrongly accepted) deletion while it was assigned."""
    wrong: list[str] = []
    judged, shown = 0, seen.calls  # the whole sequence, unless only the second device shows it
    if seen.removal_prepared is None and seen.deleted is None:
        judged += 1
        if holds(seen.user_devices, seen.removed_serial):
            wrong.append("the user still lists the device deactivated and deleted")
    refusals = seen.refusals
    if refusals is not None and refusals.enabled is None and refusals.deleted_while_assigned is None:
        judged += 1
        names = ("the user", "the other user")
        for name, devices in zip(names, refusals.after_delete, strict=True):
            if holds(devices, refusals.serial):
                shown = refusals.calls if not wrong else shown
                wrong.append(f"{name} still lists the device deleted while assigned")
    if not judged:
        return Skip("no device was deleted (vmfa.delete.unlisted)")
    if not wrong:
        return Pass()
    return Miss("no ListMFADevices entry for a deleted device", "; ".join(wrong), shown)
