"""Leave nothing behind: every resource the suite creates is tracked until it is deleted.

Tests delete what they create as soon as they are done with it; whatever is still tracked when the
session ends (a failed check, an interrupted run) is deleted then, and anything that could not be
deleted is a `Leftover` of the run (kind, id, the endpoint's last answer), so that the user can remove
it by hand.

A create is tracked from the moment it is *attempted*: a run interrupted between the server creating
the device and the client reading its serial would otherwise lose it. Attempts that never returned
a device are resolved at the sweep by listing the devices and matching the ``mfa<path><name>`` tail
of their serials; a create answered ``EntityAlreadyExists`` is not ours and is never swept.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.session.calls import Rejection
from reports.leftovers import Leftover

__all__ = ["SWEEP_ATTEMPTS", "Leftover", "ResourceTracker"]


@dataclass
class ResourceTracker:
    delete_device: Callable[[str], None]
    list_device_serials: Callable[[], Iterable[str]]
    delete_user: Callable[[str], None] = lambda name: None  # deactivates the user's devices first
    _users: dict[str, None] = field(default_factory=dict)
    _devices: dict[str, None] = field(default_factory=dict)  # insertion-ordered set of serials
    _known: set[str] = field(default_factory=set)  # every serial tracked at some time in the run
    _abandoned: dict[str, str] = field(default_factory=dict)  # left on purpose: serial -> why
    # user -> serials the run may have assigned to it: an EnableMFADevice accepted, or answered 5xx
    # (it may have been done all the same); until a DeactivateMFADevice of it is accepted.
    _assigned: dict[str, set[str]] = field(default_factory=dict)
    # "mfa<path><name>" of unconfirmed creates, counted: a later answer for the same name settles
    # only its own attempt, never an earlier one that may have left a device.
    _attempts: Counter[str] = field(default_factory=Counter)
    # Of those, the ones the endpoint refused (a non-atomic endpoint may still have stored the device):
    # answered, so the report does not call them unanswered.
    _refused: Counter[str] = field(default_factory=Counter)
    # The open attempts the last listing of `look_for_attempts` looked for: another listing before the
    # next such test finds nothing new unless an attempt was made since (the sweep lists again anyway).
    _looked_for: Counter[str] = field(default_factory=Counter)
    # Re-entrant: a signal (an interrupted run) may land between a `with` taking the lock and the block
    # that releases it; the sweep, on the same thread, must still get in.
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def attempt_device(self, path: str, name: str) -> str:
        """Record a create about to be sent; returns the token to settle it with."""
        token = f"mfa{path}{name}"
        with self._lock:
            self._attempts[token] += 1
        return token

    def settle_attempt(self, token: str, serial_number: str | None) -> None:
        """The create answered: with the device's serial (now tracked), or None (nothing of ours)."""
        with self._lock:
            self._attempts[token] -= 1
            if self._attempts[token] <= 0:
                del self._attempts[token]
            if serial_number:
                self._devices[serial_number] = None
                self._known.add(serial_number)

    def refused_attempt(self, token: str) -> None:
        """The create was refused otherwise than as a duplicate: it stays open (a non-atomic endpoint
        may have stored the device, which the sweep's listing finds), counted as answered."""
        with self._lock:
            if self._refused[token] < self._attempts[token]:
                self._refused[token] += 1

    def adopt_device(self, serial_number: str) -> None:
        """Track a device found on the endpoint that one of our requests left behind."""
        with self._lock:
            self._devices[serial_number] = None
            self._known.add(serial_number)

    def known_device(self, serial_number: str) -> bool:
        """Whether the run tracked this device at some time (created it, or adopted it), deleted or not."""
        with self._lock:
            return serial_number in self._known

    def forget_device(self, serial_number: str, why: str) -> None:
        """Stop tracking a device that cannot be deleted and is left on purpose: ``why`` names the check
        that left it and the endpoint's answer (`abandoned`: the run's notes say so)."""
        with self._lock:
            self._devices.pop(serial_number, None)
            self._known.discard(serial_number)
            self._abandoned[serial_number] = why

    def abandoned(self) -> dict[str, str]:
        """The devices left on purpose (`forget_device`): serial -> why."""
        with self._lock:
            return dict(self._abandoned)

    def deleted_elsewhere(self, serial_number: str) -> None:
        """Stop tracking a device another process of the run deleted (a worker of ``--workers``)."""
        with self._lock:
            self._devices.pop(serial_number, None)

    def release_device(self, serial_number: str) -> None:
        """Delete one tracked device now; on failure it stays tracked for the final sweep."""
        self.delete_device(serial_number)
        with self._lock:
            self._devices.pop(serial_number, None)

    def track_user(self, name: str) -> None:
        with self._lock:
            self._users[name] = None

    def forget_user(self, name: str) -> None:
        """Stop tracking a user the endpoint says it deleted (a test's own DeleteUser succeeded)."""
        with self._lock:
            self._users.pop(name, None)
            self._assigned.pop(name, None)

    def note_assignment(self, operation: str, params: Mapping[str, Any], answer: Rejection | None) -> None:
        """What an EnableMFADevice or DeactivateMFADevice the run sent may have done: an enable that was
        accepted, or answered 5xx (it may have been done all the same); a deactivate that was accepted."""
        user, serial = params.get("UserName"), params.get("SerialNumber")
        if not isinstance(user, str) or not isinstance(serial, str):
            return
        with self._lock:
            if operation == "enable_mfa_device" and (answer is None or answer.server_error):
                self._assigned.setdefault(user, set()).add(serial)
            elif operation == "deactivate_mfa_device" and answer is None:
                self._assigned.get(user, set()).discard(serial)

    def may_hold(self, user: str) -> frozenset[str]:
        """The serials the run may have assigned to ``user`` and not seen deactivated: deactivated
        before the user is deleted even when the user's list does not show them. An endpoint that
        wrongly deletes a user holding a device may break on it (LocalStack 2026.3.0 does), and the run
        must not be the one that sends that DeleteUser."""
        with self._lock:
            return frozenset(self._assigned.get(user, ()))

    def release_user(self, name: str) -> None:
        """Delete one tracked user now (its MFA devices deactivated); on failure it stays tracked."""
        self.delete_user(name)
        with self._lock:
            self._users.pop(name, None)
            self._assigned.pop(name, None)

    def known_devices(self) -> frozenset[str]:
        """Every device the run tracked at some time, deleted or not."""
        with self._lock:
            return frozenset(self._known)

    def tracked(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._devices)

    def sweep(self) -> list[Leftover]:
        """Delete everything still tracked; return what could not be deleted, each with the endpoint's
        last answer about it. Nothing it meets is raised: the sweep always ends.

        Each delete is tried up to `SWEEP_ATTEMPTS` times: a delete the endpoint performed but whose
        answer was lost (a 5xx, a reset, a timeout) is then answered "no such entity", which counts as
        deleted, so nothing is listed that is in fact gone; what is still refused after the last attempt
        is listed, so nothing real is missed.
        """
        left: list[Leftover] = []
        with self._lock:
            users = tuple(self._users)
        for name in users:  # users first: their devices must be deactivated before deletion
            error = _attempts(functools.partial(self.release_user, name))
            if error is not None:
                left.append(Leftover("user", name, _reason(error)))
        error = _attempts(self._resolve_attempts)
        if error is not None:  # the devices that are tracked are still deleted
            with self._lock:
                open_attempts = {
                    token: (self._attempts[token], self._refused[token]) for token in self._attempts
                }
            for token, (attempts, refused) in sorted(open_attempts.items()):
                # A refused create is answered, but a non-atomic endpoint may have stored the device.
                kept = "refused (a non-atomic endpoint may have kept it)"
                what = kept if refused >= attempts else "never answered"
                reason = f"{what}, and the devices could not be listed to find it: {_reason(error)}"
                left.append(Leftover("create", token, reason))
        for serial_number in self.tracked():
            error = _attempts(functools.partial(self.release_device, serial_number))
            if error is not None:
                left.append(Leftover("device", serial_number, _reason(error)))
        return left

    def look_for_attempts(self, *, settled: bool) -> None:
        """Track the devices open attempts left, by one listing, before a test that may break the
        endpoint runs: afterwards the listing may fail, and the sweep could not look for them.
        ``settled``: the endpoint shows every write at once (no patience), so the attempts are resolved;
        otherwise they stay open for the sweep, which lists again (and are not looked for again before
        the next such test, unless another was made since). A listing that fails changes nothing."""
        with self._lock:
            open_attempts = Counter(self._attempts)
        looked = all(self._looked_for[token] >= count for token, count in open_attempts.items())
        if not open_attempts or looked:
            return
        with contextlib.suppress(Exception):  # the attempts stay open; the sweep reports its failure
            if settled:
                self._resolve_attempts()
            else:
                self._track_listed(self.list_device_serials(), tuple(open_attempts))
                self._looked_for = open_attempts

    def _track_listed(self, listed: Iterable[str], attempts: Iterable[str]) -> None:
        tails = tuple(f":{token}" for token in attempts)
        with self._lock:
            for serial_number in listed:
                if serial_number.endswith(tails):
                    self._devices[serial_number] = None
                    self._known.add(serial_number)

    def _resolve_attempts(self) -> None:
        """Track the devices that unanswered creates left; the attempts stay open if the listing fails."""
        with self._lock:
            attempts = tuple(self._attempts)
        if not attempts:
            return
        self._track_listed(self.list_device_serials(), attempts)
        with self._lock:
            self._attempts, self._refused = Counter(), Counter()


SWEEP_ATTEMPTS = 3  # tries of each delete at the sweep: a lost answer is found out by the next try


def _attempts(action: Callable[[], object]) -> Exception | None:
    """Run ``action`` up to `SWEEP_ATTEMPTS` times until it succeeds; the last error, or None."""
    error: Exception | None = None
    for _ in range(SWEEP_ATTEMPTS):
        try:
            action()
        except Exception as failure:  # each failure is reported; the sweep goes on
            error = failure
        else:
            return None
    return error


def _reason(error: Exception) -> str:
    """Why a delete failed, as the endpoint answered (`EndpointFailure` carries the answer)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
