"""What needs attention in a run, as lines of the terminal's summary (`reports.terminal`).

Without an expectations file, every FAIL, ERROR, DEVIATION and NOT_IMPLEMENTED, grouped by operation
(in run order), then check, the most urgent verdict first; with one, only what it does not expect, what
it lists that passes now, and the entries no result judged. Several cases of one check with one verdict
are one line unless ``verbose``; the details are in the report. INFO results are counted (``verbose``:
listed).

Every text here that came from the endpoint is made printable (`flat`): a control character is spelled
out, never sent to the terminal to act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from reports.expectations import Expectations, unjudged_entries
from reports.model import CheckResult, Expectation, RunResult, Verdict
from reports.text import clip, printable

__all__ = ["ATTENTION", "Line", "attention_lines", "expectation_lines", "flat", "info_lines"]

# Verdicts that need attention without an expectations file, most urgent first.
ATTENTION = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)
_STYLES = {
    Verdict.FAIL: "red",
    Verdict.ERROR: "red",
    Verdict.DEVIATION: "yellow",
    Verdict.NOT_IMPLEMENTED: "yellow",
    Verdict.PASS: "green",
}
_NOT_RUN_LISTED = 5  # more entries not run than this (a run filtered with -k) are counted, not listed
_CASES_SHOWN = 4  # cases named on a folded line before "…"


@dataclass(frozen=True)
class Line:
    """One line of the summary; ``style`` is a colour (red, yellow, green) or bold, or None."""

    text: str
    style: str | None = None


def attention_lines(
    results: Sequence[CheckResult], verbose: bool, width: int, *, heading: str = ""
) -> list[Line]:
    """Results grouped by operation (in run order), then check, verdict first by urgency."""
    if not results:
        return [Line("  needs attention: nothing" + (" unexpected" if heading else ""), "green")]
    lines = [Line(f"  needs attention{heading}, by operation:")]
    order = {operation: index for index, operation in reversed(list(enumerate(r.operation for r in results)))}
    by_operation = sorted(results, key=lambda r: order[r.operation])
    for operation, in_operation in groupby(by_operation, key=lambda r: r.operation):
        lines.append(Line(f"    {operation}", "bold"))
        chosen = sorted(in_operation, key=lambda r: (_urgency(r.verdict), r.check))
        for (verdict, _check), group in groupby(chosen, key=lambda r: (r.verdict, r.check)):
            lines += _result_lines(list(group), verbose, width, _STYLES.get(verdict))
    return lines


def _urgency(verdict: Verdict) -> int:
    return ATTENTION.index(verdict) if verdict in ATTENTION else len(ATTENTION)


def _result_lines(results: list[CheckResult], verbose: bool, width: int, style: str | None) -> list[Line]:
    """One line per result, or one for several cases of a check (``verbose``: always one per result)."""
    if verbose or len(results) == 1:
        return [Line(clip(f"      {r.verdict} {_one_line(r)}{_listed(r)}", width), style) for r in results]
    first = results[0]
    cases = [printable(r.case or "") for r in results]
    named = ", ".join(cases[:_CASES_SHOWN]) + (", …" if len(cases) > _CASES_SHOWN else "")
    text = f"      {first.verdict} {first.check} ({len(results)} cases: {named}): {_observed(first)}"
    return [Line(clip(text, width), style)]


def info_lines(run: RunResult, verbose: bool, width: int) -> list[Line]:
    infos = [r for r in run.results if r.verdict is Verdict.INFO and r.expectation is None]
    if not infos:
        return []
    if not verbose:
        return [
            Line(f"  INFO: {len(infos)} (the spec is silent or contradicts itself; see the report, or -v)")
        ]
    lines = [Line("  INFO (the spec is silent or contradicts itself):")]
    lines += [Line(clip(f"      INFO {_one_line(r)}", width)) for r in sorted(infos, key=lambda r: r.check)]
    return lines


def expectation_lines(
    run: RunResult, expectations: Expectations | None, verbose: bool, width: int
) -> list[Line]:
    def having(kind: Expectation) -> list[CheckResult]:
        return [result for result in run.results if result.expectation is kind]

    expected, unexpected = having(Expectation.EXPECTED_FAILURE), having(Expectation.UNEXPECTED_FAILURE)
    passing = having(Expectation.UNEXPECTED_PASS)
    lines = [
        Line(
            f"  judged against {run.expectations}: expected failures {len(expected)} (counted, not listed), "
            f"unexpected failures {len(unexpected)}, unexpected passes {len(passing)}"
        )
    ]
    lines += attention_lines(unexpected, verbose, width, heading=f" (not expected by {run.expectations})")
    if passing:
        lines.append(
            Line(f"  UNEXPECTED PASS (listed in {run.expectations}, but {_verdicts(passing)} now)", "yellow")
        )
        lines += [
            Line(clip(f"    {result.verdict} {_name(result.check, result.case)}" + _listed(result), width))
            for result in passing
        ]
        lines.append(
            Line(
                f"    hint: remove these from {run.expectations}, "
                f"or rewrite it from this run with --write-expectations {run.expectations}"
            )
        )
    if expectations is not None:
        lines += _unjudged_lines(run, expectations)
    return lines


def _unjudged_lines(run: RunResult, expectations: Expectations) -> list[Line]:
    """Listed entries no result judged: each one skipped, and those not run (one line when many)."""
    unjudged = unjudged_entries(run, expectations)
    if not unjudged:
        return []
    lines = [Line(f"  listed in {run.expectations} but not judged in this run:")]
    lines += [
        Line(f"    {_name(item.entry.check, item.entry.case)}: skipped")
        for item in unjudged
        if item.why == "skipped"
    ]
    not_run = [item for item in unjudged if item.why == "not run"]
    if len(not_run) > _NOT_RUN_LISTED:
        lines.append(
            Line(f"    {len(not_run)} entries not run (filtered out with -k, or no such case any more)")
        )
    else:
        lines += [Line(f"    {_name(item.entry.check, item.entry.case)}: not run") for item in not_run]
    return lines


def _listed(result: CheckResult) -> str:
    return f" (listed: {flat(result.expectation_reason)})" if result.expectation_reason else ""


def _verdicts(results: Iterable[CheckResult]) -> str:
    return " or ".join(sorted({str(result.verdict) for result in results}))


def _name(check: str, case: str | None) -> str:
    return f"{check} [{printable(case)}]" if case else check


def _observed(result: CheckResult) -> str:
    """What the check saw: the received value for a miss, else the message's first line or the title."""
    text = result.observed or (result.message.splitlines()[0] if result.message else result.title)
    return flat(text)


def _one_line(result: CheckResult) -> str:
    return f"{_name(result.check, result.case)}: {_observed(result)}"


def flat(text: str) -> str:
    """One printable line: line breaks become `` / ``, control characters are spelled out."""
    return printable(" / ".join(part.strip() for part in text.splitlines() if part.strip()))
