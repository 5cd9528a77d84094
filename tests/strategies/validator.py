r"""An independent judge of CreateVirtualMFADevice requests, for the strategies' self-tests.

Independent of ``strategies/`` on purpose (as hypothesis-jsonschema checks its output with
``jsonschema``): it reads the model as raw JSON through botocore's loader rather than ``ServiceModel``,
and matches with the third-party ``regex`` module, which knows ``\p{L}`` natively, rewriting only Java's
ASCII ``\w`` and ``\d`` into ``regex`` V1 set intersections. ``strategies.patterns`` instead expands
every class into ranges from ``unicodedata``. Where both agree, two readings of one Java pattern agree.

``violations`` names what a request breaks with the labels of ``strategies.violations``; a value below
its minimum length is reported by that alone (its pattern, which needs a character, is then moot).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import botocore.loaders
import regex

__all__ = [
    "java_regex",
    "raw_input_members",
    "raw_members",
    "raw_model",
    "raw_shape",
    "serial_violations",
    "violations",
]

_OPERATION = "CreateVirtualMFADevice"
# Java's \w and \d without UNICODE_CHARACTER_CLASS: ASCII only.
_JAVA_ASCII = {"w": r"[\w&&\p{ASCII}]", "d": r"[\d&&\p{ASCII}]"}
# The label prefix each string member's constraints are reported under.
_PREFIXES = {"Path": "path", "VirtualMFADeviceName": "name", "Key": "tag.key", "Value": "tag.value"}


@functools.cache
def raw_model() -> dict[str, Any]:
    model: dict[str, Any] = botocore.loaders.create_loader().load_service_model("iam", "service-2")
    return model


def raw_shape(name: str) -> dict[str, Any]:
    shape: dict[str, Any] = raw_model()["shapes"][name]
    return shape


@functools.cache
def java_regex(pattern: str) -> regex.Pattern[str]:
    assert not regex.search(r"\\[WDsS]", pattern), "only \\w and \\d are rewritten"
    translated = regex.sub(r"\\(.)", lambda m: _JAVA_ASCII.get(m[1], m[0]), pattern)
    return regex.compile(translated, flags=regex.V1)


def raw_members(shape_name: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(member path, raw shape) for every member below a structure; ``[]`` steps into a list."""
    found = []
    for name, ref in raw_shape(shape_name).get("members", {}).items():
        path, inner = f"{prefix}{name}", ref["shape"]
        found.append((path, raw_shape(inner)))
        while raw_shape(inner)["type"] == "list":
            path, inner = path + "[]", raw_shape(inner)["member"]["shape"]
            found.append((path, raw_shape(inner)))
        if raw_shape(inner)["type"] == "structure":
            found += raw_members(inner, path + ".")
    return found


def raw_input_members(operations: Iterable[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(operation, member path, raw shape) for every input member of ``operations``."""
    ops = raw_model()["operations"]
    return [(op, path, shape) for op in operations for path, shape in raw_members(ops[op]["input"]["shape"])]


def _member_shape(structure: str, member: str) -> dict[str, Any]:
    return raw_shape(raw_shape(structure)["members"][member]["shape"])


def _path_pattern_labels(value: str, pattern: regex.Pattern[str]) -> set[str]:
    found = set()
    if not value.startswith("/"):
        found.add("path.pattern.no-leading-slash")
    if not value.endswith("/"):
        found.add("path.pattern.no-trailing-slash")
    if any(not pattern.fullmatch(f"/{char}/") for char in value):
        found.add("path.pattern.char")
    return found or {"path.pattern.other"}


def _string_labels(prefix: str, value: object, shape: dict[str, Any]) -> set[str]:
    if not isinstance(value, str):
        return {f"{prefix}.type"}
    if len(value) < shape.get("min", 0):
        return {f"{prefix}.length.min"}
    found = set()
    if "max" in shape and len(value) > shape["max"]:
        found.add(f"{prefix}.length.max")
    pattern = java_regex(shape["pattern"]) if "pattern" in shape else None
    if pattern is not None and not pattern.fullmatch(value):
        if prefix == "path":
            found |= _path_pattern_labels(value, pattern)
        else:
            found.add(f"{prefix}.pattern.char" if prefix == "name" else f"{prefix}.pattern")
    return found


def _has_case_twins(keys: list[str]) -> bool:
    """Whether two keys are equal ignoring case: after full case folding, upper- or lower-casing."""
    return any(len({fold(key) for key in keys}) < len(keys) for fold in (str.casefold, str.upper, str.lower))


def _tag_labels(tags: object, list_shape: dict[str, Any]) -> set[str]:
    if not isinstance(tags, list):
        return {"tags.type"}
    found = {"tags.count.max"} if len(tags) > list_shape.get("max", len(tags)) else set()
    tag_shape_name = list_shape["member"]["shape"]
    keys = []
    for tag in tags:
        if not isinstance(tag, dict) or set(tag) - {"Key", "Value"}:
            found.add("tag.type")
            continue
        for member in raw_shape(tag_shape_name)["members"]:
            if member not in tag:
                found.add(f"{_PREFIXES[member]}.required")
            else:
                found |= _string_labels(_PREFIXES[member], tag[member], _member_shape(tag_shape_name, member))
        if isinstance(tag.get("Key"), str):
            keys.append(tag["Key"])
    if _has_case_twins(keys):
        found.add("tags.keys.duplicate-case-insensitive")  # documented (IAM User Guide), not the model
    return found


def violations(params: Mapping[str, object]) -> frozenset[str]:
    """The labels of every constraint the CreateVirtualMFADevice ``params`` break."""
    request = raw_model()["operations"][_OPERATION]["input"]["shape"]
    structure = raw_shape(request)
    found = {f"{_PREFIXES[m]}.required" for m in structure.get("required", []) if m not in params}
    found |= {"request.unknown-member" for name in params if name not in structure["members"]}
    for name, value in params.items():
        if name == "Tags":
            found |= _tag_labels(value, _member_shape(request, name))
        elif name in _PREFIXES:
            found |= _string_labels(_PREFIXES[name], value, _member_shape(request, name))
    return frozenset(found)


def serial_violations(operation: str, value: object) -> frozenset[str]:
    """The labels of the SerialNumber constraints ``value`` breaks in ``operation``'s request."""
    shape = _member_shape(raw_model()["operations"][operation]["input"]["shape"], "SerialNumber")
    found = _string_labels("serial", value, shape)
    return frozenset("serial.pattern.char" if label == "serial.pattern" else label for label in found)
