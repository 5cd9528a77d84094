"""The calls the documents refuse while a device is assigned, sent on a device of their own.

Why a second device: a refusal the endpoint wrongly accepts changes the state (the device moves to
another user, or is deleted), and the steps after it could no longer be judged. On their own device, a
wrong acceptance hides nothing: the main device's deactivation, listing and deletion are judged all
the same (`conformance.scenarios.assignment.gather`), and each refusal is followed by the reads that
show what it did to the users' lists.

The steps: enable the device for the user; enable it for another user (``EntityAlreadyExists``; the
user keeps it); deactivate it for that other user (``NoSuchEntity``: it is not theirs; the user keeps
it); delete it while assigned (``DeleteConflict``; had it been deleted, no user may still list it).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from conformance.judging.outcomes import Miss, Outcome
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.paging import serial_of
from conformance.session.suite import SuiteSession

__all__ = ["Lists", "Refusals", "UserDevices", "holds", "refusals_opened", "shown_by", "user_devices"]

UserDevices = frozenset[str] | Rejection  # ListMFADevices(UserName): the serials listed, or the refusal
Lists = tuple[UserDevices, UserDevices]  # the user's, and the other user's


@dataclass(frozen=True)
class Refusals:
    """The refusal steps' answers (None: the call succeeded) and the users' lists after each."""

    serial: str
    user: str
    other_user: str
    enabled: Rejection | None  # EnableMFADevice for the user
    enabled_for_other: Rejection | None
    after_enable_for_other: Lists  # ListMFADevices of the user and of the other user, after that step
    deactivated_for_other: Rejection | None
    after_deactivate_for_other: Lists
    deleted_while_assigned: Rejection | None
    after_delete: Lists
    calls: tuple[ApiCall, ...] = ()  # this device's calls, between the user's creation and deletion

    @property
    def holder(self) -> str | None:
        """Who held the device when the delete was sent, as the lists showed it (None: nobody)."""
        for name, devices in zip((self.user, self.other_user), self.after_deactivate_for_other, strict=True):
            if holds(devices, self.serial):
                return name
        return None


def shown_by(outcome: Outcome, calls: tuple[ApiCall, ...]) -> Outcome:
    """``outcome``; a miss with its reproduction narrowed to ``calls`` (one device's steps)."""
    return dataclasses.replace(outcome, calls=calls) if isinstance(outcome, Miss) and calls else outcome


def user_devices(suite: SuiteSession, user: str) -> UserDevices:
    """The serials ListMFADevices gives for ``user``, every page."""
    serials = suite.entries("list_mfa_devices", {"UserName": user}, "MFADevices", serial_of)
    return serials if isinstance(serials, Rejection) else frozenset(serials)


def holds(devices: UserDevices, serial: str) -> bool:
    return not isinstance(devices, Rejection) and serial in devices


def _both(suite: SuiteSession, users: tuple[str, str], serial: str, holder: str | None) -> Lists:
    """Both users' lists, polled (remote targets) until ``holder`` alone lists the device."""

    def read() -> Lists:
        return user_devices(suite, users[0]), user_devices(suite, users[1])

    def settled(lists: Lists) -> bool:
        return all(
            holds(devices, serial) == (name == holder) for name, devices in zip(users, lists, strict=True)
        )

    return suite.settle(read, settled)


@contextlib.contextmanager
def refusals_opened(
    suite: SuiteSession, user: str, params: Mapping[str, Any]
) -> Iterator[Callable[[], Refusals | None]]:
    """A second device of the user's, created and enabled for the user at once; the block gets the
    function that then takes it through the refusals (None: it could not be created) and releases it.

    Opened before the main device's reads (`conformance.scenarios.assignment.gather`): on an eventually
    consistent endpoint this enable shows in the lists while the main device's enable is waited for,
    instead of costing a wait of its own. The reproduction is this device's calls alone, in order."""
    second = {**params, "VirtualMFADeviceName": f"{params['VirtualMFADeviceName']}-{suite.unique_token()}"}
    with contextlib.ExitStack() as held:
        with suite.recording() as opening:
            device = held.enter_context(suite.create_device(second))
            other = held.enter_context(suite.user())
            created = device if isinstance(device, CreatedDevice) and device.serial_number else None
            enabled = suite.enable(user, created).rejection if created is not None else None

        def take() -> Refusals | None:
            with suite.recording() as calls, held:  # released here, its calls recorded with the steps
                if created is None:
                    return None
                refusals = _refusals(suite, (user, other), created, enabled)
            # the user, created before and deleted after: the script makes and removes it itself
            made, deleted = (
                suite.call(operation, {"UserName": user}) for operation in ("create_user", "delete_user")
            )
            return dataclasses.replace(refusals, calls=(made, *opening, *calls, deleted))

        yield take


def _refusals(
    suite: SuiteSession, users: tuple[str, str], device: CreatedDevice, enabled: Rejection | None
) -> Refusals:
    """The steps after the enable for the user (``enabled``: its answer)."""
    user, other = users
    serial = str(device.serial_number)
    request = {"SerialNumber": serial}
    holder = user if enabled is None else None
    for_other = suite.enable(other, device).rejection
    after_enable = _both(suite, users, serial, holder)
    deactivated = suite.send("deactivate_mfa_device", {"UserName": other, **request}).rejection
    after_deactivate = _both(suite, users, serial, holder)
    deleted = suite.send("delete_virtual_mfa_device", request).rejection
    after_delete = _both(suite, users, serial, holder if deleted is not None else None)
    # Released, to be deleted at the end: by whoever the lists or the answers say holds it (a list
    # that is wrong must not leave the device behind).
    held_by = (enabled is None, for_other is None)
    for name, devices, enabled_for in zip(users, after_delete, held_by, strict=True):
        if deleted is not None and (holds(devices, serial) or enabled_for):
            suite.send("deactivate_mfa_device", {"UserName": name, **request})
    return Refusals(
        serial=serial,
        user=user,
        other_user=other,
        enabled=enabled,
        enabled_for_other=for_other,
        after_enable_for_other=after_enable,
        deactivated_for_other=deactivated,
        after_deactivate_for_other=after_deactivate,
        deleted_while_assigned=deleted,
        after_delete=after_delete,
    )
