"""The summary printed last: grouped by operation, folded by check, made printable, ending on the line
that says the score and why the exit code is what it is."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reports import terminal
from reports.expectations import Entry, Expectations, apply_expectations
from reports.model import CheckResult, RunResult, Verdict
from tests.reports.builders import make_result, make_run


def _on(operation: str, result: CheckResult) -> CheckResult:
    return replace(result, operation=operation)


def _moto_like() -> RunResult:
    invalid = [
        make_result("c.invalid", Verdict.FAIL, case=f"case.{n}", observed=f"HTTP 200 {n}") for n in range(6)
    ]
    return make_run(
        make_result("c.pass", Verdict.PASS),
        *invalid,
        _on("ListVirtualMFADevices", make_result("c.list", Verdict.FAIL, observed="page 2\nis empty")),
        _on("TagMFADevice", make_result("c.tags", Verdict.NOT_IMPLEMENTED, observed="HTTP 501")),
        make_result("c.aws", Verdict.DEVIATION, observed="as AWS? no"),
        make_result("c.info", Verdict.INFO, observed="either"),
        make_result("c.skip", Verdict.SKIP),
    )


def test_what_needs_attention_is_grouped_by_operation_and_folded_by_check() -> None:
    lines = terminal.render(_moto_like(), report_dir="out", exit_code=1).splitlines()
    start = lines.index("  needs attention, by operation:")
    assert lines[start + 1 : start + 8] == [
        "    CreateVirtualMFADevice",
        "      FAIL c.invalid (6 cases: case.0, case.1, case.2, case.3, …): HTTP 200 0",
        "      DEVIATION c.aws: as AWS? no",
        "    ListVirtualMFADevices",
        "      FAIL c.list: page 2 / is empty",
        "    TagMFADevice",
        "      NOT_IMPLEMENTED c.tags: HTTP 501",
    ]
    assert "  INFO: 1 (the spec is silent or contradicts itself; see the report, or -v)" in lines
    assert "c.pass" not in "\n".join(lines) and "c.skip" not in "\n".join(lines)
    assert lines[-3:] == [
        "  reproduce: iam-conformance run --target moto-server --region us-east-1 --profile quick"
        " --seed 20261122",
        "  report: out/ (report.html, report.md, results.json, junit.xml)",
        "score 10.0 % · exit 1: 7 FAIL, 0 ERROR (FAIL and ERROR fail a run)",
    ]


def test_verbose_lists_every_result_and_the_infos() -> None:
    text = terminal.render(_moto_like(), verbose=True)
    assert all(f"      FAIL c.invalid [case.{n}]: HTTP 200 {n}" in text for n in range(6))
    assert "      INFO c.info: either" in text


def test_the_header_counts_scores_and_times_the_run() -> None:
    lines = terminal.render(_moto_like()).splitlines()
    target = "moto-server 5.2.5 at http://127.0.0.1:1"
    assert lines[0] == f"IAM virtual MFA conformance: {target} (profile quick, 30 s, 10 API calls)"
    assert lines[1] == "  verdicts: 1 PASS, 7 FAIL, 1 DEVIATION, 1 INFO, 1 NOT_IMPLEMENTED, 0 ERROR, 1 SKIP"
    assert lines[2] == "  score: 10.0 % (1 PASS of 10 judged; INFO and SKIP left out)"
    assert "  score: — (nothing was judged)" in terminal.render(make_run(make_result("c", Verdict.SKIP)))


def test_endpoint_text_is_made_visible_and_bounded() -> None:
    run = make_run(make_result("c.evil", Verdict.FAIL, observed="\x1b[2J\x1b]0;owned\x07" + "x" * 500))
    text = terminal.render(run, width=100)
    assert "\x1b" not in text and "\x07" not in text
    line = next(line for line in text.splitlines() if "c.evil" in line)
    assert line.startswith("      FAIL c.evil: \\x1b[2J\\x1b]0;owned\\x07xxx") and len(line) <= 101


@pytest.mark.parametrize(
    ("verdicts", "code", "why"),
    [
        ((Verdict.PASS,), 0, "no FAIL or ERROR"),
        ((Verdict.PASS, Verdict.DEVIATION), 0, "no FAIL or ERROR (1 DEVIATION reported, not failing a run)"),
        ((Verdict.ERROR,), 1, "0 FAIL, 1 ERROR (FAIL and ERROR fail a run)"),
    ],
)
def test_the_last_line_says_why_the_exit_code_is_what_it_is(
    verdicts: tuple[Verdict, ...], code: int, why: str
) -> None:
    run = make_run(*(make_result(f"c.{n}", verdict) for n, verdict in enumerate(verdicts)))
    assert run.failed is (code == 1)
    last = terminal.render(run, exit_code=code).splitlines()[-1]
    assert last.endswith(f" · exit {code}: {why}") and last.startswith("score ")


def test_with_an_expectations_file_only_the_unexpected_needs_attention() -> None:
    expectations = Expectations(
        "moto.toml",
        (Entry("c.list", Verdict.FAIL, "known"), Entry("c.tags", Verdict.NOT_IMPLEMENTED, "no tags")),
    )
    run = apply_expectations(make_run(*_moto_like().results[7:10]), expectations)
    lines = terminal.render(run, expectations, exit_code=1).splitlines()
    assert "      DEVIATION c.aws: as AWS? no" in lines
    assert "c.list" not in "\n".join(lines) and "c.tags" not in "\n".join(lines)
    assert (
        lines[-1] == "score 0.0 % · exit 1: 1 unexpected failure (not listed in moto.toml with that verdict)"
    )
    green = apply_expectations(make_run(*_moto_like().results[7:9]), expectations)
    lines = terminal.render(green, expectations, exit_code=0).splitlines()
    assert "  needs attention: nothing unexpected" in lines
    assert lines[-1] == "score 0.0 % · exit 0: nothing unexpected (2 failures, each listed in moto.toml)"


def test_closing_facts_come_just_above_the_last_line_and_a_reason_may_be_given() -> None:
    run = replace(make_run(make_result("c", Verdict.PASS)), complete=False)
    facts = ["left behind: 1 device (arn:aws:iam::123456789012:mfa/x)", "interrupted by SIGTERM"]
    lines = terminal.render(
        run, report_error="disk full", closing=facts, exit_code=3, why="interrupted"
    ).splitlines()
    assert lines[-4:] == [
        "  report: NOT written: disk full",
        "  left behind: 1 device (arn:aws:iam::123456789012:mfa/x)",
        "  interrupted by SIGTERM",
        "score 100.0 % · exit 3: interrupted",
    ]
    assert terminal.exit_reason(run, 2) == "the run was interrupted; the report holds the results so far"


def test_lines_carry_a_style_and_no_escape_codes() -> None:
    lines = terminal.summary_lines(_moto_like(), exit_code=1)
    assert lines[-1].style == "red" and lines[0].style == "bold"
    assert {line.style for line in lines if "FAIL c." in line.text} == {"red"}
    assert not any("\x1b" in line.text for line in lines)


def test_the_progress_line_fits_and_keeps_what_failed() -> None:
    line = terminal.progress_line(
        7, 199, "CreateVirtualMFADevice", "vmfa.create.invalid.rejected [path.length.min]", "3 FAIL", 50
    )
    assert line == "[  7/199] CreateVirtualMFADevice · vmfa.… · 3 FAIL" and len(line) <= 50
    assert terminal.failing_so_far({Verdict.FAIL: 3, Verdict.ERROR: 1}, None) == "3 FAIL, 1 ERROR"
    assert terminal.failing_so_far({Verdict.FAIL: 3}, {"EXPECTED_FAILURE": 3}) == "0 unexpected, 3 expected"
