"""Serial numbers: where a device's Path and VirtualMFADeviceName meet the SerialNumber constraint.

Why: CreateVirtualMFADevice returns ``SerialNumber`` = ``arn:<partition>:iam::<account>:mfa`` + Path +
name (SPEC-NOTES, observed on real AWS), and the model bounds SerialNumber far tighter than the path and
name it is made of. The spec contradicts itself there (SPEC-NOTES, "Known contradictions"): the general
strategies cross that line on purpose, and ``serial_safe=True`` keeps inside it with the budget and the
character pool computed here.
"""

from __future__ import annotations

import functools

import botocore.loaders

from strategies.alphabets import CharPool, members
from strategies.model import StringConstraint, string_constraint
from strategies.ownership import name_overhead, path_overhead
from strategies.patterns import java_fullmatch

__all__ = [
    "ACCOUNT_ID_DIGITS",
    "partitions",
    "serial_budget",
    "serial_constraint",
    "serial_is_valid",
    "serial_number",
    "serial_pool",
    "serial_room",
]

# "An AWS account ID is a 12-digit number" (AWS Account Management Reference Guide, "Viewing AWS
# account identifiers"); not in the IAM model.
ACCOUNT_ID_DIGITS = 12


def serial_constraint() -> StringConstraint:
    """The model's constraint on the serial number CreateVirtualMFADevice returns."""
    return string_constraint("CreateVirtualMFADevice", "VirtualMFADevice.SerialNumber", direction="output")


def serial_number(account_id: str, path: str, name: str, *, partition: str = "aws") -> str:
    """The serial AWS gives a virtual device: its ARN, ``arn:<partition>:iam::<account>:mfa<path><name>``."""
    return f"arn:{partition}:iam::{account_id}:mfa{path}{name}"


@functools.cache
def partitions() -> tuple[str, ...]:
    """The AWS partition ids botocore knows (``aws``, ``aws-cn``, ``aws-us-gov``, ...)."""
    data = botocore.loaders.create_loader().load_data("partitions")
    return tuple(str(partition["id"]) for partition in data["partitions"])


@functools.cache
def serial_room() -> int:
    """Characters left for path + name in a serial of the model's maximum length, in any partition.

    The longest partition id botocore knows sets the ARN prefix, so a path and name within the room
    make a valid-length serial wherever the suite runs.
    """
    maximum = serial_constraint().require_max_length()
    prefix = serial_number("0" * ACCOUNT_ID_DIGITS, "", "", partition=max(partitions(), key=len))
    return maximum - len(prefix)


@functools.cache
def serial_budget() -> int:
    """The room left for a *relative* path and an *untagged* name: what the strategies draw.

    Every path is sent nested under the run's prefix and every name with the run's tag
    (`strategies.ownership`): a drawn path and name within this budget still make a valid-length serial
    once they are.
    """
    return serial_room() - path_overhead() - name_overhead()


def serial_pool() -> CharPool:
    """Characters a serial number may hold (its pattern's one class, every Unicode version agreeing)."""
    return members(serial_constraint().require_pattern())


def serial_is_valid(serial: str) -> bool:
    """Whether ``serial`` meets the model's SerialNumber constraints (length and pattern)."""
    constraint = serial_constraint()
    fits = (constraint.min_length or 0) <= len(serial) <= constraint.require_max_length()
    return fits and java_fullmatch(constraint.require_pattern(), serial)
