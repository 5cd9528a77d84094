r"""Java regex semantics: the model's patterns decided as Java decides them, two ways that must agree.

``strategies.patterns`` (ranges from ``unicodedata``) and the validator (``regex`` with native ``\p{..}``)
are checked against each other and against tables of values whose Java answer is known.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.alphabets import members, outsiders
from strategies.model import IN_SCOPE_OPERATIONS, StringConstraint, member_constraint, string_constraint
from strategies.patterns import (
    LEGACY_UNICODE_VERSION,
    UNICODE_VERSION,
    CharClass,
    UnsupportedJavaPattern,
    _category_table,
    _charmap_readable,
    compile_java,
    java_fullmatch,
    java_pattern,
)
from tests.strategies.validator import java_regex, raw_input_members

# (operation, member, value, does Java accept it, why)
JAVA_SEMANTICS: list[tuple[str, str, str, bool, str]] = [
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "aZ_09+=,.@-", True, "every allowed kind of char"),
    (
        "CreateVirtualMFADevice",
        "VirtualMFADeviceName",
        "\u00e9",
        False,
        "Java \\w is ASCII; Python's accepts e-acute",
    ),
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "\u00df", False, "sharp s: a letter, not ASCII"),
    (
        "CreateVirtualMFADevice",
        "VirtualMFADeviceName",
        "\u0663",
        False,
        "Arabic-Indic three: Python \\w has it",
    ),
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "\u00b2", False, "superscript two: Python \\w has it"),
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "a b", False, "space"),
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "a/b", False, "slash is not in the name class"),
    ("CreateVirtualMFADevice", "VirtualMFADeviceName", "", False, "the pattern needs one character"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u00c4", True, "A-diaeresis is \\p{L}"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u0663", True, "Arabic-Indic three is \\p{N} (Nd)"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u216b", True, "Roman numeral twelve is \\p{N} (Nl)"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u3000", True, "ideographic space is \\p{Z} (Zs)"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u00a0", True, "no-break space is \\p{Z} (Zs)"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u2029", True, "paragraph separator is \\p{Z} (Zp)"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\U0001d400", True, "a letter outside the BMP"),
    ("CreateVirtualMFADevice", "Tags[].Key", "_.:/=+-@", True, "every allowed punctuation char"),
    ("CreateVirtualMFADevice", "Tags[].Key", "#", False, "not in the class"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\t", False, "tab is white space but not \\p{Z}"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\u20ac", False, "euro sign is Sc"),
    ("CreateVirtualMFADevice", "Tags[].Key", "\U0001f600", False, "emoji is So"),
    (
        "CreateVirtualMFADevice",
        "Tags[].Key",
        "\u180e",
        False,
        "Mongolian vowel separator: Cf since Unicode 6.3",
    ),
    ("CreateVirtualMFADevice", "Tags[].Value", "", True, "the value pattern is *"),
    ("CreateVirtualMFADevice", "Path", "/", True, "the bare delimiter"),
    ("CreateVirtualMFADevice", "Path", "/a#b/", True, "# is within \\u0021-\\u007E"),
    ("CreateVirtualMFADevice", "Path", "/test//double/", True, "observed accepted by AWS"),
    ("CreateVirtualMFADevice", "Path", "/~/", True, "~ is the last char of the range"),
    # The API reference prose says paths may hold "any ASCII character from the ! (\u0021) through
    # the DEL character (\u007F)", but the model's range stops at \u007E. The model is the evidence.
    ("CreateVirtualMFADevice", "Path", "/a\x7f/", False, "DEL: the model excludes it, the prose allows it"),
    ("CreateVirtualMFADevice", "Path", "//", False, "the compound form needs one char inside"),
    ("CreateVirtualMFADevice", "Path", "/a b/", False, "space is below \\u0021"),
    ("CreateVirtualMFADevice", "Path", "/\u00e9/", False, "non-ASCII"),
    ("CreateVirtualMFADevice", "Path", "a/", False, "no leading slash"),
    ("CreateVirtualMFADevice", "Path", "/a", False, "no trailing slash"),
    ("EnableMFADevice", "AuthenticationCode1", "123456", True, "ASCII digits"),
    (
        "EnableMFADevice",
        "AuthenticationCode1",
        "\u0661\u0662\u0663",
        False,
        "Java \\d is ASCII; Python's is not",
    ),
    ("EnableMFADevice", "AuthenticationCode1", "\uff11", False, "fullwidth one: Python \\d has it"),
    ("ListVirtualMFADevices", "Marker", "\u00ff ", True, "the Latin-1 range"),
    ("ListVirtualMFADevices", "Marker", "\u0100", False, "just past the Latin-1 range"),
    ("DeleteVirtualMFADevice", "SerialNumber", "arn:aws:iam::123456789012:mfa/p/n", True, "a serial"),
    ("DeleteVirtualMFADevice", "SerialNumber", "arn:aws:iam::123456789012:mfa/\u00e9", False, "non-ASCII"),
]


def _pattern(operation: str, member: str) -> str:
    pattern = string_constraint(operation, member).pattern
    assert pattern is not None
    return pattern


@pytest.mark.parametrize(("operation", "member", "value", "accepted", "why"), JAVA_SEMANTICS)
def test_java_semantics(operation: str, member: str, value: str, accepted: bool, why: str) -> None:
    pattern = _pattern(operation, member)
    assert java_fullmatch(pattern, value) is accepted, why
    assert (java_regex(pattern).fullmatch(value) is not None) is accepted, f"validator: {why}"


@pytest.mark.parametrize(
    ("operation", "member", "value"),
    [
        ("CreateVirtualMFADevice", "VirtualMFADeviceName", "\u00e9"),
        ("CreateVirtualMFADevice", "VirtualMFADeviceName", "\u00b2"),
        ("EnableMFADevice", "AuthenticationCode1", "\u0661\u0662\u0663\u0664\u0665\u0666"),
    ],
)
def test_pythons_own_re_gets_these_wrong(operation: str, member: str, value: str) -> None:
    """Why the module exists: unmodified ``re`` accepts what Java rejects."""
    assert re.fullmatch(_pattern(operation, member), value)
    assert not java_fullmatch(_pattern(operation, member), value)


def _model_patterns() -> list[str]:
    found = {
        shape["pattern"]
        for _, _, shape in raw_input_members(IN_SCOPE_OPERATIONS)
        if shape["type"] == "string" and "pattern" in shape
    }
    return sorted(found)


def _stable_matches(pattern: str) -> st.SearchStrategy[str]:
    """Values the pattern accepts, of characters every Unicode version places alike."""
    try:
        java_pattern(pattern).single_class()
    except UnsupportedJavaPattern:  # e.g. the path: from_regex is quick on its small class
        return st.from_regex(compile_java(pattern), fullmatch=True, alphabet=members(pattern).characters)
    return st.text(members(pattern).characters, min_size=1, max_size=12)


# Characters whose class membership every Unicode version agrees on (strategies.alphabets): the
# validator's ``regex`` ships a newer Unicode table than this Python's ``unicodedata``.
@pytest.mark.parametrize("pattern", _model_patterns())
@given(data=st.data())
def test_both_readings_agree(pattern: str, data: st.DataObject) -> None:
    chars = st.one_of(members(pattern).characters, outsiders(pattern).characters)
    value = data.draw(st.text(chars, max_size=12) | _stable_matches(pattern))
    assert java_fullmatch(pattern, value) is (java_regex(pattern).fullmatch(value) is not None)


@pytest.mark.parametrize("pattern", _model_patterns())
@settings(max_examples=20)  # a translated \p{..} class has hundreds of ranges: slow for from_regex
@given(data=st.data())
def test_from_regex_on_the_translation_yields_matches(pattern: str, data: st.DataObject) -> None:
    value = data.draw(st.from_regex(compile_java(pattern), fullmatch=True))
    assert java_fullmatch(pattern, value)


# Java syntax beyond the model's, with Java's answer (java.util.regex.Pattern documentation).
TRANSLATIONS: list[tuple[str, str, bool]] = [
    (r"\p{Lu}+", "\u00c4B", True),
    (r"\p{Lu}+", "\u00e4", False),
    (r"\pL", "\u01c5", True),
    (r"\p{IsN}\P{N}", "\u0663x", True),
    (r"[^\p{L}]+", "1 !", True),
    (r"[^\p{L}]", "a", False),
    (r"[\x{1F600}a-c]+", "\U0001f600b", True),
    (r"\x41\u0042\t", "AB\t", True),
    (r"a.c", "a\u2028c", False),  # "." excludes Java's line terminators
    (r"a.c", "a\u00a0c", True),
    (r"\s", "\u00a0", False),  # Java's \s is ASCII
    (r"\W", "\u00e9", True),
    (r"[a-]+", "-a", True),
    (r"(?:ab)++c{2,3}?", "ababcc", True),
    (r"\.\-", ".-", True),
]


@pytest.mark.parametrize(("pattern", "value", "accepted"), TRANSLATIONS)
def test_translation(pattern: str, value: str, accepted: bool) -> None:
    assert java_fullmatch(pattern, value) is accepted


@pytest.mark.parametrize(
    "pattern",
    [r"[a[b]]", r"[a&&b]", r"\bx", r"(?<n>a)", r"\p{Latin}", r"[]", r"[z-a]", r"\1", r"[ab", r"\uD83D"],
)
def test_unsupported_syntax_raises(pattern: str) -> None:
    with pytest.raises(UnsupportedJavaPattern):
        java_pattern(pattern)


def test_the_path_pattern_reads_as_delimiter_and_one_class() -> None:
    constraint = member_constraint("CreateVirtualMFADevice", "Path")
    assert isinstance(constraint, StringConstraint) and constraint.pattern is not None
    parsed = java_pattern(constraint.pattern)
    assert parsed.literals == {"/"} and len(parsed.classes) == 1
    assert "\x7f" not in parsed.classes[0] and "~" in parsed.classes[0]


def test_every_in_scope_pattern_translates() -> None:
    assert IN_SCOPE_OPERATIONS and _model_patterns()
    for pattern in _model_patterns():
        assert compile_java(pattern).pattern == java_pattern(pattern).python_source


@pytest.mark.parametrize("unicode_version", [UNICODE_VERSION, LEGACY_UNICODE_VERSION])
def test_each_category_table_is_a_scan_of_the_whole_code_space(unicode_version: str) -> None:
    """The current table is Hypothesis's ``charmap`` (kept on disk between runs), the older one is read
    only where a code point is assigned today: both as a scan of every code point gives them."""
    assert _charmap_readable()  # a test runs after Hypothesis's initialization: charmap is used
    database = unicodedata if unicode_version == unicodedata.unidata_version else unicodedata.ucd_3_2_0
    assert database.unidata_version == unicode_version
    runs: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, database.category(chr(0))
    for code_point in range(1, sys.maxunicode + 2):
        category = database.category(chr(code_point)) if code_point <= sys.maxunicode else ""
        if category != current:
            runs.setdefault(current, []).append((start, code_point - 1))
            start, current = code_point, category
    assert _category_table(unicode_version) == {name: CharClass.of(found) for name, found in runs.items()}
