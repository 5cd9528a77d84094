"""Authentication codes that break the model, one constraint each: EnableMFADevice's and
ResyncMFADevice's ``AuthenticationCode1``/``2`` (a length range and a pattern, read from the model).

Java's ``\\d`` is ASCII only: a code of the right length holding another script's digit (which Python's
``\\d`` would accept) is among the pattern breakers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from hypothesis import strategies as st

from strategies.alphabets import exact_strings, members, one_char, outsiders
from strategies.boundaries import class_boundaries
from strategies.model import ModelShapeError, StringConstraint, string_constraint

__all__ = ["MALFORMED_CODE_LABELS", "malformed_code_boundaries", "malformed_codes", "well_formed_code"]

MALFORMED_CODE_LABELS: Mapping[str, str] = {
    "code.length.min": "an authentication code shorter than the model's minimum",
    "code.length.max": "an authentication code longer than the model's maximum",
    "code.pattern.char": "an authentication code holding one character outside its pattern",
}


def _code(operation: str) -> StringConstraint:
    found = string_constraint(operation, "AuthenticationCode1")
    if found.min_length is None or found.max_length is None:
        raise ModelShapeError(f"{found.shape_name} no longer has a length range")
    return found


@st.composite
def _with_outsider(draw: st.DrawFn, operation: str) -> str:
    code = _code(operation)
    pattern = code.require_pattern()
    valid = draw(exact_strings(members(pattern), code.require_max_length()))
    position = draw(st.integers(0, len(valid) - 1))
    return valid[:position] + draw(one_char(outsiders(pattern))) + valid[position + 1 :]


@functools.cache  # asked for on every example: a new strategy is validated before its first draw
def malformed_codes(label: str, operation: str = "EnableMFADevice") -> st.SearchStrategy[str]:
    """Codes breaking the constraint ``label`` names (see `MALFORMED_CODE_LABELS`), nothing else."""
    code = _code(operation)
    digits = members(code.require_pattern())
    if label == "code.length.min":
        assert code.min_length is not None
        return st.integers(0, code.min_length - 1).flatmap(lambda size: exact_strings(digits, size))
    if label == "code.length.max":
        top = code.require_max_length()
        return st.integers(top + 1, top + 4).flatmap(lambda size: exact_strings(digits, size))
    if label == "code.pattern.char":
        return _with_outsider(operation)
    raise ValueError(f"unknown label {label!r}; known: {', '.join(MALFORMED_CODE_LABELS)}")


@functools.cache
def malformed_code_boundaries(operation: str = "EnableMFADevice") -> Mapping[str, tuple[str, ...]]:
    """Per label, the codes at its boundary: one character too short and one too long, and a code of
    the right length ending in each character just outside an edge of the pattern's class."""
    code = _code(operation)
    pattern, top = code.require_pattern(), code.require_max_length()
    assert code.min_length is not None
    filler = class_boundaries(pattern).inside[0]
    return MappingProxyType(
        {
            "code.length.min": (filler * (code.min_length - 1),),
            "code.length.max": (filler * (top + 1),),
            "code.pattern.char": tuple(
                filler * (top - 1) + char for char in class_boundaries(pattern).outside
            ),
        }
    )


def well_formed_code(operation: str = "EnableMFADevice") -> str:
    """A code the model allows (its longest, of the class's first character): well-formed, surely wrong."""
    code = _code(operation)
    return class_boundaries(code.require_pattern()).inside[0] * code.require_max_length()
