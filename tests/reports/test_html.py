"""report.html: one self-contained page, the matrix grouped by operation and clause, every text escaped."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from reports import html
from reports.matrix import build_matrix
from reports.model import RunResult, Verdict
from reports.score import format_score
from reports.text import detail_fields, printable
from tests.reports.recorded import MISSING_IN_SECOND, ONLY_IN_SECOND, every_verdict, second_target

_VOID = {"meta", "input", "br", "link", "img", "hr"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    text: str
    ancestors: list[tuple[str, dict[str, str]]]

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Page(HTMLParser):
    """Every element with its text content and ancestors; end tags that do not match are recorded."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict[str, str], list[str]]] = []
        self.elements: list[_Element] = []
        self.mismatched: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _VOID:
            self.elements.append(_Element(tag, attributes, "", self._ancestors()))
        else:
            self.open.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        opened, attributes, text = self.open.pop()
        if opened != tag:
            self.mismatched.append(f"{opened} closed by {tag}")
        content = "".join(text)
        self.elements.append(_Element(tag, attributes, content, self._ancestors()))
        if self.open:
            self.open[-1][2].append(content)

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1][2].append(data)

    def _ancestors(self) -> list[tuple[str, dict[str, str]]]:
        return [(tag, attrs) for tag, attrs, _ in self.open]

    def find(self, tag: str, cls: str | None = None) -> list[_Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]


def _cells(page: _Page) -> dict[tuple[str, str | None], list[_Element]]:
    """The matrix cells by the (check, case) of their row, in column order."""
    rows: dict[tuple[str, str | None], list[_Element]] = {}
    for cell in page.find("td", "cell"):
        row = next(attrs for tag, attrs in reversed(cell.ancestors) if tag == "tr")
        rows.setdefault((row["data-check"], row.get("data-case")), []).append(cell)
    return rows


def _two_targets() -> list[RunResult]:
    first = every_verdict()
    return [first, second_target(first)]


def test_the_page_is_well_formed_and_fetches_nothing() -> None:
    text = html.render(_two_targets())
    page = _Page(text)
    assert not page.mismatched and not page.open
    assert text.startswith("<!DOCTYPE html>")
    assert not [e.tag for e in page.elements if {"src", "href", "action"} & set(e.attrs)]
    assert not page.find("link") and not page.find("img") and not page.find("iframe")
    [style], [script] = page.find("style"), page.find("script")
    policy = next(e.attrs["content"] for e in page.find("meta") if e.attrs.get("http-equiv"))
    assert "default-src 'none'" in policy

    def digest(source: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    assert f"style-src '{digest(style.text)}'" in policy and f"script-src '{digest(script.text)}'" in policy


def test_every_cell_of_the_matrix_with_its_verdict() -> None:
    runs = _two_targets()
    cells = _cells(_Page(html.render(runs)))
    matrix = build_matrix(runs)
    assert len(cells) == len(matrix.rows)
    for row in matrix.rows:
        shown = cells[(row.check, row.case)]
        assert [cell.attrs["data-target"] for cell in shown] == ["0", "1"]
        for result, cell in zip(row.cells, shown, strict=True):
            if result is None:
                assert cell.classes == {"cell", "v-missing"} and cell.text == "—"
            else:
                assert cell.attrs["data-verdict"] == str(result.verdict)
                assert f"v-{str(result.verdict).lower()}" in cell.classes
                assert cell.text.startswith(str(result.verdict))
    assert cells[(MISSING_IN_SECOND, None)][1].text == "—"
    assert cells[(ONLY_IN_SECOND, None)][0].text == "—"


def test_a_cell_holds_every_detail_of_its_result() -> None:
    run = every_verdict()
    cells = _cells(_Page(html.render([run])))
    for result in run.results:
        [cell] = cells[(result.check, result.case)]
        for label, text in detail_fields(result):
            assert f"{label}{printable(text)}" in cell.text
        assert f"examples: {result.examples}, {result.duration_s:.3f} s" in cell.text
    failed = cells[("vmfa.create.qr.single-symbol", None)][0]
    assert (
        "(unexpected)" in failed.text and 'Observed2 symbols: <script>alert("pwned")</script>' in failed.text
    )


def test_rows_are_grouped_by_operation_then_clause() -> None:
    run = every_verdict()
    page = _Page(html.render([run]))
    operations = [e.text for e in page.find("tr", "operation")]
    clauses = [e.text for e in page.find("tr", "clause")]
    assert operations == sorted({r.operation for r in run.results})
    assert clauses == sorted({r.clause for r in run.results})
    for body in page.find("tbody"):
        inside = [e.text for e in page.find("tr", "clause") if ("tbody", body.attrs) in e.ancestors]
        assert all(clause.startswith(body.attrs["data-operation"]) for clause in inside)


def test_counts_and_score_per_target() -> None:
    runs = _two_targets()
    page = _Page(html.render(runs))
    for index, run in enumerate(runs):
        [line] = [e for e in page.find("tr") if e.attrs.get("data-target") == str(index)]
        cells = [e.text for e in page.find("td") if ("tr", line.attrs) in e.ancestors]
        assert cells[-8:] == [str(run.counts()[v]) for v in Verdict] + [format_score(run.counts())]
        heads = [e.text for e in page.find("th", "target") if e.attrs["data-target"] == str(index)]
        assert heads[0].endswith(format_score(run.counts()))
    assert "40.0 %" in page.find("th", "target")[0].text


def test_text_is_escaped_and_control_characters_spelled_out() -> None:
    text = html.render([every_verdict()])
    page = _Page(text)
    assert len(page.find("script")) == 1 and not page.find("b")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "\\x1b[31mboom" in text and "\\ufffe" in text
    assert 'data-case="tags | &lt;b&gt;bold&lt;/b&gt; &amp; ünïcode"' in text
