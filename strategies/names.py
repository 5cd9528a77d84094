"""The name strategy: values of CreateVirtualMFADevice's ``VirtualMFADeviceName``.

Why a bound of our own: the model gives the name a minimum length and a pattern but no maximum. The
name is embedded in the device's SerialNumber, so the model's SerialNumber maximum is the natural
ceiling: a longer name can never make a valid serial, so generating further probes nothing new, while
names up to it still cross the serial limit once the ARN prefix and the path are added (SPEC-NOTES,
"Known contradictions"), which the general strategy is meant to reach. ``serial_safe=True`` keeps
inside the limit.

A ``prefix`` lets runs against real AWS keep their devices apart: every name starts with it.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from strategies.alphabets import CharPool, members, strings
from strategies.model import ModelShapeError, StringConstraint, string_constraint
from strategies.paths import path_shape
from strategies.serials import serial_budget, serial_constraint

__all__ = ["check_prefix", "name_bound", "name_constraint", "name_pool", "virtual_mfa_device_names"]


def name_constraint() -> StringConstraint:
    return string_constraint("CreateVirtualMFADevice", "VirtualMFADeviceName")


@functools.cache
def name_pool() -> CharPool:
    return members(name_constraint().require_pattern())


def name_bound(*, serial_safe: bool = False) -> int:
    """The longest name generated: the model's maximum if it ever gets one, else the serial's.

    Serial-safe names must fit the serial budget next to the default path, the bare delimiter ("If
    it is not included, it defaults to a slash (/)", CreateVirtualMFADevice API reference).
    """
    if serial_safe:
        return serial_budget() - len(path_shape().delimiter)
    bound = name_constraint().max_length or serial_constraint().max_length
    if bound is None:
        raise ModelShapeError("neither VirtualMFADeviceName nor SerialNumber has a maximum length")
    return bound


def check_prefix(prefix: str, max_length: int) -> None:
    """Raise ``ValueError`` unless every name could start with ``prefix`` and stay within the bound."""
    stray = sorted({char for char in prefix if char not in name_pool()})
    if stray:
        raise ValueError(f"name prefix {prefix!r} has characters outside the name pattern: {stray!r}")
    if len(prefix) > max_length:
        raise ValueError(f"name prefix {prefix!r} is longer than the {max_length}-character bound")


@functools.cache
def virtual_mfa_device_names(
    prefix: str = "", *, serial_safe: bool = False, max_length: int | None = None
) -> st.SearchStrategy[str]:
    """Valid names starting with ``prefix``, boundary lengths favoured.

    ``serial_safe=True`` bounds names so that the default path and the name fit the serial budget;
    ``max_length`` lowers the bound further (``create_virtual_mfa_device_requests`` passes what the
    drawn path left over).
    """
    bound = name_bound(serial_safe=serial_safe)
    if max_length is not None:
        bound = min(bound, max_length)
    check_prefix(prefix, bound)
    shortest = max((name_constraint().min_length or 0) - len(prefix), 0)
    return strings(name_pool(), shortest, bound - len(prefix)).map(lambda rest: prefix + rest)
