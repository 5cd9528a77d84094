"""Tag strategies: keys, values and tag lists for CreateVirtualMFADevice (the same shapes as TagMFADevice).

Why three foldings for uniqueness: IAM tag keys are case-insensitive ("you cannot have separate
Department and department tag keys", IAM User Guide, "Tagging IAM resources",
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html), and which case mapping AWS's Java code
applies is not documented: ``String.equalsIgnoreCase`` compares upper and lower case per character,
while ``toLowerCase`` and case folding disagree on characters such as dotless i, sharp s and the Kelvin
sign. A tag list counts as valid only if its keys differ under each of ``KEY_FOLDS``.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable

from hypothesis import strategies as st

from strategies.alphabets import CharPool, members, sizes, strings
from strategies.model import ModelShapeError, StringConstraint, list_constraint, string_constraint

__all__ = [
    "KEY_FOLDS",
    "Tag",
    "built_tag_lists",
    "keys_collide",
    "swap_ascii_case",
    "tag_bounds",
    "tag_constraint",
    "tag_keys",
    "tag_list_max",
    "tag_lists",
    "tag_pool",
    "tag_values",
    "tags",
]

_OPERATION = "CreateVirtualMFADevice"

Tag = dict[str, str]

KEY_FOLDS: tuple[Callable[[str], str], ...] = (str.lower, str.upper, str.casefold)


def keys_collide(first: str, second: str) -> bool:
    """Whether two tag keys count as the same key under any of ``KEY_FOLDS``."""
    return any(fold(first) == fold(second) for fold in KEY_FOLDS)


def tag_list_max() -> int:
    maximum = list_constraint(_OPERATION, "Tags").max_items
    if maximum is None:
        raise ModelShapeError("the model no longer bounds the number of tags")
    return maximum


@functools.cache
def tag_pool(field: str) -> CharPool:
    """The characters of a tag ``"Key"`` or ``"Value"``."""
    return members(tag_constraint(field).require_pattern())


def tag_constraint(field: str) -> StringConstraint:
    """The model's constraint on a tag's ``"Key"`` or ``"Value"``."""
    return string_constraint(_OPERATION, f"Tags[].{field}")


def tag_bounds(field: str) -> tuple[int, int]:
    """The (minimum, maximum) length of a tag's ``"Key"`` or ``"Value"``."""
    constraint = tag_constraint(field)
    return constraint.min_length or 0, constraint.require_max_length()


def tag_keys() -> st.SearchStrategy[str]:
    return strings(tag_pool("Key"), *tag_bounds("Key"))


def tag_values() -> st.SearchStrategy[str]:
    return strings(tag_pool("Value"), *tag_bounds("Value"))


def _folded_key(fold: Callable[[str], str]) -> Callable[[Tag], str]:
    return lambda tag: fold(tag["Key"])


_UNIQUE_KEYS = tuple(_folded_key(fold) for fold in KEY_FOLDS)


@functools.cache
def _tag_lists_of(size: int) -> st.SearchStrategy[list[Tag]]:
    tag = st.fixed_dictionaries({"Key": tag_keys(), "Value": tag_values()})
    return st.lists(tag, min_size=size, max_size=size, unique_by=_UNIQUE_KEYS)


@functools.cache
def tag_lists(min_size: int, max_size: int) -> st.SearchStrategy[list[Tag]]:
    """Lists of valid tags with keys distinct under ``KEY_FOLDS``, of any size: past the model's too."""
    return sizes(min_size, max_size).flatmap(_tag_lists_of)


def tags() -> st.SearchStrategy[list[Tag]]:
    """Valid ``Tags`` lists: empty up to the model's maximum, boundary sizes favoured."""
    return tag_lists(0, tag_list_max())


def swap_ascii_case(text: str) -> str:
    """``text`` with the case of its ASCII letters swapped: a key that differs under every case fold."""
    return "".join(char.swapcase() if char in string.ascii_letters else char for char in text)


# The longest key stem and value of a built tag list.
_BUILT_STEM = 8


@st.composite
def built_tag_lists(draw: st.DrawFn, min_size: int, max_size: int) -> list[Tag]:
    """Long tag lists built, not drawn tag by tag: one key stem with distinct decimal suffixes (so keys
    differ under every case fold) and one value. For lists where the count is the point: fifty-odd
    drawn keys and values make each failing example hundreds of shrink steps, each an API call."""
    count = draw(st.integers(min_size, max_size))
    stem = draw(strings(tag_pool("Key"), 1, _BUILT_STEM))
    value = draw(strings(tag_pool("Value"), 0, _BUILT_STEM))
    return [{"Key": f"{stem}{index}", "Value": value} for index in range(count)]
