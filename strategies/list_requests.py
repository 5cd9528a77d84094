"""ListVirtualMFADevices requests: page sizes within the model's range, and the requests it must refuse.

Every bound comes from the model: ``MaxItems``'s range, ``AssignmentStatus``'s enum, ``Marker``'s pattern
and lengths. An invalid request breaks one of them and keeps the rest valid; its label says which.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from strategies.alphabets import members, strings
from strategies.model import ModelShapeError, integer_constraint, string_constraint

__all__ = ["INVALID_LIST_LABELS", "invalid_list_requests", "page_sizes", "unissued_markers"]

_LIST = "ListVirtualMFADevices"
# A marker as recorded against AWS (SPEC-NOTES, "Observed on real AWS"): always among the examples.
RECORDED_UNKNOWN_MARKER = "invalid-marker-value"


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


def _unknown_statuses() -> st.SearchStrategy[str]:
    enum = string_constraint(_LIST, "AssignmentStatus").enum
    if not enum:
        raise ModelShapeError("AssignmentStatus no longer has an enum")
    # A known value in another case is the sharpest miss; any other short text as well.
    recased = [value.swapcase() for value in enum]
    return st.one_of(st.sampled_from(recased), st.text(min_size=1, max_size=12)).filter(
        lambda value: value not in enum
    )


INVALID_LIST_LABELS: Mapping[str, str] = {
    "max-items.below-min": "MaxItems below the model's minimum",
    "max-items.above-max": "MaxItems above the model's maximum",
    "assignment-status.enum": "an AssignmentStatus outside the model's enum",
}


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
    raise ValueError(f"unknown label {label!r}; known: {', '.join(INVALID_LIST_LABELS)}")


def unissued_markers() -> st.SearchStrategy[str]:
    """Markers the model allows that no endpoint issued (the recorded one first)."""
    marker = string_constraint(_LIST, "Marker")
    low, high = marker.min_length or 1, min(marker.require_max_length(), 40)
    return st.one_of(st.just(RECORDED_UNKNOWN_MARKER), strings(members(marker.require_pattern()), low, high))
