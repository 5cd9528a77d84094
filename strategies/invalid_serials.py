"""Serial numbers that break the model, one labelled constraint each, for every operation that takes one.

Why: ``SerialNumber`` is an input of eight operations (EnableMFADevice, ResyncMFADevice, ...), with the
model's length range and pattern, and an endpoint that looks a broken serial up as if it were a valid
one answers ``NoSuchEntity`` where the model wants the request refused. As with Path and name
(`strategies.invalid`), each value breaks exactly one constraint (``serial.length.min``,
``serial.length.max``, ``serial.pattern.char``, in `strategies.violations`) and is otherwise shaped like
the serials AWS issues (``arn:<partition>:iam::<account>:mfa/<name>``), so that the broken constraint is
all that tells it from a real one. `invalid_serial_boundaries` holds the values at each boundary, for
the explicit examples every run sends.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from types import MappingProxyType

from hypothesis import strategies as st

from strategies.alphabets import exact_strings, one_char, outsiders, strings
from strategies.boundaries import char_name, class_boundaries
from strategies.model import IN_SCOPE_OPERATIONS, StringConstraint, operation_shape, string_constraint
from strategies.names import name_pool
from strategies.serials import ACCOUNT_ID_DIGITS, serial_number, serial_pool
from strategies.violations import SERIAL_LABELS, InvalidRequest, Violation

__all__ = ["SERIAL_OPERATIONS", "invalid_serial_boundaries", "invalid_serial_numbers"]

SERIAL_OPERATIONS: tuple[str, ...] = tuple(
    operation for operation in IN_SCOPE_OPERATIONS if "SerialNumber" in operation_shape(operation).members
)
_MEMBER = "SerialNumber"
_OVERSHOOT = 3  # how far past the maximum an over-long serial goes; one past it is favoured


def _constraint(operation: str) -> StringConstraint:
    return string_constraint(operation, _MEMBER)


def _prefix() -> str:
    """A device serial without its name: ``arn:aws:iam::<account>:mfa/``."""
    return serial_number("0" * ACCOUNT_ID_DIGITS, "/", "")


def _request(operation: str, label: str, value: str, change: str) -> InvalidRequest:
    return InvalidRequest({_MEMBER: value}, Violation(operation, _MEMBER, label, change))


def _too_short(operation: str, value: str) -> InvalidRequest:
    minimum = _constraint(operation).min_length
    change = f"sent the {len(value)}-character serial {value!r} (model minimum {minimum})"
    return _request(operation, "serial.length.min", value, change)


def _too_long(operation: str, value: str) -> InvalidRequest:
    maximum = _constraint(operation).require_max_length()
    change = f"sent a pattern-valid {len(value)}-character device serial (model maximum {maximum})"
    return _request(operation, "serial.length.max", value, change)


def _with_char(operation: str, value: str, char: str) -> InvalidRequest:
    change = f"put {char_name(char)} in the {len(value)}-character device serial {value!r}"
    return _request(operation, "serial.pattern.char", value, change)


@functools.cache
def invalid_serial_numbers(label: str, operation: str) -> st.SearchStrategy[InvalidRequest]:
    """``{"SerialNumber": ...}`` breaking the constraint ``label`` names, for ``operation``. Cached: the
    tests build it for every example, and a composite strategy reads its function's source when built."""
    constraint = _constraint(operation)
    low, high = constraint.min_length or 0, constraint.require_max_length()
    prefix = _prefix()
    if label == "serial.length.min":
        return strings(serial_pool(), 0, low - 1).map(lambda value: _too_short(operation, value))
    if label == "serial.length.max":
        names = strings(name_pool(), high + 1 - len(prefix), high + _OVERSHOOT - len(prefix))
        return names.map(lambda name: _too_long(operation, prefix + name))
    if label == "serial.pattern.char":

        @st.composite
        def broken(draw: st.DrawFn) -> InvalidRequest:
            name = draw(exact_strings(name_pool(), draw(st.integers(0, high - len(prefix) - 1))))
            char, at = (
                draw(one_char(outsiders(constraint.require_pattern()))),
                draw(st.integers(0, len(name))),
            )
            return _with_char(operation, prefix + name[:at] + char + name[at:], char)

        return broken()
    raise ValueError(f"unknown label {label!r}; known: {', '.join(spec.label for spec in SERIAL_LABELS)}")


@functools.cache
def invalid_serial_boundaries(operation: str) -> Mapping[str, tuple[InvalidRequest, ...]]:
    """Per label, the serials at its boundary: one character short of the minimum (an ARN's start), one
    past the maximum, and a device serial holding each character just outside an edge of the class."""
    constraint = _constraint(operation)
    prefix, filler = _prefix(), next(char for char in string.ascii_letters if char in name_pool())
    high = constraint.require_max_length()
    short = prefix[: (constraint.min_length or 1) - 1]
    edges = class_boundaries(constraint.require_pattern()).outside
    return MappingProxyType(
        {
            "serial.length.min": (_too_short(operation, short),),
            "serial.length.max": (_too_long(operation, prefix + filler * (high + 1 - len(prefix))),),
            "serial.pattern.char": tuple(
                _with_char(operation, f"{prefix}{filler}{char}", char) for char in edges
            ),
        }
    )
