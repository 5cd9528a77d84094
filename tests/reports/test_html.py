"""report.html: one self-contained page opening on an overview, then every result by operation (failures
first, the quiet rows folded, each SKIP under the failure it follows from), every text escaped."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from reports import html
from reports.matrix import build_matrix
from reports.model import RunResult, Verdict
from reports.score import JUDGED, format_score
from reports.text import detail_fields, printable
from reports.triage import Triage, triage
from tests.reports.builders import make_result, make_run
from tests.reports.recorded import MISSING_IN_SECOND, ONLY_IN_SECOND, every_verdict, samples, second_target

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

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def find(self, tag: str, cls: str | None = None) -> list[_Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]

    def inside(self, tag: str, ancestor: _Element, cls: str | None = None) -> list[_Element]:
        """The ``tag`` elements within ``ancestor`` (that very element: its attributes are its identity)."""
        return [e for e in self.find(tag, cls) if any(a is ancestor.attrs for _, a in e.ancestors)]


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
    for runs in (_two_targets(), samples()):
        text = html.render(runs)
        page = _Page(text)
        assert not page.mismatched and not page.open
        assert text.startswith("<!DOCTYPE html>")
        assert not [e.tag for e in page.elements if {"src", "action", "style"} & set(e.attrs)]
        links = [e.attrs["href"] for e in page.elements if "href" in e.attrs]
        ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
        assert links and all(link.startswith("#") and link[1:] in ids for link in links)  # fragments only
        assert not page.find("link") and not page.find("img") and not page.find("iframe")
        [style], [script] = page.find("style"), page.find("script")
        policy = next(e.attrs["content"] for e in page.find("meta") if e.attrs.get("http-equiv"))
        assert "default-src 'none'" in policy

        def digest(source: str) -> str:
            return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

        assert f"style-src '{digest(style.text)}'" in policy
        assert f"script-src '{digest(script.text)}'" in policy


def test_the_overview_comes_first() -> None:
    text = html.render(samples())
    order = [
        'id="overview"',
        'id="by-operation"',
        'id="attention"',
        'id="results"',
        '<section class="operation"',
    ]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)


def test_every_result_is_a_cell_or_folded_under_its_cause() -> None:
    runs = _two_targets()
    page = _Page(html.render(runs))
    cells = _cells(page)
    found = triage(build_matrix(runs))
    for row in found.matrix.rows:
        cause = found.cause(row)
        if cause is not None:
            [item] = [e for e in page.find("li") if e.attrs.get("data-check") == row.check]
            holder = next(a for tag, a in reversed(item.ancestors) if tag == "tr")
            assert (holder["data-check"], holder.get("data-case")) == (cause.check, cause.case)
            continue
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


def test_identical_details_are_shown_once_per_row() -> None:
    moto, ministack = samples()
    page = _Page(html.render([moto, ministack, moto]))
    same = _cells(page)[("vmfa.create.qr.png", None)]
    assert "ExpectedA PNG image".lower() in same[0].text.lower() and "Reproduction" in same[0].text
    assert "Observed" in same[1].text  # MiniStack's own: another observed value
    assert "Expected" not in same[2].text and "The same details as on moto 5.2.5." in same[2].text
    assert "examples:" in same[2].text  # its own run line still


def test_rows_failing_somewhere_come_first_and_quiet_ones_are_folded() -> None:
    runs = samples()
    page = _Page(html.render(runs))
    found = triage(build_matrix(runs))
    sections = page.find("section", "operation")
    assert [s.attrs["data-operation"] for s in sections] == sorted({r.operation for r in runs[0].results})
    for section, element in zip(found.sections, sections, strict=True):
        failing = [e for e in page.inside("tr", element, "result") if not _in(e, "details")]
        quiet = [e for e in page.inside("tr", element, "result") if _in(e, "details")]
        assert [(e.attrs["data-check"], e.attrs.get("data-case")) for e in failing] == [
            (row.check, row.case) for row in section.failing
        ]
        assert len(quiet) == len(section.quiet)
        for folder in page.inside("details", element, "quiet"):
            assert "open" not in folder.attrs and folder.text.startswith(f"{len(section.quiet)} more row")
    clauses = [e.text for e in page.find("tr", "clause")]
    assert set(clauses) == {r.clause for r in runs[0].results if not _folded(found, r.check, r.case)}


def _in(element: _Element, tag: str) -> bool:
    return any(name == tag for name, _ in element.ancestors)


def _check_of(element: _Element) -> str:
    """The check of the row ``element`` is in."""
    return next(attrs["data-check"] for _, attrs in reversed(element.ancestors) if "data-check" in attrs)


def _folded(found: Triage, check: str, case: str | None) -> bool:
    row = next(r for r in found.matrix.rows if (r.check, r.case) == (check, case))
    return found.cause(row) is not None


def test_counts_score_and_only_here_per_target() -> None:
    runs = samples()
    page = _Page(html.render(runs))
    [targets] = page.find("table", "targets")
    for index, run in enumerate(runs):
        [line] = [e for e in page.inside("tr", targets) if e.attrs.get("data-target") == str(index)]
        counts = {
            e.attrs["data-verdict"]: e.text for e in page.inside("td", line) if e.attrs.get("data-verdict")
        }
        assert counts == {str(v): str(run.counts()[v]) for v in Verdict}
        assert [e.text for e in page.inside("td", line, "score")] == [format_score(run.counts())]
    assert [e.text for e in page.find("td", "only-here")] == ["2", "12"]
    found = triage(build_matrix(runs))
    alone = {(at, row.check) for row in found.matrix.rows if (at := found.only_at(row)) is not None}
    marks = [e for e in page.find("td", "verdicts") if "only here" in e.text]
    marked = {(int(e.attrs["data-target"]), _check_of(e)) for e in marks}
    assert marked == alone and len(marked) == 12  # by check: 2 + 12 rows, two checks of two cases each
    assert not _Page(html.render(runs[:1])).find("td", "only-here")  # nothing to compare one run with


def test_each_operation_has_a_bar_per_target_with_its_counts() -> None:
    runs = samples()
    page = _Page(html.render(runs))
    [table] = [e for e in page.find("table") if e.attrs.get("id") == "by-operation"]
    for line in page.inside("tr", table):
        operation = line.attrs.get("data-operation")
        if operation is None:
            continue  # the header
        for index, run in enumerate(runs):
            [cell] = [e for e in page.inside("td", line, "tally") if e.attrs["data-target"] == str(index)]
            chosen = [r for r in run.results if r.operation == operation or operation == ""]
            counts = Counter(r.verdict for r in chosen)
            bar = page.inside("rect", cell)[1:]  # the grey background first
            rects = {e.attrs["data-verdict"]: int(e.attrs["data-count"]) for e in bar}
            assert rects == {str(v): counts[v] for v in JUDGED}
            [figure] = page.inside("span", cell, "figure")
            assert figure.text.startswith(f"{counts[Verdict.PASS]} / {sum(counts[v] for v in JUDGED)} pass")
    [total] = [e for e in page.inside("tr", table) if e.attrs.get("data-operation") == ""]
    assert "all operations" in total.text and format_score(runs[1].counts()) in total.text


def test_text_is_escaped_and_control_characters_spelled_out() -> None:
    text = html.render([every_verdict()])
    page = _Page(text)
    assert len(page.find("script")) == 1 and not page.find("b")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "\\x1b[31mboom" in text and "\\ufffe" in text
    assert 'data-case="tags | &lt;b&gt;bold&lt;/b&gt; &amp; ünïcode"' in text


def test_a_run_with_nothing_failing_says_so() -> None:
    page = _Page(html.render([make_run(make_result("c.a", Verdict.PASS))]))
    [nothing] = [e for e in page.elements if e.attrs.get("id") == "attention"]
    assert nothing.text.startswith("Nothing")
