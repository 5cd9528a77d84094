"""Requests at the edges of each pattern's class, for the explicit examples every profile runs.

The invalid side: one CreateVirtualMFADevice request per character just outside a class
(`strategies.boundaries`), breaking exactly the label a drawn request for that member breaks
(``path.pattern.char``, ...); the rest of the request is small, fixed and valid, so that the character is
the one thing an endpoint can object to. The valid side (the first and last character of every range) is
in `strategies.edge_cases`, packed into a few requests.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from types import MappingProxyType

from strategies.alphabets import CharPool
from strategies.boundaries import char_name, class_boundaries
from strategies.names import name_constraint, name_pool
from strategies.paths import path_shape
from strategies.tags import tag_constraint, tag_pool
from strategies.violations import InvalidRequest, Violation

__all__ = ["invalid_create_boundaries"]

_OPERATION = "CreateVirtualMFADevice"


def _letter(pool: CharPool) -> str:
    """The first ASCII letter ``pool`` holds: the valid rest of a value."""
    return next(char for char in string.ascii_letters if char in pool)


def _change(char: str, where: str) -> str:
    return f"put {char_name(char)}, the nearest character outside an edge of the class, in {where}"


def _path(char: str) -> InvalidRequest:
    delimiter = path_shape().delimiter
    value = f"{delimiter}{char}{delimiter}"
    change = _change(char, f"the {len(value)}-character path {value!r}")
    return InvalidRequest(
        {"Path": value, "VirtualMFADeviceName": _letter(name_pool())},
        Violation(_OPERATION, "Path", "path.pattern.char", change),
    )


def _name(char: str) -> InvalidRequest:
    value = _letter(name_pool()) + char
    change = _change(char, f"a {len(value)}-character name")
    member = "VirtualMFADeviceName"
    return InvalidRequest({member: value}, Violation(_OPERATION, member, "name.pattern.char", change))


def _tag(field: str) -> Callable[[str], InvalidRequest]:
    def build(char: str) -> InvalidRequest:
        tag = {"Key": _letter(tag_pool("Key")), "Value": ""}
        tag[field] = (_letter(tag_pool(field)) if field == "Key" else "") + char
        change = _change(char, f"a {len(tag[field])}-character tag {field}")
        params: dict[str, object] = {"VirtualMFADeviceName": _letter(name_pool()), "Tags": [tag]}
        label = f"tag.{field.lower()}.pattern"
        return InvalidRequest(params, Violation(_OPERATION, f"Tags[0].{field}", label, change))

    return build


@functools.cache
def invalid_create_boundaries() -> Mapping[str, tuple[InvalidRequest, ...]]:
    """Per label, a request for each character just outside the class of the member it breaks."""
    members: dict[str, tuple[str, Callable[[str], InvalidRequest]]] = {
        "path.pattern.char": (path_shape().constraint.require_pattern(), _path),
        "name.pattern.char": (name_constraint().require_pattern(), _name),
        "tag.key.pattern": (tag_constraint("Key").require_pattern(), _tag("Key")),
        "tag.value.pattern": (tag_constraint("Value").require_pattern(), _tag("Value")),
    }
    return MappingProxyType(
        {
            label: tuple(build(char) for char in class_boundaries(pattern).outside)
            for label, (pattern, build) in members.items()
        }
    )
