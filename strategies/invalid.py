"""Invalid CreateVirtualMFADevice requests, each breaking exactly one labelled constraint.

Why this shape: a negative check must know what it broke, or a rejection proves nothing (the server may
have objected to something else). So every builder starts from a valid request, breaks one member in one
way, favouring the boundary (exactly one past a maximum, the empty string, one bad character), and says
so in a ``Violation``. The self-tests check each example with an independent validator that must find
exactly that label and no other.

An empty value breaks its minimum length and also its pattern (no ``+`` pattern matches the empty
string); it is labelled by the length alone, as the stricter and simpler claim.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Collection
from typing import TypeAlias

from hypothesis import assume
from hypothesis import strategies as st

from strategies.alphabets import CharPool, one_char, outsiders, strings
from strategies.boundaries import char_name
from strategies.names import check_prefix, name_bound, name_constraint, name_pool
from strategies.paths import path_shape, pattern_valid_paths
from strategies.patterns import CharClass
from strategies.tags import (
    Tag,
    built_tag_lists,
    keys_collide,
    swap_ascii_case,
    tag_bounds,
    tag_constraint,
    tag_list_max,
    tag_lists,
    tag_pool,
    tag_values,
)
from strategies.valid import requests_lacking
from strategies.violations import CREATE_LABELS, LABELS, InvalidRequest, Violation

__all__ = ["OVERSHOOT", "invalid_create_virtual_mfa_device_requests"]

_OPERATION = "CreateVirtualMFADevice"
# How far past a maximum an over-long value or list goes; ``sizes`` favours exactly one past it.
OVERSHOOT = 3
# How many valid tags stand beside a broken one: where the bad tag sits in a list is not the point.
_COMPANION_TAGS = 3
_ABSENT = object()

_Builder: TypeAlias = Callable[[str], st.SearchStrategy[InvalidRequest]]
_BUILDERS: dict[str, _Builder] = {}


def _builds(label: str) -> Callable[[_Builder], _Builder]:
    def register(builder: _Builder) -> _Builder:
        if label not in LABELS or label in _BUILDERS:
            raise RuntimeError(f"label {label!r} is unknown or built twice")
        _BUILDERS[label] = builder
        return builder

    return register


def _request(
    draw: st.DrawFn, name_prefix: str, member: str, value: object, violation: Violation
) -> InvalidRequest:
    """A valid request with the top-level ``member`` set to ``value`` (or removed, for ``_ABSENT``)."""
    params = draw(requests_lacking(member, name_prefix))
    if value is not _ABSENT:
        params[member] = value
    return InvalidRequest(params, violation)


def _violation(member: str, label: str, change: str) -> Violation:
    return Violation(_OPERATION, member, label, change)


@st.composite
def _with_one_of(draw: st.DrawFn, pool: CharPool, extra: CharPool, max_size: int) -> tuple[str, str]:
    """A string of ``pool`` up to ``max_size`` long with one ``extra`` character inserted, and that char."""
    text = draw(strings(pool, 0, max_size - 1))
    char, at = draw(one_char(extra)), draw(st.integers(0, len(text)))
    return text[:at] + char + text[at:], char


# --- Path ---------------------------------------------------------------------------------------


@functools.cache
def _path_ends() -> CharPool:
    """What may stand inside a path but not as the delimiter: a path's wrong first or last char."""
    shape = path_shape()
    return shape.interior.without(shape.delimiter)


def _path_limit() -> int:
    return path_shape().constraint.require_max_length()


