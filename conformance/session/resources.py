"""Leave nothing behind: every resource the suite creates is tracked until it is deleted.

Tests delete what they create as soon as they are done with it; whatever is still tracked when the
session ends (a failed check, an interrupted run) is deleted then, and anything that could not be
deleted is reported by name, so that the user can remove it by hand.

A create is tracked from the moment it is *attempted*: a run interrupted between the server creating
the device and the client reading its serial would otherwise lose it. Attempts that never returned
a device are resolved at the sweep by listing the devices and matching the ``mfa<path><name>`` tail
of their serials; a create answered ``EntityAlreadyExists`` is not ours and is never swept.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["ResourceTracker"]


@dataclass
class ResourceTracker:
    delete_device: Callable[[str], None]
    list_device_serials: Callable[[], Iterable[str]]
    delete_user: Callable[[str], None] = lambda name: None  # deactivates the user's devices first
    _users: dict[str, None] = field(default_factory=dict)
    _devices: dict[str, None] = field(default_factory=dict)  # insertion-ordered set of serials
    # "mfa<path><name>" of unconfirmed creates, counted: a later answer for the same name settles
    # only its own attempt, never an earlier one that may have left a device.
    _attempts: Counter[str] = field(default_factory=Counter)
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

    def adopt_device(self, serial_number: str) -> None:
        """Track a device found on the endpoint that one of our requests left behind."""
        with self._lock:
            self._devices[serial_number] = None

    def forget_device(self, serial_number: str) -> None:
        """Stop tracking a device that cannot be deleted and is reported by its check instead."""
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

    def release_user(self, name: str) -> None:
        """Delete one tracked user now (its MFA devices deactivated); on failure it stays tracked."""
        self.delete_user(name)
        with self._lock:
            self._users.pop(name, None)

    def tracked(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._devices)

    def sweep(self) -> list[str]:
        """Delete everything still tracked; return what could not be deleted, with the reason (the
        endpoint's answer), one line per reason. Nothing it meets is raised: the sweep always ends."""
        failed: dict[str, list[str]] = {}  # reason -> what it kept from being deleted
        with self._lock:
            users = tuple(self._users)
        for name in users:  # users first: their devices must be deactivated before deletion
            try:
                self.release_user(name)
            except Exception as error:  # each failure is reported; the sweep goes on
                failed.setdefault(_reason(error), []).append(f"user {name}")
        try:
            self._resolve_attempts()
        except Exception as error:  # the devices that are tracked are still deleted
            with self._lock:
                unanswered = sum(self._attempts.values())
            what = f"{unanswered} create(s) never answered, which could not be looked for"
            failed.setdefault(_reason(error), []).append(what)
        for serial_number in self.tracked():
            try:
                self.release_device(serial_number)
            except Exception as error:  # each failure is reported; the sweep goes on
                failed.setdefault(_reason(error), []).append(serial_number)
        return [f"{', '.join(kept)}: {reason}" for reason, kept in failed.items()]

    def _resolve_attempts(self) -> None:
        """Track the devices that unanswered creates left; the attempts stay open if the listing fails."""
        with self._lock:
            attempts = tuple(self._attempts)
        if not attempts:
            return
        listed = self.list_device_serials()
        with self._lock:
            self._attempts = Counter()
            for serial_number in listed:
                if any(serial_number.endswith(f":{token}") for token in attempts):
                    self._devices[serial_number] = None


def _reason(error: Exception) -> str:
    """Why a delete failed, as the endpoint answered (`EndpointFailure` carries the answer)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
