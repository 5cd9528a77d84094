"""What each ``--workers`` process creates on the endpoint, written down as it happens.

Every worker tracks its own devices and users (`conformance.session.resources.ResourceTracker`) and
deletes them when its tests end. A worker can also be stopped before that: Ctrl-C, a CI timeout, a
crash, or xdist ending it at the end of the run. So each change to a worker's tracker is appended to
a journal file of that worker's, *before* the request it announces is sent where that matters (an
attempted create): replayed in order on the controller's tracker when the workers are down, the
journals give the controller every resource that is still tracked by anybody, and its final sweep
deletes them (a delete of what a worker deleted already counts as done: NoSuchEntity).

The journals also answer, for one worker, "did any worker of this run make this device?": a create
refused by the endpoint must leave no device behind, and a device that appears meanwhile may be
another worker's (`JournaledTracker.known_device`). Devices that were on the endpoint before the run
started are never new either (the controller lists them before any worker starts).

Serial numbers and user names are not secrets: they appear in reports too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.session.resources import ResourceTracker

__all__ = ["JOURNAL_SUFFIX", "PREEXISTING", "Claims", "JournaledTracker", "replay", "replay_journal"]

JOURNAL_SUFFIX = ".journal"
PREEXISTING = "preexisting.json"


def _append(path: Path, event: list[str | None]) -> None:
    """One line, written with one ``write``: a process killed after it returns has left the line."""
    line = (json.dumps(event) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _events(path: Path, offset: int = 0) -> tuple[list[list[Any]], int]:
    """The complete lines from ``offset`` on, and the offset after the last complete line."""
    try:
        with path.open("rb") as journal:
            journal.seek(offset)
            data = journal.read()
    except FileNotFoundError:
        return [], offset
    complete = data[: data.rfind(b"\n") + 1]
    events = []
    for line in complete.splitlines():
        try:
            event = json.loads(line)
        except ValueError:  # never written whole: nothing to replay
            continue
        if isinstance(event, list) and event:
            events.append(event)
    return events, offset + len(complete)


@dataclass
class Claims:
    """Every device the run's workers made or tried to make, read from their journals as they grow,
    and the devices that were there before the run."""

    folder: Path
    own: Path
    _offsets: dict[Path, int] = field(default_factory=dict)
    _serials: set[str] = field(default_factory=set)
    _tails: set[str] = field(default_factory=set)  # ":mfa<path><name>" of attempted creates
    _preexisting: frozenset[str] | None = None

    def claimed(self, serial_number: str) -> bool:
        self._read()
        if self._preexisting is None:
            path = self.folder / PREEXISTING
            self._preexisting = frozenset(json.loads(path.read_text())) if path.exists() else frozenset()
        if serial_number in self._serials or serial_number in self._preexisting:
            return True
        return any(serial_number.endswith(tail) for tail in self._tails)

    def _read(self) -> None:
        for path in sorted(self.folder.glob(f"*{JOURNAL_SUFFIX}")):
            if path == self.own:
                continue
            events, self._offsets[path] = _events(path, self._offsets.get(path, 0))
            for kind, *args in events:
                if kind == "attempt":
                    self._tails.add(f":mfa{args[0]}{args[1]}")
                elif kind in ("settle", "adopt") and args[-1]:
                    self._serials.add(str(args[-1]))


@dataclass
class JournaledTracker(ResourceTracker):
    """A worker's tracker: the same behaviour, every change also appended to its journal."""

    journal: Path | None = None
    claims: Claims | None = None

    def _note(self, *event: str | None) -> None:
        if self.journal is not None:
            _append(self.journal, list(event))

    def attempt_device(self, path: str, name: str) -> str:
        self._note("attempt", path, name)  # before the create is sent
        return super().attempt_device(path, name)

    def settle_attempt(self, token: str, serial_number: str | None) -> None:
        super().settle_attempt(token, serial_number)
        self._note("settle", token, serial_number)

    def adopt_device(self, serial_number: str) -> None:
        super().adopt_device(serial_number)
        self._note("adopt", serial_number)

    def forget_device(self, serial_number: str, why: str) -> None:
        super().forget_device(serial_number, why)
        self._note("abandon", serial_number, why)

    def release_device(self, serial_number: str) -> None:
        super().release_device(serial_number)
        self._note("forget", serial_number)

    def track_user(self, name: str) -> None:
        super().track_user(name)
        self._note("user", name)

    def forget_user(self, name: str) -> None:
        super().forget_user(name)
        self._note("forget-user", name)

    def release_user(self, name: str) -> None:
        super().release_user(name)
        self._note("forget-user", name)

    def known_device(self, serial_number: str) -> bool:
        """Tracked by this worker at some time, made or tried by another worker, or there before."""
        if super().known_device(serial_number):
            return True
        return self.claims is not None and self.claims.claimed(serial_number)


def replay(folder: Path, tracker: ResourceTracker) -> int:
    """Apply every worker's journal to ``tracker`` (the controller's), in each worker's order: what
    they still held is then tracked there, for its sweep. Returns how many events were replayed."""
    return sum(replay_journal(path, tracker) for path in sorted(folder.glob(f"*{JOURNAL_SUFFIX}")))


def replay_journal(path: Path, tracker: ResourceTracker) -> int:
    """Apply one worker's journal to ``tracker``; how many events it held."""
    events, _ = _events(path)
    for kind, *args in events:
        if kind == "attempt":
            tracker.attempt_device(str(args[0]), str(args[1]))
        elif kind == "settle":
            tracker.settle_attempt(str(args[0]), args[1])
        elif kind == "adopt":
            tracker.adopt_device(str(args[0]))
        elif kind == "forget":  # deleted by the worker
            tracker.deleted_elsewhere(str(args[0]))
        elif kind == "abandon":  # left on purpose, and said so by the worker
            tracker.forget_device(str(args[0]), str(args[1]))
        elif kind == "user":
            tracker.track_user(str(args[0]))
        elif kind == "forget-user":
            tracker.forget_user(str(args[0]))
    return len(events)