@_builds("path.pattern.no-leading-slash")
@st.composite
def _path_no_leading(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    shape = path_shape()
    first = draw(one_char(_path_ends()))
    value = (
        first + draw(strings(shape.interior, 0, _path_limit() - 1 - len(shape.delimiter))) + shape.delimiter
    )
    change = f"sent a {len(value)}-character path starting {char_name(first)} instead of {shape.delimiter!r}"
    return _request(
        draw, name_prefix, "Path", value, _violation("Path", "path.pattern.no-leading-slash", change)
    )


@_builds("path.pattern.no-trailing-slash")
@st.composite
def _path_no_trailing(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    shape = path_shape()
    last = draw(one_char(_path_ends()))
    value = (
        shape.delimiter + draw(strings(shape.interior, 0, _path_limit() - 1 - len(shape.delimiter))) + last
    )
    change = f"sent a {len(value)}-character path ending {char_name(last)} instead of {shape.delimiter!r}"
    return _request(
        draw, name_prefix, "Path", value, _violation("Path", "path.pattern.no-trailing-slash", change)
    )


@_builds("path.pattern.char")
@st.composite
def _path_badchar_name(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    shape = path_shape()
    bad = outsiders(shape.constraint.require_pattern())
    body, char = draw(_with_one_of(shape.interior, bad, _path_limit() - 2 * len(shape.delimiter)))
    value = shape.delimiter + body + shape.delimiter
    change = f"put {char_name(char)} inside a {len(value)}-character path"
    return _request(draw, name_prefix, "Path", value, _violation("Path", "path.pattern.char", change))


@_builds("path.length.min")
@st.composite
def _path_empty(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    change = f"sent the empty path (model minimum {path_shape().constraint.min_length})"
    return _request(draw, name_prefix, "Path", "", _violation("Path", "path.length.min", change))


@_builds("path.length.max")
@st.composite
def _path_too_long(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    limit = _path_limit()
    value = draw(pattern_valid_paths(limit + 1, limit + OVERSHOOT))
    change = f"sent a pattern-valid {len(value)}-character path (model maximum {limit})"
    return _request(draw, name_prefix, "Path", value, _violation("Path", "path.length.max", change))


# --- VirtualMFADeviceName -----------------------------------------------------------------------


@_builds("name.pattern.char")
@st.composite
def _name_badchar_name(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    bad = outsiders(name_constraint().require_pattern())
    rest, char = draw(_with_one_of(name_pool(), bad, name_bound() - len(name_prefix)))
    change = f"put {char_name(char)} in a {len(name_prefix + rest)}-character name"
    member = "VirtualMFADeviceName"
    return _request(
        draw, name_prefix, member, name_prefix + rest, _violation(member, "name.pattern.char", change)
    )


@_builds("name.length.min")
@st.composite
def _name_empty(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    member = "VirtualMFADeviceName"
    change = f"sent the empty name (model minimum {name_constraint().min_length})"
    return _request(draw, name_prefix, member, "", _violation(member, "name.length.min", change))


@_builds("name.required")
@st.composite
def _name_absent(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    member = "VirtualMFADeviceName"
    change = "left out the required name"
    return _request(draw, name_prefix, member, _ABSENT, _violation(member, "name.required", change))


# --- Tags ---------------------------------------------------------------------------------------


def _tag_request(
    draw: st.DrawFn, name_prefix: str, label: str, field: str, value: object, change: str
) -> InvalidRequest:
    """A valid request whose Tags hold one tag with ``field`` set to ``value`` (or removed)."""
    tag_list = draw(tag_lists(1, _COMPANION_TAGS))  # the broken tag's companions: a few valid tags
    at = draw(st.integers(0, len(tag_list) - 1))
    broken: Tag = dict(tag_list[at])
    if value is _ABSENT:
        del broken[field]
    else:
        assert isinstance(value, str)
        broken[field] = value
        # A new key can, rarely, fold onto another (U+0345 folds to a Greek iota); keep it unique.
        assume(
            field != "Key"
            or not any(keys_collide(value, t["Key"]) for i, t in enumerate(tag_list) if i != at)
        )
    tag_list[at] = broken
    member = f"Tags[{at}].{field}"
    return _request(draw, name_prefix, "Tags", tag_list, _violation(member, label, change))


def _tag_value(draw: st.DrawFn, field: str, kind: str) -> tuple[object, str]:
    """A ``field`` value breaking the ``kind`` of constraint, and the sentence saying how."""
    low, high = tag_bounds(field)
    if kind == "length.min":
        return "", f"sent an empty tag {field} (model minimum {low})"
    if kind == "length.max":
        value = draw(strings(tag_pool(field), high + 1, high + OVERSHOOT))
        return value, f"sent a {len(value)}-character tag {field} (model maximum {high})"
    if kind == "pattern":
        bad = outsiders(tag_constraint(field).require_pattern())
        value, char = draw(_with_one_of(tag_pool(field), bad, high))
        return value, f"put {char_name(char)} in a {len(value)}-character tag {field}"
    return _ABSENT, f"left out the required tag {field}"


def _tag_builder(field: str, kind: str) -> None:
    label = f"tag.{field.lower()}.{kind}"

    @_builds(label)
    @st.composite
    def build(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
        value, change = _tag_value(draw, field, kind)
        return _tag_request(draw, name_prefix, label, field, value, change)


# No tag.value.length.min: the model gives values no minimum to break (the coverage self-test fails
# if that changes).
for _field, _kind in (
    ("Key", "length.min"),
    ("Key", "length.max"),
    ("Key", "pattern"),
    ("Key", "required"),
    ("Value", "length.max"),
    ("Value", "pattern"),
    ("Value", "required"),
):
    _tag_builder(_field, _kind)


@_builds("tags.count.max")
@st.composite
def _too_many_tags(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    # The count is the point: the tags themselves are built, not drawn tag by tag.
    limit = tag_list_max()
    tag_list = draw(built_tag_lists(limit + 1, limit + OVERSHOOT))
    change = f"sent {len(tag_list)} valid tags with distinct keys (model maximum {limit})"
    return _request(draw, name_prefix, "Tags", tag_list, _violation("Tags", "tags.count.max", change))


@functools.cache
def _key_letters() -> CharPool:
    return tag_pool("Key") & CharPool("ASCII letters", CharClass.from_chars(string.ascii_letters))


@_builds("tags.keys.duplicate-case-insensitive")
@st.composite
def _case_twin_keys(draw: st.DrawFn, name_prefix: str) -> InvalidRequest:
    tag_list = draw(tag_lists(1, min(_COMPANION_TAGS, tag_list_max() - 1)))
    at = draw(st.integers(0, len(tag_list) - 1))
    # The key gets an ASCII letter, so swapping ASCII case changes it under every notion of case.
    text, _ = draw(_with_one_of(tag_pool("Key"), _key_letters(), tag_bounds("Key")[1]))
    assume(not any(keys_collide(text, t["Key"]) for i, t in enumerate(tag_list) if i != at))
    tag_list[at] = {"Key": text, "Value": tag_list[at]["Value"]}
    twin_at = draw(st.integers(0, len(tag_list)))
    tag_list.insert(twin_at, {"Key": swap_ascii_case(text), "Value": draw(tag_values())})
    original_at = at + (twin_at <= at)
    change = (
        f"added a tag whose key differs from Tags[{original_at}].Key only in the case of ASCII letters "
        "(documented semantics, not a model constraint)"
    )
    violation = _violation(f"Tags[{twin_at}].Key", "tags.keys.duplicate-case-insensitive", change)
    return _request(draw, name_prefix, "Tags", tag_list, violation)


def invalid_create_virtual_mfa_device_requests(
    labels: Collection[str] | None = None, *, name_prefix: str = ""
) -> st.SearchStrategy[InvalidRequest]:
    """Requests breaking one constraint each, drawn from ``labels`` (default: every label).

    ``name_prefix`` starts every name that has characters at all, as in the valid strategy.
    """
    if isinstance(labels, str):
        raise TypeError("labels is a collection of labels, not one label string")
    chosen = sorted({spec.label for spec in CREATE_LABELS} if labels is None else set(labels))
    unknown = [label for label in chosen if label not in _BUILDERS]
    if unknown or not chosen:
        raise ValueError(f"unknown or no labels: {unknown!r}; known: {sorted(_BUILDERS)}")
    check_prefix(name_prefix, name_bound())  # now, not at draw time
    return _one_of_builders(tuple(chosen), name_prefix)


@functools.cache
def _one_of_builders(labels: tuple[str, ...], name_prefix: str) -> st.SearchStrategy[InvalidRequest]:
    # Cached: the conformance tests ask for their label's strategy on every example, and Hypothesis
    # validates a new strategy (all its parts) before its first draw.
    return st.one_of([_BUILDERS[label](name_prefix) for label in labels])
