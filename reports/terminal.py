"""What the terminal says about a run: the summary printed last, and the progress line while it goes.

The summary is the suite's own account of the run, the last thing on screen, so that it never
disagrees with the report or the exit code: the counts by verdict, the score, what needs attention
grouped by operation, how the results compare with an expectations file, the reproduce line, where
the report is, then any closing facts the run hands over (leftovers, an interruption), and last one line
with the score and why the exit code is what it is.

What needs attention: without an expectations file, every FAIL, ERROR, DEVIATION and NOT_IMPLEMENTED;
with one, only what it does not expect (it fails the run) and what it lists that passes now (the file
wants updating). Expected failures are counted, not listed. Those lines are drawn by
`reports.terminal_attention`; this module puts the summary together and writes its first and last lines.

Every text here that came from the endpoint is made printable (`reports.text.printable`): a control
character is spelled out, never sent to the terminal to act on. Lines carry a style (a colour name) that
the caller may apply or drop (``NO_COLOR``, not a terminal): nothing here writes escape codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from reports.expectations import Expectations
from reports.leftovers import ending_lines, interrupted_line, leftovers_line
from reports.model import Expectation, RunResult, Verdict
from reports.score import JUDGED, format_score
from reports.terminal_attention import ATTENTION, Line, attention_lines, expectation_lines, flat, info_lines

__all__ = ["Line", "exit_reason", "failing_so_far", "final_line", "progress_line", "render", "summary_lines"]

WIDTH = 120  # lines listing results are clipped to about this (the caller passes the terminal's width)


def render(run: RunResult, expectations: Expectations | None = None, **options: Any) -> str:
    """`summary_lines` as plain text (for files, tests, and a terminal without colour)."""
    return "".join(line.text + "\n" for line in summary_lines(run, expectations, **options))


def summary_lines(
    run: RunResult,
    expectations: Expectations | None = None,
    *,
    report_dir: str | None = None,
    report_error: str | None = None,
    closing: Iterable[str] = (),
    exit_code: int | None = None,
    why: str | None = None,
    verbose: bool = False,
    width: int = WIDTH,
) -> list[Line]:
    """The summary, top to bottom. ``expectations``, when given, adds the entries that no result judged
    (filtered out, skipped). ``report_dir``: where the report was written (``report_error``: why it was
    not). ``closing``: facts the run hands over, shown just above the last line. ``exit_code`` (with
    ``why``, for a code this module does not explain): the last line says it; without it there is none."""
    counts = run.counts()
    width = max(width, 60)
    lines = [
        Line(_title(run), "bold"),
        Line("  verdicts: " + ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in Verdict)),
        Line(f"  score: {_score_text(run)}"),
    ]
    if not run.complete and not run.interrupted:  # an interrupted run says so in its last lines
        lines.append(Line("  INCOMPLETE: the run ended before every check was run", "red"))
    lines += [Line(f"  NOTE: {flat(note)}", "yellow") for note in run.notes]
    if run.expectations is not None:
        lines += expectation_lines(run, expectations, verbose, width)
    else:
        lines += attention_lines([r for r in run.results if r.verdict in ATTENTION], verbose, width)
    lines += info_lines(run, verbose, width)
    waits = run.consistency
    if waits is not None and waits.patience_s > 0:
        lines.append(
            Line(
                f"  eventual consistency: {waits.reads_polled} reads polled in {waits.waits} waits"
                f" (longest {waits.longest_s:g} s"
                f" of {waits.patience_s:g} s patience, {waits.waited_s:g} s in all),"
                f" {waits.reads_unsettled} never settled"
            )
        )
    if run.seed is not None:
        lines.append(Line(f"  reproduce: {_command(run)}"))
    if report_error:
        lines.append(Line(f"  report: NOT written: {flat(report_error)}", "red"))
    elif report_dir is not None:
        lines.append(
            Line(f"  report: {report_dir.rstrip('/')}/ (report.html, report.md, results.json, junit.xml)")
        )
    # Last, where a reader looks first: whether the run was cut short, and what it left behind.
    ending = ending_lines(run.interrupted, run.complete, run.leftovers)
    lines += [Line(f"  {line}", "red") for line in ending]
    lines += [Line(f"  {flat(fact)}", "yellow") for fact in closing]
    if exit_code is not None:
        lines.append(Line(final_line(run, exit_code, why), "green" if exit_code == 0 else "red"))
    return lines


def final_line(run: RunResult, exit_code: int, why: str | None = None) -> str:
    """``score 35.8 % · exit 0: ...``: the last line of a run."""
    return f"score {_score(run)} · exit {exit_code}: {why or exit_reason(run, exit_code)}"


def exit_reason(run: RunResult, exit_code: int) -> str:
    """Why a run ends with ``exit_code``, in the words of the README's table of exit codes."""
    counts = run.counts()
    if exit_code not in (0, 1):
        if run.leftovers:  # what must be removed by hand first, whatever else happened
            return leftovers_line(run.leftovers)
        if run.interrupted:
            return interrupted_line(run.interrupted, run.complete)
        if not run.complete:
            return "the run was interrupted; the report holds the results so far"
        return "the run could not be completed (see above)"
    if run.expectations is not None:
        expected = sum(1 for r in run.results if r.expectation is Expectation.EXPECTED_FAILURE)
        unexpected = sum(1 for r in run.results if r.expectation is Expectation.UNEXPECTED_FAILURE)
        if exit_code == 1:
            listed = f"not listed in {run.expectations} with that verdict"
            return f"{_plural(unexpected, 'unexpected failure')} ({listed})"
        if expected:
            return f"nothing unexpected ({_plural(expected, 'failure')}, each listed in {run.expectations})"
        return f"nothing unexpected against {run.expectations}"
    failing = f"{counts.get(Verdict.FAIL, 0)} FAIL, {counts.get(Verdict.ERROR, 0)} ERROR"
    if exit_code == 1:
        return f"{failing} (FAIL and ERROR fail a run)"
    lesser = [f"{counts[v]} {v}" for v in (Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED) if counts.get(v)]
    if lesser:
        return f"no FAIL or ERROR ({', '.join(lesser)} reported, not failing a run)"
    return "no FAIL or ERROR"


