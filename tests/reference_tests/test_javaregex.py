"""The reference's Java-pattern translation: ASCII \\w and \\d, Unicode \\p{..}, whole-value match."""

from __future__ import annotations

import pytest

from tests.reference.javaregex import compile_java

NAME = r"[\w+=,.@-]+"
TAG_KEY = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
CODE = r"[\d]+"
PATH = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (NAME, "abc_XYZ-0.9+=,@", True),
        (NAME, "é", False),  # Python's \w would accept it
        (NAME, "\uff41", False),  # FULLWIDTH LATIN SMALL LETTER A
        (NAME, "a b", False),
        (NAME, "", False),
        (CODE, "123456", True),
        (CODE, "١٢٣٤٥٦", False),  # Arabic-Indic digits: \d is ASCII in Java
        (TAG_KEY, "é ü ß 中 ٣", True),
        (TAG_KEY, "a\u00a0b\u2003c", True),  # \p{Z}: no-break and em spaces
        (TAG_KEY, "tab\tkey", False),  # a tab is not \p{Z}
        (TAG_KEY, "bad#key", False),
        (PATH, "/", True),
        (PATH, "/a/b/", True),
        (PATH, "/a b/", False),
        (PATH, "/a", False),
        (PATH, "a/", False),
        (PATH, "//", False),
    ],
)
def test_java_semantics(pattern: str, value: str, matches: bool) -> None:
    assert (compile_java(pattern).fullmatch(value) is not None) is matches


def test_unsupported_constructs_are_refused() -> None:
    with pytest.raises(ValueError):
        compile_java(r"[\W]")
