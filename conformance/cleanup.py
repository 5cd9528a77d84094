"""Leave nothing behind: every resource the suite creates is tracked until it is deleted.

Tests delete what they create as soon as they are done with it; whatever is still tracked when the
session ends (a failed assertion, an interrupted run) is deleted then, and anything that could not be
deleted is reported by name, so that the user can remove it by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["ResourceTracker"]


@dataclass
class ResourceTracker:
    delete_device: Callable[[str], None]
    _devices: dict[str, None] = field(default_factory=dict)  # insertion-ordered set of serials
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def track_device(self, serial_number: str) -> None:
        with self._lock:
            self._devices[serial_number] = None

    def release_device(self, serial_number: str) -> None:
        """Delete one tracked device now; on failure it stays tracked for the final sweep."""
        self.delete_device(serial_number)
        with self._lock:
            self._devices.pop(serial_number, None)

    def tracked(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._devices)

    def sweep(self) -> list[str]:
        """Delete everything still tracked; return what could not be deleted, with the reason."""
        leftovers = []
        for serial_number in self.tracked():
            try:
                self.release_device(serial_number)
            except Exception as error:
                leftovers.append(f"{serial_number}: {type(error).__name__}: {error}")
        return leftovers