def progress_line(
    done: int, total: int, operation: str | None, current: str | None, tally: str, width: int
) -> str:
    """``[ 37/199] CreateVirtualMFADevice · vmfa.create.qr.png · 3 FAIL``, at most ``width`` characters:
    ``tally`` (what failed so far) is kept whole, the operation and check are cut to fit."""
    digits = len(str(total))
    where = " · ".join(part for part in (operation, current) if part)
    text = f"[{done:>{digits}}/{total}]" + (f" {where}" if where else "")
    suffix = f" · {tally}" if tally else ""
    if len(text) + len(suffix) > width:
        text = text[: max(width - len(suffix) - 1, 0)] + "…"
    return text + suffix


def failing_so_far(tally: Mapping[Verdict, int], expectations: Mapping[str, int] | None) -> str:
    """What the status shows: ``3 FAIL, 1 ERROR``; with an expectations file, ``2 unexpected, 40 expected``
    (``expectations``: the results so far by `Expectation` name)."""
    if expectations is not None:
        unexpected = expectations.get(Expectation.UNEXPECTED_FAILURE, 0)
        return f"{unexpected} unexpected, {expectations.get(Expectation.EXPECTED_FAILURE, 0)} expected"
    return ", ".join(
        f"{tally[verdict]} {verdict}" for verdict in (Verdict.FAIL, Verdict.ERROR) if tally.get(verdict)
    )


def _title(run: RunResult) -> str:
    target = run.target.label or run.target.name + (f" {run.target.version}" if run.target.version else "")
    where = f" at {run.target.url}" if run.target.url else ""
    facts = [f"profile {run.profile}"]
    took = _duration(run)
    if took is not None:
        facts.append(took)
    # What api_calls holds besides the checks' own requests: the preflight, requests sent again.
    apart = [f"{run.preflight_calls} preflight"] if run.preflight_calls else []
    apart += [f"{run.throttled_retries} throttled and sent again"] if run.throttled_retries else []
    apart += [f"{run.fault_retries} sent again after a fault"] if run.fault_retries else []
    facts.append(f"{run.api_calls} API calls" + (f": {', '.join(apart)}" if apart else ""))
    return f"IAM virtual MFA conformance: {target}{where} ({', '.join(facts)})"


def _duration(run: RunResult) -> str | None:
    try:
        seconds = (datetime.fromisoformat(run.finished) - datetime.fromisoformat(run.started)).total_seconds()
    except ValueError:
        return None
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _score(run: RunResult) -> str:
    return format_score(run.counts())


def _score_text(run: RunResult) -> str:
    counts = run.counts()
    judged = sum(counts.get(verdict, 0) for verdict in JUDGED)
    if not judged:
        return "— (nothing was judged)"
    passed = counts.get(Verdict.PASS, 0)
    return f"{format_score(counts)} ({passed} PASS of {judged} judged; INFO and SKIP left out)"


def _command(run: RunResult) -> str:
    target = f"--target {run.target.name}"
    if run.target.name == "url" and run.target.url:
        target += f" --endpoint-url {run.target.url}"
    command = (
        f"iam-conformance run {target} --region {run.target.region} --profile {run.profile} --seed {run.seed}"
    )
    return command + (f" --expectations {run.expectations}" if run.expectations else "")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
