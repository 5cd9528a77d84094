"""Valid CreateVirtualMFADevice requests that every run sends, whatever Hypothesis draws.

Why a table: a quick run draws five requests, and five draws may well miss the one character or the
one length that a broken endpoint rejects. The conformance tests add these as explicit examples
(Hypothesis's ``@example``), so the boundaries below are judged in every profile, even the smallest.
Each entry is built from the model (pools, bounds, the list maximum), never from copied literals, and
carries the reason it is in the table.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass

from strategies.alphabets import CharPool
from strategies.boundaries import class_boundaries
from strategies.names import name_constraint, name_pool
from strategies.ownership import name_overhead, path_overhead
from strategies.paths import path_shape
from strategies.serials import partitions, serial_budget, serial_constraint, serial_number, serial_pool
from strategies.tags import tag_bounds, tag_constraint, tag_list_max, tag_pool

__all__ = ["EdgeCase", "create_request_edge_cases", "serial_contradiction_cases"]


@dataclass(frozen=True)
class EdgeCase:
    reason: str
    params: dict[str, object]


def _ascii(pool: CharPool, kind: str) -> str:
    wanted = {"alnum": string.ascii_letters + string.digits, "punctuation": string.punctuation}[kind]
    return "".join(char for char in wanted if char in pool)


def _fill(pool: str, size: int) -> str:
    """``size`` characters cycling through ``pool`` (every character of it, when there is room)."""
    return (pool * (size // len(pool) + 1))[:size]


def _non_ascii(pool: CharPool) -> str:
    return "".join(char for char in pool.edges if not char.isascii())


# Characters per key of the class-edge tags, with room for the index in front: a character outside the
# BMP is one code point (the model's lengths) but two UTF-16 units (a Java String's length).
_EDGE_KEY_CHARS = 60


def _class_edge_tags() -> list[dict[str, str]]:
    """Tags whose keys and values hold, between them, the first and last character of every range of
    their classes (hundreds: the letters alone have them), keys kept distinct by an index in front."""
    key_chars = "".join(class_boundaries(tag_constraint("Key").require_pattern()).inside)
    value_chars = "".join(class_boundaries(tag_constraint("Value").require_pattern()).inside)
    value_size = tag_bounds("Value")[1] // 2
    keys = [key_chars[at : at + _EDGE_KEY_CHARS] for at in range(0, len(key_chars), _EDGE_KEY_CHARS)]
    values = [value_chars[at : at + value_size] for at in range(0, len(value_chars), value_size)]
    digits = "".join(char for char in string.digits if char in tag_pool("Key"))  # the index
    return [
        {
            "Key": digits[index // len(digits)] + digits[index % len(digits)] + key,
            "Value": values[index % len(values)],
        }
        for index, key in enumerate(keys)
    ]


@functools.cache
def create_request_edge_cases() -> tuple[EdgeCase, ...]:
    """Serial-safe valid requests at the boundaries of Path, VirtualMFADeviceName and Tags."""
    shape, names = path_shape(), name_pool()
    delimiter, letters = shape.delimiter, _ascii(names, "alnum")
    shortest_name = _fill(letters, name_constraint().min_length or 1)
    interior = "".join(char for char in _ascii(shape.interior, "punctuation") if char in serial_pool())
    # The shortest name is what its cases test: it is sent untagged (the run id is in its path), so the
    # path takes the room the tag would have.
    room = serial_budget() + name_overhead()
    longest_body = _fill(letters, room - len(shortest_name) - 2 * len(delimiter))
    longest_path = delimiter + longest_body + delimiter
    key_min, key_max = tag_bounds("Key")
    value_min, value_max = tag_bounds("Value")
    key_letters, value_letters = _ascii(tag_pool("Key"), "alnum"), _ascii(tag_pool("Value"), "alnum")
    full_tags = [  # distinct keys: a three-digit counter in front
        {"Key": f"{index:03d}" + _fill(key_letters, key_max - 3), "Value": _fill(value_letters, value_max)}
        for index in range(tag_list_max())
    ]
    unicode_key = _non_ascii(tag_pool("Key")) + _ascii(tag_pool("Key"), "punctuation")
    return (
        EdgeCase("the shortest name the model allows", {"VirtualMFADeviceName": shortest_name}),
        EdgeCase(
            "a name holding every punctuation character its pattern allows",
            {"VirtualMFADeviceName": letters[:1] + _ascii(names, "punctuation")},
        ),
        EdgeCase(
            "a nested path with every punctuation character a serial can hold",
            {"Path": f"{delimiter}a{interior}{delimiter}b{delimiter}", "VirtualMFADeviceName": "nested"},
        ),
        EdgeCase(
            "a name holding the first and last character of every range of its class",
            {"VirtualMFADeviceName": "".join(class_boundaries(name_constraint().require_pattern()).inside)},
        ),
        EdgeCase(
            "an empty path segment (observed accepted by AWS: /test//double/)",
            {"Path": f"{delimiter}a{delimiter}{delimiter}b{delimiter}", "VirtualMFADeviceName": "doubled"},
        ),
        EdgeCase(
            "a path and name that fill the serial number's length budget",
            {"Path": longest_path, "VirtualMFADeviceName": _fill(letters[::-1], len(shortest_name))},
        ),
        EdgeCase(
            "the most tags, keys and values at their longest",
            {"VirtualMFADeviceName": "tagged", "Tags": full_tags},
        ),
        EdgeCase(
            "tags holding the first and last character of every range of the tag classes",
            {"VirtualMFADeviceName": "class-edges", "Tags": _class_edge_tags()},
        ),
        EdgeCase(
            "tags with non-ASCII letters, digits and spaces, the shortest key and value",
            {
                "VirtualMFADeviceName": "unicode",
                "Tags": [
                    {"Key": unicode_key[:key_max], "Value": unicode_key[:value_max]},
                    {"Key": _fill(key_letters, key_min), "Value": _fill(value_letters, value_min)},
                ],
            },
        ),
    )


@functools.cache
def serial_contradiction_cases() -> tuple[EdgeCase, ...]:
    """Valid requests whose serial the model forbids (SPEC-NOTES, "Known contradictions").

    One breaks the serial's pattern with a character a path may hold, one its length in every
    partition (the shortest partition id makes the shortest ARN prefix), once the path is nested under
    the run's prefix and the name carries the run's tag (`strategies.ownership`).
    """
    shape = path_shape()
    delimiter, name = shape.delimiter, "contradiction"
    # the first and last character of the path's class: neither may stand in a serial
    edges = class_boundaries(shape.constraint.require_pattern()).inside
    foreign = "".join(char for char in edges if char not in serial_pool())
    shortest_prefix = serial_number("0" * 12, "", name, partition=min(partitions(), key=len))
    owned = path_overhead() + name_overhead()
    body = serial_constraint().require_max_length() + 1 - len(shortest_prefix) - 2 * len(delimiter) - owned
    return (
        EdgeCase(
            f"a path holding {foreign!r}, the edges of its class, which a serial may not hold",
            {"Path": f"{delimiter}a{foreign}b{delimiter}", "VirtualMFADeviceName": f"{name}-char"},
        ),
        EdgeCase(
            "a path that makes the serial one character longer than the model allows",
            {
                "Path": delimiter + _fill(_ascii(name_pool(), "alnum"), body) + delimiter,
                "VirtualMFADeviceName": name,
            },
        ),
    )
