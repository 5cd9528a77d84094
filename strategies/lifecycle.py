"""Small values for the lifecycle state machine: create requests and tags of a few characters.

Why small: the state machine is about what calls do to devices, users and tags, not about the values
(the create and tag strategies cover those, boundaries included). Every character Hypothesis shrinks
in a failing sequence is the sequence replayed against the endpoint, dozens of requests each; short
values leave it little to shrink but the steps themselves.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from strategies.alphabets import strings
from strategies.names import virtual_mfa_device_names
from strategies.paths import paths
from strategies.tags import KEY_FOLDS, Tag, tag_bounds, tag_pool

__all__ = ["SMALL", "small_create_requests", "small_tag_lists", "small_tag_values"]

SMALL = 2  # tags in a small tag list, at most
_LENGTH = 5  # characters of a name, tag key or tag value, at most; of a path, twice that


def small_tag_values() -> st.SearchStrategy[str]:
    return strings(tag_pool("Value"), tag_bounds("Value")[0], _LENGTH)


def small_tag_lists() -> st.SearchStrategy[list[Tag]]:
    """One or two valid tags, their keys distinct in every letter case (strategies.tags.KEY_FOLDS)."""
    key = strings(tag_pool("Key"), tag_bounds("Key")[0], _LENGTH)
    unique = tuple((lambda tag, fold=fold: fold(tag["Key"])) for fold in KEY_FOLDS)
    tag = st.fixed_dictionaries({"Key": key, "Value": small_tag_values()})
    return st.lists(tag, min_size=1, max_size=SMALL, unique_by=unique)


def small_create_requests() -> st.SearchStrategy[dict[str, Any]]:
    """Valid CreateVirtualMFADevice requests whose serial the model allows: a name, maybe a path,
    maybe tags (append a unique suffix to the name before sending: it stays a valid name)."""
    return st.fixed_dictionaries(
        {"VirtualMFADeviceName": virtual_mfa_device_names(serial_safe=True, max_length=_LENGTH)},
        optional={"Path": paths(serial_safe=True, max_length=2 * _LENGTH), "Tags": small_tag_lists()},
    )
