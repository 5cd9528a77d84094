"""ListVirtualMFADevices requests: page sizes within the model's range, and the requests it must refuse.

Every bound comes from the model: ``MaxItems``'s range, ``AssignmentStatus``'s enum, ``Marker``'s pattern
and lengths. An invalid request breaks one of them and keeps the rest valid; its label says which. The
boundaries every run sends (`list_boundaries`, `invalid_list_boundaries`): ``MaxItems`` at both ends of
its range and one past each, and a ``Marker`` of the characters at the edges of its class, inside and
just outside (`strategies.boundaries`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from strategies.alphabets import exact_strings, members, one_char, outsiders, strings
from strategies.boundaries import class_boundaries
from strategies.model import ModelShapeError, integer_constraint, string_constraint

__all__ = [
    "INVALID_LIST_LABELS",
    "boundary_marker",
    "invalid_list_boundaries",
    "invalid_list_requests",
    "page_size_bounds",
    "page_sizes",
    "unissued_markers",
]

_LIST = "ListVirtualMFADevices"
# A marker as recorded against AWS (SPEC-NOTES, "Observed on real AWS"): always among the examples.
RECORDED_UNKNOWN_MARKER = "invalid-marker-value"


def page_size_bounds() -> tuple[int, int]:
    """The smallest and the largest ``MaxItems`` the model allows."""
    return _max_items_range()


@functools.cache
def _max_items_range() -> tuple[int, int]:
    found = integer_constraint(_LIST, "MaxItems")
    if found.min_value is None or found.max_value is None:
        raise ModelShapeError(f"{found.shape_name} no longer has a range")
    return found.min_value, found.max_value


def page_sizes(at_most: int) -> st.SearchStrategy[int]:
    """``MaxItems`` values the model allows, no larger than ``at_most``."""
    low, high = _max_items_range()
    return st.integers(low, max(low, min(high, at_most)))


@functools.cache
def _unknown_statuses() -> st.SearchStrategy[str]:
    enum = string_constraint(_LIST, "AssignmentStatus").enum
    if not enum:
        raise ModelShapeError("AssignmentStatus no longer has an enum")
    # A known value in another case is the sharpest miss; any other short text as well. The alphabet
    # is st.text()'s own (every code point but the surrogates), said without its ``codec="utf-8"``:
    # Hypothesis works that out by encoding each of the 1.1 million code points (1.3 s, cached only in
    # the working directory's .hypothesis/), and both name the same characters, so the draws are the same.
    recased = [value.swapcase() for value in enum]
    anything = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)
    return st.one_of(st.sampled_from(recased), anything).filter(lambda value: value not in enum)


INVALID_LIST_LABELS: Mapping[str, str] = {
    "max-items.below-min": "MaxItems below the model's minimum",
    "max-items.above-max": "MaxItems above the model's maximum",
    "assignment-status.enum": "an AssignmentStatus outside the model's enum",
    "marker.pattern.char": "a Marker holding one character outside its pattern's class",
}


def _marker_pattern() -> str:
    return string_constraint(_LIST, "Marker").require_pattern()


@st.composite
def _marker_with_outsider(draw: st.DrawFn) -> dict[str, Any]:
    pattern = _marker_pattern()
    text = draw(exact_strings(members(pattern), draw(st.integers(0, 8))))
    at = draw(st.integers(0, len(text)))
    return {"Marker": text[:at] + draw(one_char(outsiders(pattern))) + text[at:]}


@functools.cache  # asked for on every example: a new strategy is validated before its first draw
def invalid_list_requests(label: str) -> st.SearchStrategy[dict[str, Any]]:
    """Requests breaking the constraint ``label`` names (see `INVALID_LIST_LABELS`), nothing else."""
    low, high = _max_items_range()
    # Up to as far past the bound as the range is wide; shrinking leads to the value next to the bound.
    if label == "max-items.below-min":
        return st.integers(low - (high - low + 1), low - 1).map(lambda n: {"MaxItems": n})
    if label == "max-items.above-max":
        return st.integers(high + 1, high + (high - low + 1)).map(lambda n: {"MaxItems": n})
    if label == "assignment-status.enum":
        return _unknown_statuses().map(lambda status: {"AssignmentStatus": status})
    if label == "marker.pattern.char":
        return _marker_with_outsider()
    raise ValueError(f"unknown label {label!r}; known: {', '.join(INVALID_LIST_LABELS)}")


def unissued_markers() -> st.SearchStrategy[str]:
    """Markers the model allows that no endpoint issued (the recorded one first)."""
    marker = string_constraint(_LIST, "Marker")
    low, high = marker.min_length or 1, min(marker.require_max_length(), 40)
    return st.one_of(st.just(RECORDED_UNKNOWN_MARKER), strings(members(marker.require_pattern()), low, high))


@functools.cache
def invalid_list_boundaries() -> Mapping[str, tuple[dict[str, Any], ...]]:
    """Per label, the requests at its boundary: ``MaxItems`` one past each end of the range, a
    ``Marker`` ending in each character just outside an edge of its class."""
    low, high = _max_items_range()
    edges = class_boundaries(_marker_pattern())
    return MappingProxyType(
        {
            "max-items.below-min": ({"MaxItems": low - 1},),
            "max-items.above-max": ({"MaxItems": high + 1},),
            "marker.pattern.char": tuple({"Marker": edges.inside[-1] + char} for char in edges.outside),
        }
    )


def boundary_marker() -> str:
    """A Marker the pattern allows, of the characters at the edges of its class (none issued it)."""
    return "".join(class_boundaries(_marker_pattern()).inside)
