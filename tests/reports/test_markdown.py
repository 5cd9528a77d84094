"""report.md: counts and score, then what needs attention, failures first, one line per check and verdicts,
details deduplicated, a SKIP that follows from a failure counted on its line; safe and short enough for a
GitHub comment."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

from reports import markdown
from reports.expectations import apply_expectations, load_expectations
from reports.model import CheckResult, RunResult, Verdict
from reports.score import format_score
from tests.reports.recorded import MISSING_IN_SECOND, every_verdict, many_failures, samples, second_target

_GITHUB_COMMENT_LIMIT = 65_536
_ATTENTION = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)
_MOTO_EXPECTATIONS = Path(__file__).resolve().parents[2] / "expectations" / "moto.toml"


def _outside_code(text: str) -> str:
    """The text with its fenced code blocks and inline code (shown verbatim by GitHub) removed."""
    text = re.sub(r"^(`{3,})text\n.*?^\1$", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"^\*\*\w+\*\*.*: (`+).*\1$", "", text, flags=re.MULTILINE)


def _table_rows(text: str) -> list[list[str]]:
    """Each table line split into cells on the pipes a table sees (not the escaped ones)."""
    lines = [line for line in _outside_code(text).splitlines() if line.startswith("|")]
    return [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines]


def _listed(text: str) -> list[list[str]]:
    """The table lines of the listing (a check in its first cell)."""
    return [cells for cells in _table_rows(text) if "<code>" in cells[0]]


def _summaries(text: str) -> list[str]:
    return re.findall(r"<summary>(.*?)</summary>", text)


def _line_of(text: str, result: CheckResult) -> list[str]:
    """The listing's line of a result: its check, and its case (alone, or among the line's cases)."""
    for cells in _listed(text):
        if f"<code>{result.check}</code>" not in cells[0]:
            continue
        case = html.escape(re.sub(r"([\\`*_\[\]~|])", r"\\\1", result.case or ""), quote=False)
        if result.case is None or case in cells[0]:
            return cells
    raise AssertionError(f"{result.check} [{result.case}] is not listed")


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


def test_every_failure_is_listed_and_nothing_else() -> None:
    for run in samples():
        text = markdown.render([run])
        failing = [r for r in run.results if r.verdict in _ATTENTION]
        for result in failing:
            assert str(result.verdict) in _line_of(text, result)[1].replace("\\", "")
        quiet = {r.check for r in run.results} - {r.check for r in failing}
        assert quiet and not any(
            f"<code>{check}</code>" in cells[0] for check in quiet for cells in _listed(text)
        )


def test_cases_that_share_what_happened_are_one_line_with_the_skips_after_them() -> None:
    moto, _ = samples()
    text = markdown.render([moto])
    [line] = [cells for cells in _listed(text) if "<code>vmfa.create.invalid.rejected</code>" in cells[0]]
    assert "15 cases: name.length.min, name.pattern.char, path.length.min" in line[0]
    assert line[1].strip() == "❌ FAIL"
    assert line[2].strip() == "HTTP 200: the device was created (+75 SKIP after it)"
    assert "101 SKIPs that follow from them are counted on their line" in text


def test_failures_come_first_in_each_operation() -> None:
    moto, _ = samples()
    text = markdown.render([moto])
    operations = re.findall(r"^#### (.+)$", text, flags=re.MULTILINE)
    assert operations == sorted(operations)
    section = text.split("#### CreateVirtualMFADevice\n")[1].split("####")[0]
    verdicts = [cells[1].strip() for cells in _listed(section)]
    assert verdicts == sorted(verdicts, key=["❌ FAIL", "⚠️ DEVIATION", "🚧 NOT\\_IMPLEMENTED"].index)
    assert verdicts[0] == "❌ FAIL" and verdicts[-1] == "🚧 NOT\\_IMPLEMENTED"


def test_details_say_each_thing_once() -> None:
    moto, ministack = samples()
    text = markdown.render([moto, ministack])
    blocks = text.split("<details>")[1:]
    block = next(b for b in blocks if "vmfa.create.qr.png" in b.split("</summary>")[0])
    assert block.startswith("<summary>❌ FAIL on moto 5.2.5, MiniStack 1.5.33: vmfa.create.qr.png")
    assert block.count("**Expected**") == 1  # the same on both
    assert "**Observed on moto 5.2.5**:" in block and "**Observed on MiniStack 1.5.33**:" in block
    assert block.count("**Reproduction**") == 1  # the same call, at each one's endpoint
    assert "**Message**" not in block  # the failure template repeats the other fields
    assert "**Counterexample**" not in block  # the reproduction spells out its inputs
    sequence = next(b for b in blocks if "vmfa.lifecycle.answers-agree" in b.split("</summary>")[0])
    assert "**Counterexample**\n```text\n1. CreateUser(" in sequence  # a sequence's call is not enough
    errors = [cells for cells in _listed(text) if "💥 ERROR" in cells[2]]
    assert len(errors) > 10 and not any("Non-base32" in summary for summary in _summaries(text))


def test_text_is_escaped_for_tables_and_html() -> None:
    text = markdown.render([every_verdict()])
    assert "<script>" not in _outside_code(text)
    assert '<script>alert("pwned")</script>' in text  # shown, in code
    assert all(len(cells) == 3 for cells in _listed(text))  # check | verdict | what happened: no stray pipe
    run = every_verdict()
    tricky = dataclasses.replace(run, expectations=None)
    listed = _listed(markdown.render([tricky]))
    case_row = next(c for c in listed if "tags" in c[0])
    assert "\\[tags \\| &lt;b&gt;bold&lt;/b&gt; &amp; ünïcode\\]" in case_row[0]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "more characters in report.html" in markdown.render([tricky])  # 20,000 characters, clipped
    assert "\\x1b[31mboom" in markdown.render([tricky])


def test_a_code_span_or_block_is_longer_than_any_backtick_run_inside() -> None:
    run = every_verdict()
    result = next(r for r in run.results if r.verdict is Verdict.FAIL and r.case is None)
    for observed, shown in (
        ("a ``` b", "**Observed**: ````a ``` b````"),
        ("a\n``` b", "````text\na\n``` b\n````"),
    ):
        tricky = dataclasses.replace(run, results=(dataclasses.replace(result, observed=observed),))
        assert shown in markdown.render([tricky])


def test_matrix_shows_each_target_and_marks_missing_cells() -> None:
    first = every_verdict()
    text = markdown.render([dataclasses.replace(first, expectations=None), second_target(first)])
    head = next(cells for cells in _table_rows(text) if cells[0].strip() == "check")
    assert [cell.strip() for cell in head] == ["check", "moto-server 5.2.5", "url", "what happened"]
    assert all(len(cells) == 4 for cells in _listed(text))
    assert "| operation | interop | moto-server 5.2.5 | url |" in text
    assert MISSING_IN_SECOND not in text  # a PASS, and not run: nothing failed


def test_the_recorded_runs_stay_under_the_target_size() -> None:
    moto, ministack = samples()
    for runs in ([moto], [ministack], [moto, ministack]):
        text = markdown.render(runs)
        assert len(text.encode()) <= markdown.TARGET, [run.target.label for run in runs]
    assert "**Truncated**" not in markdown.render([moto]) + markdown.render([ministack])


def _distinct_failures(count: int) -> RunResult:
    """``count`` FAILs, each with its own observed value: one line each."""
    run = many_failures(count)
    results = tuple(dataclasses.replace(r, observed=f"HTTP 200 #{i}") for i, r in enumerate(run.results))
    return dataclasses.replace(run, results=results)


def test_two_thousand_distinct_failures_stay_within_a_comment_with_a_note() -> None:
    run = _distinct_failures(2_000)
    text = markdown.render([run])
    assert len(text) < _GITHUB_COMMENT_LIMIT and len(text.encode()) <= markdown.BUDGET
    shown = len(_listed(text))
    folded = len(_summaries(text))
    note = re.search(
        r"\*\*Truncated\*\* to fit in a comment: the details of (\d+) lines are left out; "
        r"(\d+) more results to list \((\d+) FAIL\) are not shown",
        text,
    )
    assert note is not None, text[-500:]
    bare, hidden, failures = map(int, note.groups())
    assert folded > 5 and shown > folded * 5  # rather a long list than long details
    assert folded + bare == shown and shown + hidden == 2_000 and failures == hidden
    assert f"| {run.counts()[Verdict.FAIL]} |" in text  # the counts are of every result, not the shown


def test_a_list_that_fits_keeps_every_detail() -> None:
    text = markdown.render([_distinct_failures(12)])
    assert len(_summaries(text)) == 12 and "**Truncated**" not in text


def test_with_expectations_only_what_is_unexpected_is_listed() -> None:
    moto, _ = samples()
    expectations = load_expectations(_MOTO_EXPECTATIONS)
    text = markdown.render([apply_expectations(moto, expectations)])
    assert "expected failures: 39, unexpected failures: 0" in text
    assert "Nothing unexpected" in text and "<details>" not in text and len(text.encode()) < 1_000
    fewer = tuple(entry for entry in expectations.entries if entry.check != "vmfa.create.qr.png")
    text = markdown.render([apply_expectations(moto, dataclasses.replace(expectations, entries=fewer))])
    assert [cells[0].strip() for cells in _listed(text)] == ["<code>vmfa.create.qr.png</code>"]
    assert "### Unexpected" in text and "1 result (1 FAIL)" in text and "FAIL (unexpected)" in text


def test_nothing_to_report_says_so() -> None:
    run = every_verdict()
    fine = tuple(r for r in run.results if r.verdict is Verdict.PASS and r.expectation is None)
    passing = dataclasses.replace(run, results=fine, expectations=None)
    text = markdown.render([passing])
    assert "Nothing to report" in text and "<details>" not in text
