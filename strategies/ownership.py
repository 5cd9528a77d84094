"""Where a run's devices and users live, as far as their lengths go: the run prefix and the run tag.

Why here: every device and user a run makes lives under one path prefix, ``/iam-conformance/<run-id>/``,
and every name it makes carries the run id (`conformance.session.ownership` puts them there, at the one
place a create is sent). The strategies draw paths *relative* to that prefix (``/a/`` is sent as
``/iam-conformance/<run-id>/a/``) and names that leave room for the run tag, so the limits they draw to
are the model's, read at run time, less what the prefix and the tag take. The run id has a fixed length
and alphabet, so those amounts are known before the run id is: the strategies need no run.

The alphabet is checked against the model's patterns (path, name, serial, user name) whenever the
amounts are computed: a model update that forbade one of its characters fails loudly, never silently.
"""

from __future__ import annotations

import functools
import string

from strategies.model import Direction, ModelShapeError, string_constraint
from strategies.patterns import java_fullmatch

__all__ = [
    "RUN_ID_ALPHABET",
    "RUN_ID_LENGTH",
    "SUITE_FOLDER",
    "name_overhead",
    "path_overhead",
    "run_path_prefix",
    "run_tag",
]

SUITE_FOLDER = "iam-conformance"  # the suite's own folder at the top of the path namespace
RUN_ID_LENGTH = 8  # 6 base-36 digits of the start time in seconds (until 2059), 2 random ones
RUN_ID_ALPHABET = string.digits + string.ascii_lowercase
_TAG_SEPARATOR = "-"


def run_path_prefix(run_id: str, delimiter: str = "/") -> str:
    """``/iam-conformance/<run-id>/``: the path every device and user of the run lives under."""
    return f"{delimiter}{SUITE_FOLDER}{delimiter}{run_id}{delimiter}"


def run_tag(run_id: str) -> str:
    """What a name gets appended to carry the run id (``-<run-id>``)."""
    return f"{_TAG_SEPARATOR}{run_id}"


@functools.cache
def _checked_sample() -> str:
    """A run id of the format, checked to be valid in a path, a name, a serial and a user name."""
    sample = RUN_ID_ALPHABET[-RUN_ID_LENGTH:]
    checks: dict[tuple[str, str, Direction], str] = {
        ("CreateVirtualMFADevice", "Path", "input"): run_path_prefix(RUN_ID_ALPHABET),
        ("CreateVirtualMFADevice", "VirtualMFADeviceName", "input"): "a" + run_tag(RUN_ID_ALPHABET),
        ("CreateVirtualMFADevice", "VirtualMFADevice.SerialNumber", "output"): run_tag(RUN_ID_ALPHABET),
        ("CreateUser", "UserName", "input"): "a" + run_tag(RUN_ID_ALPHABET),
        ("CreateUser", "Path", "input"): run_path_prefix(RUN_ID_ALPHABET),
    }
    for (operation, member, direction), value in checks.items():
        pattern = string_constraint(operation, member, direction=direction).require_pattern()
        if not java_fullmatch(pattern, value):
            raise ModelShapeError(f"the run prefix {value!r} no longer fits {operation}.{member} {pattern!r}")
    return sample


@functools.cache
def path_overhead() -> int:
    """Characters the run prefix adds to a relative path (it replaces the path's first delimiter)."""
    sample = _checked_sample()
    return len(run_path_prefix(sample)) - len("/")


@functools.cache
def name_overhead() -> int:
    """Characters the run tag adds to a name."""
    return len(run_tag(_checked_sample()))
