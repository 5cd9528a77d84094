r"""Which characters to generate for a model pattern, and strings built from them by construction.

Why two Unicode tables: a character class like ``\p{L}`` decides membership under some Unicode version,
and the one AWS's JVM uses is unknown (Java 17 ships Unicode 13, Java 21 Unicode 15; this Python's
``unicodedata`` is 14.0). So generation keeps to characters the versions agree on: a *member* is in
the class under both the current table and Unicode 3.2 (the oldest table ``unicodedata`` ships), an
*outsider* is in it under neither and is assigned today, and characters known to have moved in between
(``_MOVED``) are neither. A valid example then stays valid, and an invalid one invalid, whichever JVM
judges it. Matching itself (``strategies.patterns``) uses the current table alone.

Why the edge table: uniform draws from 90,000 letters almost never hit the characters that expose a
wrong implementation (Python's Unicode ``\w``, a missing ``\p{Z}``, DEL just past a range), so those are
sprinkled into generated strings on purpose, as Hypothesis's ``ipaddress.py`` puts special ranges first.

Why motifs: Hypothesis caps the choices behind one example at 8 KiB and discards examples past it. Fifty
tags of 128- and 256-character strings in 3- and 4-byte characters are far past it, so a long string is
a short drawn motif repeated to length, with edge characters sprinkled over it: lengths still reach their
boundaries by construction, and the choice data stays small.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from strategies.characters import pool_characters
from strategies.model import ModelShapeError
from strategies.patterns import (
    LEGACY_UNICODE_VERSION,
    UNICODE_VERSION,
    CharClass,
    general_category,
    java_pattern,
)

__all__ = [
    "EDGE_CHARACTERS",
    "CharPool",
    "exact_strings",
    "members",
    "one_char",
    "outsiders",
    "sizes",
    "strings",
]

# Characters that tell Java semantics from near misses; each is used wherever its pool holds it.
# Categories per the Unicode Character Database (https://www.unicode.org/reports/tr44/#GC_Values_Table).
EDGE_CHARACTERS: tuple[tuple[str, str], ...] = (
    ("\u00e9", "e-acute (Ll): Python's Unicode \\w accepts it, Java's ASCII \\w does not"),
    ("\u00c4", "A-diaeresis (Lu), Latin-1"),
    ("\u00df", "sharp s (Ll): upper-cases to two letters, SS"),
    ("\u0131", "dotless i (Ll): upper-cases to ASCII I"),
    ("\u212a", "KELVIN SIGN (Lu): lower-cases to ASCII k"),
    ("\u01c5", "DZ with caron, titlecase (Lt)"),
    ("\u02b0", "modifier letter small h (Lm)"),
    ("\u4e2d", "CJK ideograph (Lo)"),
    ("\U0001d400", "MATHEMATICAL BOLD CAPITAL A (Lu): outside the BMP, a surrogate pair in Java"),
    ("\u0663", "ARABIC-INDIC DIGIT THREE (Nd): Python's \\d and \\w accept it, Java's do not"),
    ("\u0969", "DEVANAGARI DIGIT THREE (Nd)"),
    ("\uff11", "FULLWIDTH DIGIT ONE (Nd)"),
    ("\u00b2", "SUPERSCRIPT TWO (No): str.isalnum() is true, so Python's \\w accepts it"),
    ("\u00bd", "VULGAR FRACTION ONE HALF (No)"),
    ("\u216b", "ROMAN NUMERAL TWELVE (Nl)"),
    (" ", "SPACE (Zs)"),
    ("\u00a0", "NO-BREAK SPACE (Zs): not in Java's \\s"),
    ("\u2003", "EM SPACE (Zs)"),
    ("\u3000", "IDEOGRAPHIC SPACE (Zs)"),
    ("\u2028", "LINE SEPARATOR (Zl)"),
    ("\u2029", "PARAGRAPH SEPARATOR (Zp)"),
    ("\t", "TAB (Cc): white space, but not \\p{Z}"),
    ("\x7f", "DEL (Cc): just past the printable ASCII range"),
    ("\x85", "NEXT LINE (Cc): a Java line terminator"),
    ("\u00ad", "SOFT HYPHEN (Cf)"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE (Cf), the byte order mark"),
    ("\u2010", "HYPHEN (Pd): looks like '-'"),
    ("\uff0f", "FULLWIDTH SOLIDUS (Po): looks like '/'"),
    ("\u20ac", "EURO SIGN (Sc)"),
    ("\u00a9", "COPYRIGHT SIGN (So)"),
    ("\U0001f600", "GRINNING FACE (So): outside the BMP"),
    *((char, "ASCII punctuation") for char in string.punctuation),
)

# The most edge characters sprinkled into one generated string, and the longest motif drawn for it.
_MAX_EDGES_PER_STRING = 3
_MAX_MOTIF = 8

# Characters that entered and left \p{L}, \p{Z} or \p{N} between Unicode 3.2 and today, so both tables
# agree on them while JVMs in between do not: U+180E MONGOLIAN VOWEL SEPARATOR was Cf in 3.2, Zs from
# 4.0 and Cf again from 6.3 (Unicode 6.3.0, "General Category changes").
_MOVED = CharClass.from_chars("\u180e")

# XML 1.0 section 2.2 "Char": no C0 control but TAB, LF and CR. Servers echo a rejected value in their
# XML error message, so an outsider outside this set could not be answered by a correct server.
_UNECHOABLE = CharClass.of([(0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F)])


@dataclass(frozen=True, repr=False, eq=False)
class CharPool(Collection[str]):
    """Characters to draw from. The repr is short on purpose: Hypothesis prints strategy arguments.

    Pools compare by identity, so strategies built from one can be cached cheaply; the constructors
    below are cached, and callers cache the pools they derive.
    """

    name: str
    members: CharClass

    def __contains__(self, item: object) -> bool:
        return item in self.members

    def __iter__(self) -> Iterator[str]:
        return self.members.chars()

    def __len__(self) -> int:
        return len(self.members)

    def __repr__(self) -> str:
        return f"CharPool({self.name!r}, {len(self)} chars)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis's printer (strategies, their arguments) shows a dataclass field by field, which
        for a pool of 145,000 characters is some 700 ranges, rendered whenever a strategy is shown: the
        short repr instead (IPython's protocol, which that printer follows)."""
        printer.text(repr(self))

    def __and__(self, other: CharPool) -> CharPool:
        return CharPool(f"{self.name} & {other.name}", self.members & other.members)

    def without(self, chars: str) -> CharPool:
        return CharPool(f"{self.name} without {chars!r}", self.members - CharClass.from_chars(chars))

    @functools.cached_property
    def edges(self) -> tuple[str, ...]:
        return tuple(char for char, _ in EDGE_CHARACTERS if char in self)

    @functools.cached_property
    def characters(self) -> st.SearchStrategy[str]:
        if not self.members:
            raise ModelShapeError(f"{self.name} holds no character to generate")
        return pool_characters(self, self.members.ranges)


