r"""Java regular expressions from the IAM model, decided as Java decides them, in Python's ``re``.

Why: the model's ``pattern`` traits are ``java.util.regex`` patterns applied to the whole value
(``Matcher.matches``). Python's ``re`` differs exactly where these patterns live: ``\w`` and ``\d`` are
Unicode-aware in ``re`` but ASCII in Java (unless ``UNICODE_CHARACTER_CLASS`` is set, and AWS gives no
sign that it is), and ``re`` has no ``\p{L}``-style general categories. So each pattern is translated
once: every character class, whether predefined (``\w``), a property (``\p{N}``) or bracketed, becomes
explicit code-point ranges computed from ``unicodedata``. The result is a plain ``re`` pattern that
``re.fullmatch`` and ``hypothesis.strategies.from_regex`` both accept, and the builders read the same
classes back as alphabets (``JavaPattern.classes``, ``single_class``).

Only the Java syntax the model uses, and its near neighbours, is supported; anything else raises
``UnsupportedJavaPattern`` instead of being guessed at.

Reference: ``java.util.regex.Pattern``, sections "Predefined character classes", "Classes for Unicode
scripts, blocks, categories and binary properties" and "Backslashes, escapes, and quoting"
(https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/regex/Pattern.html).
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
import string
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from hypothesis.internal.charmap import charmap

__all__ = [
    "LEGACY_UNICODE_VERSION",
    "UNICODE_VERSION",
    "CharClass",
    "JavaPattern",
    "Literal",
    "Syntax",
    "UnsupportedJavaPattern",
    "compile_java",
    "general_category",
    "java_fullmatch",
    "java_pattern",
    "single_class",
]

UNICODE_VERSION: str = unicodedata.unidata_version
# The oldest table unicodedata ships; strategies.alphabets uses it to keep to characters whose
# category no JVM disagrees about.
LEGACY_UNICODE_VERSION: str = unicodedata.ucd_3_2_0.unidata_version
_LAST_CODE_POINT = sys.maxunicode

Range: TypeAlias = tuple[int, int]


class UnsupportedJavaPattern(ValueError):
    """The pattern uses Java syntax this translator does not handle."""


class _UnicodeDatabase(Protocol):
    def category(self, chr: str, /) -> str: ...


_DATABASES: dict[str, _UnicodeDatabase] = {
    UNICODE_VERSION: unicodedata,
    LEGACY_UNICODE_VERSION: unicodedata.ucd_3_2_0,
}


def _escape(code_point: int) -> str:
    char = chr(code_point)
    if char.isascii() and char.isalnum():
        return char
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else f"\\U{code_point:08x}"


@dataclass(frozen=True)
class CharClass:
    """A set of code points, as sorted, disjoint, non-adjacent inclusive ranges."""

    ranges: tuple[Range, ...]

    @classmethod
    def of(cls, ranges: Iterable[Range]) -> CharClass:
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        return cls(tuple((low, high) for low, high in merged))

    @classmethod
    def from_chars(cls, chars: Iterable[str]) -> CharClass:
        return cls.of((ord(char), ord(char)) for char in chars)

    @functools.cached_property
    def _starts(self) -> tuple[int, ...]:
        return tuple(low for low, _ in self.ranges)

    def __contains__(self, char: object) -> bool:
        if not isinstance(char, str) or len(char) != 1:
            return False
        index = bisect.bisect_right(self._starts, ord(char)) - 1
        return index >= 0 and ord(char) <= self.ranges[index][1]

    def __len__(self) -> int:
        return sum(high - low + 1 for low, high in self.ranges)

    def chars(self) -> Iterator[str]:
        for low, high in self.ranges:
            yield from map(chr, range(low, high + 1))

    def __or__(self, other: CharClass) -> CharClass:
        return CharClass.of(self.ranges + other.ranges)

    def __invert__(self) -> CharClass:
        gaps, start = [], 0
        for low, high in self.ranges:
            if low > start:
                gaps.append((start, low - 1))
            start = high + 1
        if start <= _LAST_CODE_POINT:
            gaps.append((start, _LAST_CODE_POINT))
        return CharClass(tuple(gaps))

    def __and__(self, other: CharClass) -> CharClass:
        return ~(~self | ~other)

    def __sub__(self, other: CharClass) -> CharClass:
        return self & ~other

    def to_regex(self) -> str:
        if not self.ranges:
            return "(?!)"  # re has no empty class
        parts = (_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in self.ranges)
        return "[" + "".join(parts) + "]"


@dataclass(frozen=True)
class Literal:
    char: str

    def to_regex(self) -> str:
        return _escape(ord(self.char))


@dataclass(frozen=True)
class Syntax:
    """Grouping, alternation, a quantifier or an anchor: the same in Java and in ``re``."""

    text: str

    def to_regex(self) -> str:
        return self.text


Token: TypeAlias = Literal | CharClass | Syntax


# Categories a code point keeps in every older Unicode version: one unassigned now was unassigned then
# (Unicode never removes a character), and the private-use and surrogate ranges are fixed since 2.0.
_UNCHANGING = ("Cn", "Co", "Cs")


@functools.cache
def _category_table(unicode_version: str) -> dict[str, CharClass]:
    """Every two-letter general category as ranges.

    A pass over the whole code space costs about 0.1 s per table, in every process that parses a
    pattern (a run, each of its workers). So the running Python's own table is Hypothesis's
    ``charmap`` where it may be read (`_charmap_readable`): the same ranges, read from ``unicodedata``
    the same way, which Hypothesis keeps on disk between runs and loads anyway when a run draws
    characters. An older table is read from its own database, but only for the code points assigned
    today (`_UNCHANGING`), an eighth of the code space."""
    if unicode_version == UNICODE_VERSION and _charmap_readable():
        return {name: CharClass.of(found) for name, found in charmap().items()}
    database = _DATABASES[unicode_version]
    if unicode_version == UNICODE_VERSION:
        return _scanned(database, ((0, _LAST_CODE_POINT),))
    current = _category_table(UNICODE_VERSION)
    assigned = [span for name, found in current.items() if name not in _UNCHANGING for span in found.ranges]
    table = _scanned(database, assigned)
    for name in _UNCHANGING:
        table[name] = table[name] | current[name] if name in table else current[name]
    return table


def _scanned(database: _UnicodeDatabase, spans: Iterable[Range]) -> dict[str, CharClass]:
    """The categories of the code points in ``spans``, each category's as ranges."""
    runs: dict[str, list[Range]] = {}
    for low, high in spans:
        start, category = low, database.category(chr(low))
        for code_point in range(low + 1, high + 1):
            found = database.category(chr(code_point))
            if found != category:
                runs.setdefault(category, []).append((start, code_point - 1))
                start, category = code_point, found
        runs.setdefault(category, []).append((start, high))
    return {name: CharClass.of(found) for name, found in runs.items()}


