"""No pattern or limit from the model is copied into ``strategies/``: everything is read at run time."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from strategies.model import IN_SCOPE_OPERATIONS
from tests.strategies.validator import raw_model, raw_shape

_SOURCES = sorted((Path(__file__).parents[2] / "strategies").glob("*.py"))


def _shapes_in_scope() -> list[dict[str, object]]:
    """Every shape reachable from the in-scope operations' inputs, plus the serial number."""
    names, todo = set(), [raw_model()["operations"][op]["input"]["shape"] for op in IN_SCOPE_OPERATIONS]
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        shape = raw_shape(name)
        todo += [ref["shape"] for ref in shape.get("members", {}).values()]
        todo += [shape["member"]["shape"]] if "member" in shape else []
    return [raw_shape(name) for name in sorted(names | {"serialNumberType"})]


def _fragments() -> set[str]:
    """Each pattern, and each bracket expression in one, as written and as a non-raw literal."""
    found = set()
    for shape in _shapes_in_scope():
        pattern = shape.get("pattern")
        if isinstance(pattern, str):
            for text in (
                pattern,
                *re.findall(r"\[[^\]]+\]", pattern),
                *re.findall(r"\\u[0-9A-Fa-f]{4}", pattern),
            ):
                found |= {text, text.replace("\\", "\\\\")}
    return found


def _limits() -> set[int]:
    limits = {
        value
        for shape in _shapes_in_scope()
        for key in ("min", "max")
        if isinstance(value := shape.get(key), int)
    }
    return limits - {0, 1, 2}  # too common to forbid, and no limit generation relies on


def test_the_search_would_find_a_copy() -> None:
    assert len(_SOURCES) > 5
    name_pattern = raw_shape("virtualMFADeviceName")["pattern"]
    assert name_pattern in _fragments() and name_pattern.replace("\\", "\\\\") in _fragments()
    assert raw_shape("pathType")["max"] in _limits() and raw_shape("tagListType")["max"] in _limits()


@pytest.mark.parametrize("source", _SOURCES, ids=lambda path: path.name)
def test_no_pattern_text(source: Path) -> None:
    text = source.read_text()
    assert not [fragment for fragment in _fragments() if fragment in text]


@pytest.mark.parametrize("source", _SOURCES, ids=lambda path: path.name)
def test_no_limit_number(source: Path) -> None:
    tokens = tokenize.generate_tokens(io.StringIO(source.read_text()).readline)
    numbers = [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.NUMBER]
    assert [(line, text) for line, text in numbers if int(text, 0) in _limits()] == []
