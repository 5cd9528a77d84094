r"""The characters at the edges of a model pattern's character class, inside and outside, for every run.

Why: a class is a set of ranges, and an implementation that gets one range wrong by one code point (a
space let into the Path's printable-ASCII range, DEL into a printable range, Python's Unicode ``\w``)
is found only by the characters next to its edges. Drawn uniformly they almost never come up, so the
explicit examples of every profile send them, as the length boundaries are (``alphabets.sizes``): the
first and last character of each range on the valid side, the nearest character beyond each end on the
invalid side, and the class's other edges wherever they fall: SPACE, DEL, the first C1 control
(U+0080), a letter and a symbol outside the Basic Multilingual Plane (a surrogate pair in Java).

Both sides keep to characters every Unicode version agrees on (``strategies.alphabets``: ``members`` and
``outsiders``); where the code point just beyond an edge is unusable (unassigned, a C0 control no XML
answer can echo), the nearest usable one in the gap before the next range stands for it.

The valid side holds the ends of every range, however many (``\p{L}`` alone has hundreds): they are
packed into a few values, so they cost a request or two. The invalid side costs a request per character,
so it holds the edges up to U+0100: every range the model's patterns write out (the Path's, from "!" to
"~"; the Marker's, from space to "ÿ"), every range of Java's ASCII ``\w`` and ``\d``, and a Unicode
category's edges in ASCII and Latin-1, where the usual imitations of a category (``[A-Za-z0-9 ]``,
Python's ``\w``) part from it. Beyond, a category's edges are the Unicode table's: left to the drawn
examples and their edge characters (``strategies.alphabets.EDGE_CHARACTERS``).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from strategies.alphabets import members, outsiders

__all__ = ["CLASS_EDGES", "ClassBoundaries", "char_name", "class_boundaries"]

# The class's other edges (besides its ranges'), each on whichever side of the class it falls.
CLASS_EDGES: tuple[tuple[str, str], ...] = (
    (" ", "SPACE: just below the printable ASCII range"),
    ("\x7f", "DEL: just above it"),
    ("\x80", "the first C1 control: just past ASCII"),
    ("\U0001d400", "MATHEMATICAL BOLD CAPITAL A (Lu): a letter outside the BMP"),
    ("\U0001f600", "GRINNING FACE (So): a symbol outside the BMP"),
)
# The invalid side's range edges stop here (ASCII and Latin-1; see the module's docstring).
_OUTSIDE_UP_TO = ord(unicodedata.lookup("LATIN CAPITAL LETTER A WITH MACRON"))  # U+0100, past Latin-1


def char_name(char: str) -> str:
    """``U+00E9 LATIN SMALL LETTER E WITH ACUTE ('é')``; controls, which have no name, by category."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '') or unicodedata.category(char)} ({char!r})"


@dataclass(frozen=True)
class ClassBoundaries:
    """The edge characters of one pattern's class: ``inside`` it (valid) and ``outside`` it (invalid)."""

    pattern: str
    inside: tuple[str, ...]
    outside: tuple[str, ...]


@functools.cache
def class_boundaries(pattern: str) -> ClassBoundaries:
    """The boundary characters of ``pattern``'s one character class, sorted by code point."""
    inside_pool, outside_pool = members(pattern), outsiders(pattern)
    ranges = inside_pool.members.ranges
    inside = {code_point for low, high in ranges for code_point in (low, high)}
    outside: set[int] = set()
    for index, (low, high) in enumerate(ranges):
        below_start = ranges[index - 1][1] + 1 if index else 0
        above_end = ranges[index + 1][0] - 1 if index + 1 < len(ranges) else 0x10FFFF
        for edge, gap in ((low, range(low - 1, below_start - 1, -1)), (high, range(high + 1, above_end + 1))):
            if edge >= _OUTSIDE_UP_TO:  # not looked for (a scan up to U+10FFFF cost seconds a pattern)
                continue
            found = next((point for point in gap if chr(point) in outside_pool), None)
            if found is not None:
                outside.add(found)
    for char, _ in CLASS_EDGES:
        if char in inside_pool:
            inside.add(ord(char))
        elif char in outside_pool:
            outside.add(ord(char))
    return ClassBoundaries(pattern, tuple(map(chr, sorted(inside))), tuple(map(chr, sorted(outside))))