def _charmap_readable() -> bool:
    """Whether Hypothesis lets its storage (where ``charmap`` keeps its table) be read now without
    warning of a slow side effect: once its pytest plugin is loaded and its initialization over, as
    when a run collects its tests. A pattern parsed earlier (the CLI checking an expectations file,
    the plugin reading one while pytest configures) is read from ``unicodedata`` instead."""
    flags = sys.modules.get("_hypothesis_globals")  # Hypothesis's own record of its initialization
    return "_hypothesis_pytestplugin" in sys.modules and getattr(flags, "in_initialization", 1) <= 0


@functools.cache
def general_category(name: str, unicode_version: str = UNICODE_VERSION) -> CharClass:
    """Java's ``\\p{name}``: a major class (``L``: Lu|Ll|Lt|Lm|Lo) or one category (``Lu``)."""
    table = _category_table(unicode_version)
    found = [cls for category, cls in table.items() if name in (category, category[0])]
    if len(name) not in (1, 2) or not found:
        raise UnsupportedJavaPattern(f"\\p{{{name}}} is not a Unicode general category")
    return functools.reduce(operator.or_, found)


# Java's predefined classes without UNICODE_CHARACTER_CLASS: ASCII only (Pattern, "Predefined
# character classes"). Python's re would make \w and \d Unicode: the reason this module exists.
_PREDEFINED: dict[str, CharClass] = {
    "d": CharClass.from_chars(string.digits),
    "w": CharClass.from_chars(string.ascii_letters + string.digits + "_"),
    "s": CharClass.from_chars(" \t\n\x0b\f\r"),
}
# What Java's "." excludes without DOTALL or UNIX_LINES (Pattern, "Line terminators").
_LINE_TERMINATORS = CharClass.from_chars("\n\r\u0085\u2028\u2029")
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\a", "e": "\x1b"}
_BOUNDS = re.compile(r"\{\d+(?:,\d*)?\}")
_PROPERTY_PREFIXES = ("general_category=", "gc=", "Is")


