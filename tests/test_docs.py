"""The documentation a reader gets with the repository stands on its own: every relative link in
README.md, CONTRIBUTING.md and docs/ leads to a file inside the repository, no path points out of it,
and the model's constraints docs/SPEC-NOTES.md quotes are the ones the locked botocore has."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")])
# [text](target) and [label]: target; images too. A target may carry an anchor or a title.
_INLINE = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_CODE_PATH = re.compile(r"`(\.\./[^`\s]*)`")  # a path in code spans that climbs out: `../shared/x.md`
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, ...


def _relative_targets(text: str) -> list[str]:
    targets = _INLINE.findall(text) + _REFERENCE.findall(text)
    return [target for target in targets if not _EXTERNAL.match(target) and not target.startswith("#")]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for target in _relative_targets(text):
        resolved = (document.parent / target.split("#", 1)[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{document.name}: {target} leads out of the repository"
        assert resolved.exists(), f"{document.name}: {target} does not exist"
    for path in _CODE_PATH.findall(text):
        resolved = (document.parent / path).resolve()
        assert resolved.is_relative_to(ROOT), f"{document.name}: `{path}` points out of the repository"


def test_the_link_finder_finds_what_it_must() -> None:
    """The checker itself: it sees inline and reference links, and leaves web addresses alone."""
    text = "see [a](docs/x.md#part), [b][r] and ![c](../up.png) or [w](https://x.org/y)\n[r]: ../../z.md\n"
    assert _relative_targets(text) == ["docs/x.md#part", "../up.png", "../../z.md"]
    assert _CODE_PATH.findall("(see `../shared/SPEC-NOTES.md` in ...)") == ["../shared/SPEC-NOTES.md"]


def test_the_readme_links_the_spec_notes() -> None:
    assert "docs/SPEC-NOTES.md" in _relative_targets((ROOT / "README.md").read_text(encoding="utf-8"))


def _section(text: str, title: str) -> str:
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_the_constraints_quoted_in_the_spec_notes_are_the_model_s() -> None:
    """Quoted for a reader, never used: still, a quote that drifted from botocore's model would mislead."""
    model = botocore.session.get_session().get_service_model("iam")
    patterns, lengths = set(), set()
    for name in model.shape_names:
        metadata = model.shape_for(name).metadata
        if "pattern" in metadata:
            patterns.add(metadata["pattern"])
        if "min" in metadata and "max" in metadata:
            lengths.add((metadata["min"], metadata["max"]))
    section = _section((ROOT / "docs" / "SPEC-NOTES.md").read_text(encoding="utf-8"), "Input constraints")
    section = section.split("The patterns are Java", 1)[0]  # the list of constraints, not the remarks
    quoted = [code for code in re.findall(r"`([^`]+)`", section) if code.startswith(("[", "("))]
    assert len(quoted) == 7  # Path, name, tag key and value, serial, code, marker
    assert [pattern for pattern in quoted if pattern not in patterns] == []
    ranges = {(int(low), int(high)) for low, high in re.findall(r"\b(\d+)\.\.(\d+)\b", section)}
    assert ranges == {(1, 512), (1, 128), (0, 256), (9, 256), (1, 1000), (1, 320)}
    assert not ranges - lengths