def _only_class(pattern: str, unicode_version: str) -> CharClass:
    classes = java_pattern(pattern, unicode_version).classes
    if len(classes) != 1:
        raise ModelShapeError(f"expected exactly one character class in {pattern!r}")
    return classes[0]


@functools.cache
def members(pattern: str) -> CharPool:
    """What the pattern's one character class accepts under every Unicode version."""
    found = _only_class(pattern, UNICODE_VERSION) & _only_class(pattern, LEGACY_UNICODE_VERSION)
    return CharPool(f"in {pattern}", found - _MOVED)


@functools.cache
def outsiders(pattern: str) -> CharPool:
    """Assigned characters the pattern's one class rejects under every Unicode version."""
    accepted = _only_class(pattern, UNICODE_VERSION) | _only_class(pattern, LEGACY_UNICODE_VERSION)
    unusable = general_category("Cn") | general_category("Cs") | general_category("Co") | _UNECHOABLE | _MOVED
    return CharPool(f"not in {pattern}", ~(accepted | unusable))


# Strategies below are cached by argument: building fresh ones on every draw costs more than drawing.


@functools.cache
def sizes(min_size: int, max_size: int) -> st.SearchStrategy[int]:
    """Lengths in ``min_size..max_size``; the boundaries (min, min+1, max-1, max) come half the time."""
    boundaries = sorted(
        {n for n in (min_size, min_size + 1, max_size - 1, max_size) if min_size <= n <= max_size}
    )
    return st.one_of(st.sampled_from(boundaries), st.integers(min_size, max_size))


@functools.cache
def one_char(pool: CharPool) -> st.SearchStrategy[str]:
    """One character of ``pool``, an edge character half the time."""
    if not pool.edges:
        return pool.characters
    return st.one_of(st.sampled_from(pool.edges), pool.characters)


def _tile(size: int, parts: tuple[str, str, int]) -> str:
    """``motif`` repeated to ``size``, with ``edges`` spread evenly over it from ``offset`` on."""
    motif, edges, offset = parts
    chars = list((motif * -(-size // len(motif)))[:size])
    for index, char in enumerate(edges):
        chars[(offset + index * (size // len(edges))) % size] = char
    return "".join(chars)


@functools.cache
def exact_strings(pool: CharPool, size: int) -> st.SearchStrategy[str]:
    """Strings of exactly ``size`` characters of ``pool``: a motif repeated, edge characters put on it.

    Three draws per string whatever its length (motif, edges, offset): tag lists stay cheap to build.
    """
    if size == 0:
        return st.just("")
    motifs = st.text(pool.characters, min_size=1, max_size=min(size, _MAX_MOTIF))
    edges = (
        st.text(st.sampled_from(pool.edges), max_size=min(size, _MAX_EDGES_PER_STRING))
        if pool.edges
        else st.just("")
    )
    return st.tuples(motifs, edges, st.integers(0, size - 1)).map(functools.partial(_tile, size))


@functools.cache
def strings(pool: CharPool, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Strings of ``pool`` characters, of lengths drawn by ``sizes``."""
    return sizes(min_size, max_size).flatmap(functools.partial(exact_strings, pool))