class _Parser:
    """Reads a Java pattern into tokens; one method per construct."""

    def __init__(self, source: str, unicode_version: str) -> None:
        self.source, self.version, self.pos = source, unicode_version, 0

    def parse(self) -> tuple[Token, ...]:
        tokens: list[Token] = []
        while self.pos < len(self.source):
            tokens.append(self._atom())
        return tuple(tokens)

    def _peek(self, ahead: int = 0) -> str:
        return self.source[self.pos + ahead : self.pos + ahead + 1]

    def _next(self) -> str:
        if self.pos >= len(self.source):
            raise UnsupportedJavaPattern(f"{self.source!r} ends inside a construct")
        self.pos += 1
        return self.source[self.pos - 1]

    def _atom(self) -> Token:
        char = self._next()
        if char == "\\":
            return self._escape()
        if char == "[":
            return self._bracket()
        if char == ".":
            return ~_LINE_TERMINATORS
        if char == "(" and self._peek() == "?":
            if not self.source.startswith("?:", self.pos):
                raise UnsupportedJavaPattern(f"group syntax at {self.pos} of {self.source!r}")
            self.pos += 2
            return Syntax("(?:")
        if char in "*+?" or (char == "{" and _BOUNDS.match(self.source, self.pos - 1)):
            return self._quantifier(char)
        if char in "()|^$":
            return Syntax(char)
        return Literal(char)

    def _quantifier(self, char: str) -> Syntax:
        text = char
        if char == "{":
            bounds = _BOUNDS.match(self.source, self.pos - 1)
            assert bounds is not None
            text, self.pos = bounds[0], bounds.end()
        if self._peek() in ("?", "+"):  # lazy or possessive: re has both since Python 3.11
            text += self._next()
        return Syntax(text)

    def _escape(self) -> Literal | CharClass:
        char = self._next()
        if char in "pP":
            found = general_category(self._property_name(), self.version)
            return ~found if char == "P" else found
        if char.lower() in _PREDEFINED:
            found = _PREDEFINED[char.lower()]
            return ~found if char.isupper() else found
        return Literal(self._escaped_char(char))

    def _property_name(self) -> str:
        if self._peek() != "{":
            return self._next()  # the one-letter form, \pL
        end = self.source.find("}", self.pos)
        if end < 0:
            raise UnsupportedJavaPattern(f"unterminated \\p{{ in {self.source!r}")
        name, self.pos = self.source[self.pos + 1 : end], end + 1
        for prefix in _PROPERTY_PREFIXES:
            if name.startswith(prefix):
                return name[len(prefix) :]
        return name

    def _hex(self, digits: int) -> int:
        text = self.source[self.pos : self.pos + digits]
        if digits < 1 or len(text) != digits or not all(c in string.hexdigits for c in text):
            raise UnsupportedJavaPattern(f"bad hex escape at {self.pos} of {self.source!r}")
        self.pos += digits
        return int(text, 16)

    def _escaped_char(self, char: str) -> str:
        if char == "u":
            code_point = self._hex(4)
            if 0xD800 <= code_point <= 0xDFFF:  # Java would pair \uD83D\uDE00; not needed here
                raise UnsupportedJavaPattern("surrogate \\u escapes are not supported")
            return chr(code_point)
        if char == "x" and self._peek() == "{":  # \x{h...h}, any code point
            end = self.source.find("}", self.pos)
            self.pos += 1
            code_point = self._hex(end - self.pos)
            self.pos += 1
            if code_point > _LAST_CODE_POINT:
                raise UnsupportedJavaPattern(f"\\x{{{code_point:x}}} is past the last code point")
            return chr(code_point)
        if char == "x":
            return chr(self._hex(2))
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char]
        if not char.isalnum():  # Java: a backslash before a non-alphabetic character quotes it
            return char
        raise UnsupportedJavaPattern(f"\\{char} in {self.source!r}")

    def _bracket(self) -> CharClass:
        negated = self._peek() == "^"
        self.pos += negated
        parts: list[CharClass] = []
        while not (parts and self._peek() == "]"):
            char = self._next()
            if char in "[]" or (char == "&" and self._peek() == "&"):
                raise UnsupportedJavaPattern(f"nested, empty or intersected class in {self.source!r}")
            item = self._escape() if char == "\\" else Literal(char)
            if isinstance(item, Literal) and self._peek() == "-" and self._peek(1) not in ("]", ""):
                self.pos += 1
                parts.append(self._range(item.char))
            else:
                parts.append(item if isinstance(item, CharClass) else CharClass.from_chars(item.char))
        self.pos += 1
        found = functools.reduce(operator.or_, parts)
        return ~found if negated else found

    def _range(self, low: str) -> CharClass:
        char = self._next()
        high = self._escape() if char == "\\" else Literal(char)
        if not isinstance(high, Literal) or char in "[]" or ord(high.char) < ord(low):
            raise UnsupportedJavaPattern(f"bad range starting {low!r} in {self.source!r}")
        return CharClass.of([(ord(low), ord(high.char))])


