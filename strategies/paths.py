"""The path strategy: values of CreateVirtualMFADevice's ``Path``, built by construction.

Why by construction: the model's path pattern is a delimiter alone, or a delimiter, one or more
characters of a class, and the delimiter again. Drawn from the regex, paths would almost never reach the
lengths that matter (the model's maximum, one below it), so a length is drawn first, boundaries favoured,
and a path is built to fit it. The delimiter and the class are read from the pattern; ``path_shape``
checks that the pattern still has this form and fails loudly if a model update changes it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import strategies as st

from strategies.alphabets import CharPool, members, strings
from strategies.model import ModelShapeError, StringConstraint, string_constraint
from strategies.ownership import path_overhead
from strategies.patterns import java_pattern
from strategies.serials import serial_budget, serial_pool

__all__ = ["PathShape", "path_shape", "paths", "pattern_valid_paths"]

_OPERATION = "CreateVirtualMFADevice"


@dataclass(frozen=True)
class PathShape:
    constraint: StringConstraint
    delimiter: str  # the pattern's one literal: a path alone, and the first and last character of others
    interior: CharPool  # what may stand between the delimiters

    @property
    def shortest_compound(self) -> int:
        """The length of the shortest path other than the bare delimiter."""
        return 2 * len(self.delimiter) + 1


@functools.cache
def path_shape() -> PathShape:
    constraint = string_constraint(_OPERATION, "Path")
    constraint.require_max_length()
    pattern = java_pattern(constraint.require_pattern())
    if len(pattern.literals) != 1:
        raise ModelShapeError(f"expected one delimiter in the Path pattern {pattern.source!r}")
    (delimiter,) = pattern.literals
    interior = members(pattern.source)
    body = "".join(interior.edges) or next(iter(interior))
    # The form this module builds: "d" and "d<interior>+d", and nothing shorter than "d?d".
    if not (
        pattern.fullmatch(delimiter)
        and pattern.fullmatch(delimiter + body + delimiter)
        and not pattern.fullmatch(delimiter * 2)
    ):
        raise ModelShapeError(f"the Path pattern {pattern.source!r} changed form")
    return PathShape(constraint, delimiter, interior)


@functools.cache
def pattern_valid_paths(
    min_length: int, max_length: int, *, pool: CharPool | None = None
) -> st.SearchStrategy[str]:
    """Paths the pattern accepts, ``min_length..max_length`` long: beyond the model's bounds too.

    ``pool`` narrows the characters between the delimiters (it must lie within the pattern's class).
    """
    shape = path_shape()
    delimiter, interior = shape.delimiter, shape.interior if pool is None else pool
    options = []
    if min_length <= len(delimiter) <= max_length:
        options.append(st.just(delimiter))
    if max(min_length, shape.shortest_compound) <= max_length:
        frame = 2 * len(delimiter)
        body = strings(interior, max(min_length, shape.shortest_compound) - frame, max_length - frame)
        options.append(body.map(lambda text: delimiter + text + delimiter))
    if not options:
        raise ValueError(f"no path is {min_length}..{max_length} characters long")
    return st.one_of(options)


@functools.cache
def _serial_safe_interior() -> CharPool:
    return path_shape().interior & serial_pool()


@functools.cache
def paths(*, serial_safe: bool = False, max_length: int | None = None) -> st.SearchStrategy[str]:
    """Valid ``Path`` values, boundary lengths favoured, relative to the run's prefix: the session sends
    them nested under it (`strategies.ownership`), so the model's maximum is lowered by what it adds.

    ``serial_safe=True`` keeps to characters a SerialNumber may hold and to lengths that leave room for
    the shortest name within the serial budget (see ``strategies.serials``); ``max_length`` lowers the
    bound further.
    """
    shape = path_shape()
    limit, pool = shape.constraint.require_max_length() - path_overhead(), shape.interior
    if serial_safe:
        name_min = string_constraint(_OPERATION, "VirtualMFADeviceName").min_length or 0
        limit, pool = min(limit, serial_budget() - name_min), _serial_safe_interior()
    if max_length is not None:
        limit = min(limit, max_length)
    return pattern_valid_paths(shape.constraint.min_length or 0, limit, pool=pool)
