"""Ownership by construction: what a run creates is recognisably its own, and confined.

Why: an account is shared (other CI jobs, people, an earlier run that died). A run that recognised its
devices by a name it had merely hoped unique deleted a device someone else made (issue 12), and one
killed with SIGKILL left nothing a later clean-up could tell apart. So every run draws a run id, and:

- every device and user it creates lives under ``/iam-conformance/<run-id>/``: a drawn path is sent
  nested under it (``/a/`` becomes ``/iam-conformance/<run-id>/a/``; no path, the prefix itself);
- every name carries the run id: ``-<run-id>`` is appended, except to a name at the model's shortest
  length (what its case tests is that length; the run id is in its path);
- a path that breaks the model (an invalid request's subject) cannot be nested without changing what it
  tests: it is sent as drawn, outside the prefix, with a name carrying the run id. On AWS such a request
  is sent only with ``--allow-root-path``; elsewhere the run counts them (`outside`).

The run id starts with its start time (base 36, seconds), so a sweeper can tell a dead run's resources
by age without a creation date (unassigned devices have none). Lengths are in `strategies.ownership`,
so the strategies draw within what the prefix and the tag leave.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from strategies.model import string_constraint
from strategies.ownership import (
    RUN_ID_ALPHABET,
    RUN_ID_LENGTH,
    SUITE_FOLDER,
    run_path_prefix,
    run_tag,
)
from strategies.patterns import java_fullmatch

__all__ = [
    "SUITE_PATH",
    "RunOwnership",
    "new_run_id",
    "run_id_of_path",
    "run_id_of_serial",
    "run_started",
]

SUITE_PATH = f"/{SUITE_FOLDER}/"  # the top of every run's prefix: what a sweeper lists
_TIME_DIGITS = 6
_RANDOM_DIGITS = RUN_ID_LENGTH - _TIME_DIGITS
_RUN_ID = re.compile(f"[{re.escape(RUN_ID_ALPHABET)}]{{{RUN_ID_LENGTH}}}")
_UNDER_SUITE = re.compile(f"{re.escape(SUITE_PATH)}({_RUN_ID.pattern})/")


def _base36(number: int, digits: int) -> str:
    out = ""
    for _ in range(digits):
        number, digit = divmod(number, len(RUN_ID_ALPHABET))
        out = RUN_ID_ALPHABET[digit] + out
    return out


def new_run_id(now: float | None = None) -> str:
    """A fresh run id: the start time in seconds (6 base-36 digits), then 2 random ones."""
    seconds = int(time.time() if now is None else now)
    random_part = "".join(secrets.choice(RUN_ID_ALPHABET) for _ in range(_RANDOM_DIGITS))
    return _base36(seconds, _TIME_DIGITS) + random_part


def run_started(run_id: str) -> datetime | None:
    """When the run of ``run_id`` started (None: not a run id of this format)."""
    if not _RUN_ID.fullmatch(run_id):
        return None
    return datetime.fromtimestamp(int(run_id[:_TIME_DIGITS], len(RUN_ID_ALPHABET)), UTC)


def run_id_of_path(path: str) -> str | None:
    """The run id of a path under the suite's folder (``/iam-conformance/<run-id>/...``), else None."""
    found = _UNDER_SUITE.match(path)
    return found.group(1) if found else None


def run_id_of_serial(serial: str) -> str | None:
    """The run id of a virtual device's serial (``arn:...:mfa/iam-conformance/<run-id>/...``), else None."""
    _, separator, tail = serial.partition(":mfa")
    return run_id_of_path(tail) if separator else None


def _valid(operation: str, member: str, value: str) -> bool:
    """Whether ``value`` meets the model's length and pattern (a member without a maximum: no bound)."""
    constraint = string_constraint(operation, member)
    low, high = constraint.min_length or 0, constraint.max_length
    fits = low <= len(value) and (high is None or len(value) <= high)
    return fits and java_fullmatch(constraint.require_pattern(), value)


def _path_verdicts(path: str) -> tuple[bool, bool, bool]:
    """Which of the Path constraints ``path`` meets: (not too short, not too long, pattern)."""
    constraint = string_constraint("CreateVirtualMFADevice", "Path")
    return (
        len(path) >= (constraint.min_length or 0),
        len(path) <= constraint.require_max_length(),
        java_fullmatch(constraint.require_pattern(), path),
    )


@dataclass
class RunOwnership:
    """One run's id, and the rules that put what it creates under its prefix."""

    run_id: str = field(default_factory=new_run_id)
    root_path_allowed: bool = True  # may a path outside the prefix be sent (False on AWS by default)
    outside: list[str] = field(default_factory=list)  # paths sent outside the prefix, as sent

    @property
    def prefix(self) -> str:
        return run_path_prefix(self.run_id)

    @property
    def tag(self) -> str:
        return run_tag(self.run_id)

    def nest(self, path: str) -> str | None:
        """``path`` under the run's prefix, or None when that would change what it tests.

        A valid path is nested whole (``/a/`` -> ``<prefix>a/``; the strategies left room for it). An
        invalid one keeps what makes it so: nested whole if that breaks the same constraints (a bad
        character, a missing last delimiter), else with the prefix written over its own start, which
        keeps its length (a path one past the maximum stays one past it). A path that does not start
        with the delimiter, or is too short to hold the prefix, cannot be nested (None)."""
        wanted = _path_verdicts(path)
        if not path.startswith(self.prefix[0]):
            return None
        for nested in (self.prefix + path[1:], self.prefix + path[len(self.prefix) :]):
            if len(nested) >= len(self.prefix) and _path_verdicts(nested) == wanted:
                return nested
        return None

    def name(self, name: str) -> str:
        """``name`` carrying the run id (unchanged when it does, or is at the model's shortest length)."""
        shortest = string_constraint("CreateVirtualMFADevice", "VirtualMFADeviceName").min_length or 0
        if self.run_id in name or len(name) <= shortest:
            return name
        return name + self.tag

    def device_request(self, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The create as it is sent: a valid path nested, a valid name tagged (an invalid one is its
        request's subject, sent as drawn; through either client, so that an invalid request and the
        valid one sent after it name the same device). None: it may not be sent (a path outside the prefix,
        on a target where that is refused)."""
        placed = dict(params)
        path = params.get("Path")
        nested = self.prefix if path is None else self.nest(path) if isinstance(path, str) else None
        if nested is None:
            if not self.root_path_allowed:
                return None
            self.outside.append(repr(path))
        else:
            placed["Path"] = nested
        name = params.get("VirtualMFADeviceName")
        if isinstance(name, str) and _valid("CreateVirtualMFADevice", "VirtualMFADeviceName", name):
            # Outside the prefix, the name is all that proves the device the run's: tagged whatever it is.
            tagged = name if self.run_id in name else name + self.tag
            placed["VirtualMFADeviceName"] = self.name(name) if nested else tagged
        return placed

    def user_request(self, token: str) -> dict[str, str]:
        """CreateUser's parameters for a user of the run's own."""
        return {"UserName": f"vmfa-conformance-{token}{self.tag}", "Path": self.prefix}

    def owns_serial(self, serial: str) -> bool:
        """Whether a listed device is this run's: under its prefix, or (an invalid path an endpoint
        wrongly stored) named with the run id."""
        return run_id_of_serial(serial) == self.run_id or self.run_id in serial.partition(":mfa")[2]

    def serial_under_prefix(self, partition: str, account: str, token: str) -> str:
        """A serial of a device that does not exist, under the run's prefix (an unknown-entity probe)."""
        return f"arn:{partition}:iam::{account}:mfa{self.prefix}vmfa-conformance-{token}"