@dataclass(frozen=True)
class JavaPattern:
    """A Java pattern, parsed, with its ``re`` translation and the classes builders read."""

    source: str
    unicode_version: str
    tokens: tuple[Token, ...]

    @property
    def python_source(self) -> str:
        return "".join(token.to_regex() for token in self.tokens)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.python_source)

    def fullmatch(self, value: str) -> bool:
        """Java's ``Matcher.matches()``: the whole value, never a prefix or a substring."""
        return self.regex.fullmatch(value) is not None

    @property
    def classes(self) -> tuple[CharClass, ...]:
        return tuple(token for token in self.tokens if isinstance(token, CharClass))

    @property
    def literals(self) -> frozenset[str]:
        return frozenset(token.char for token in self.tokens if isinstance(token, Literal))

    def single_class(self) -> CharClass:
        """The alphabet of a pattern that is one class repeated: ``[...]+`` or ``[...]*``."""
        match self.tokens:
            case (CharClass() as alphabet, Syntax(text="+" | "*")):
                return alphabet
        raise UnsupportedJavaPattern(f"{self.source!r} is not a single repeated character class")


@functools.cache
def java_pattern(source: str, unicode_version: str = UNICODE_VERSION) -> JavaPattern:
    return JavaPattern(source, unicode_version, _Parser(source, unicode_version).parse())


def compile_java(source: str) -> re.Pattern[str]:
    """``source`` as a standard-library pattern with Java's semantics; use it with ``fullmatch``."""
    return java_pattern(source).regex


def java_fullmatch(source: str, value: str) -> bool:
    return java_pattern(source).fullmatch(value)


def single_class(source: str, unicode_version: str = UNICODE_VERSION) -> CharClass:
    return java_pattern(source, unicode_version).single_class()
