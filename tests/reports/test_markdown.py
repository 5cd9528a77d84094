"""report.md: counts and score, what needs attention grouped and folded, safe in a GitHub comment."""

from __future__ import annotations

import dataclasses
import html
import re

from reports import markdown
from reports.model import CheckResult, Verdict
from reports.score import format_score
from tests.reports.recorded import MISSING_IN_SECOND, every_verdict, many_failures, second_target

_GITHUB_COMMENT_LIMIT = 65_536
_ATTENTION = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)


def _outside_code(text: str) -> str:
    """The text with its fenced code blocks (shown verbatim by GitHub) removed."""
    return re.sub(r"^(`{3,})text\n.*?^\1$", "", text, flags=re.MULTILINE | re.DOTALL)


def _table_rows(text: str) -> list[list[str]]:
    """Each table line split into cells on the pipes a table sees (not the escaped ones)."""
    lines = [line for line in _outside_code(text).splitlines() if line.startswith("|")]
    return [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines]


def _summaries(text: str) -> list[str]:
    return re.findall(r"<summary>(.*?)</summary>", text)


def _named(result: CheckResult) -> str:
    """How a summary line names a result: ``: check [case] —``, HTML-escaped."""
    case = f" [{result.case}]" if result.case is not None else ""
    return html.escape(f": {result.check}{case} —")


def test_summary_table_has_every_count_and_the_score() -> None:
    run = every_verdict()
    text = markdown.render([run])
    header, _, target = _table_rows(text)[:3]
    counts = dict(zip([cell.strip() for cell in header], [cell.strip() for cell in target], strict=True))
    assert {verdict: int(counts[str(verdict)]) for verdict in Verdict} == {
        verdict: run.counts()[verdict] for verdict in Verdict
    }
    assert counts["score"] == format_score(run.counts()) == "40.0 %"
    assert "expected failures: 2, unexpected failures: 1, unexpected passes: 1" in text


def test_only_what_needs_attention_is_listed_with_details() -> None:
    run = every_verdict()
    summaries = _summaries(markdown.render([run]))
    attention = [r for r in run.results if r.verdict in _ATTENTION or r.expectation is not None]
    assert len(summaries) == len(attention)
    for result in attention:
        assert sum(f" {result.verdict}" in s and _named(result) in s for s in summaries) == 1
    quiet = [r for r in run.results if r not in attention]
    assert {r.verdict for r in quiet} == {Verdict.PASS, Verdict.INFO, Verdict.SKIP}
    assert not any(_named(r) in s for r in quiet for s in summaries)


def test_results_are_grouped_under_operation_then_clause() -> None:
    run = every_verdict()
    text = markdown.render([run])
    operations = re.findall(r"^### (.+)$", text, flags=re.MULTILINE)
    assert operations == sorted(operations) == ["CreateVirtualMFADevice", "EnableMFADevice", "TagMFADevice"]
    for result in (r for r in run.results if r.verdict in _ATTENTION):
        operation = text.index(f"### {result.operation}\n")
        clause = text.index(f"**{result.clause}**", operation)
        assert operation < clause < text.index(f"<code>{result.check}", clause)


def test_text_is_escaped_for_tables_and_html() -> None:
    text = markdown.render([every_verdict()])
    assert "<script>" not in _outside_code(text)
    assert '<script>alert("pwned")</script>' in text  # shown, in a code block
    assert all(len(cells) == 2 for cells in _table_rows(text)[3:])  # check | verdict: no stray pipe
    case_row = next(c for c in _table_rows(text) if "tags" in c[0])
    assert "\\[tags \\| &lt;b&gt;bold&lt;/b&gt; &amp; ünïcode\\]" in case_row[0]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "\\x1b[31mboom" in text
    assert "more characters in report.html" in text  # the 20,000-character message is clipped


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    run = every_verdict()
    result = next(r for r in run.results if r.verdict is Verdict.FAIL and r.case is None)
    tricky = dataclasses.replace(run, results=(dataclasses.replace(result, observed="a ``` b"),))
    text = markdown.render([tricky])
    assert "````text\na ``` b\n````" in text


def test_matrix_lists_rows_that_differ_and_marks_missing_cells() -> None:
    first = every_verdict()
    text = markdown.render([first, second_target(first)])
    rows = _table_rows(text)
    assert rows[4][0].strip() == "check"
    assert [cell.strip() for cell in rows[4][1:]] == [
        "moto-server 5.2.5",
        "url",
    ]
    missing = next(cells for cells in rows if MISSING_IN_SECOND in cells[0])
    assert missing[1].strip() == "✅ PASS" and missing[2].strip() == "— (not run)"
    assert all(len(cells) == 3 for cells in rows[4:])


def test_two_thousand_results_stay_within_a_comment_with_a_note() -> None:
    run = many_failures(2_000)
    text = markdown.render([run])
    assert len(text) < _GITHUB_COMMENT_LIMIT and len(text.encode()) <= markdown.BUDGET
    shown = len([cells for cells in _table_rows(text)[2:] if "<code>" in cells[0]])
    folded = len(_summaries(text))
    note = re.search(
        r"\*\*Truncated\*\* to fit in a comment: the details of (\d+) results are left out; "
        r"(\d+) more results to list \((\d+) FAIL\) are not shown",
        text,
    )
    assert note is not None, text[-500:]
    bare, hidden, failures = map(int, note.groups())
    assert folded > 20 and shown > folded * 5  # rather a long list than long details
    assert folded + bare == shown and shown + hidden == 2_000 and failures == hidden
    assert f"| {run.counts()[Verdict.FAIL]} |" in text  # the counts are of every result, not the shown


def test_a_long_list_that_fits_keeps_every_detail() -> None:
    run = many_failures(40)
    text = markdown.render([run])
    assert len(_summaries(text)) == 40 and "Truncated" not in text


def test_nothing_to_report_says_so() -> None:
    run = every_verdict()
    fine = tuple(r for r in run.results if r.verdict is Verdict.PASS and r.expectation is None)
    passing = dataclasses.replace(run, results=fine)
    text = markdown.render([passing])
    assert "Nothing to report" in text and "<details>" not in text
