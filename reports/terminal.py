"""The short summary printed at the end of every run: counts per verdict, then what needs attention.

When the run was judged against an expectations file, expected failures are counted, not listed:
what needs attention is what the file does not expect (it fails the run) and what it lists that
passes now (the file wants updating).
"""

from __future__ import annotations

from itertools import groupby

from reports.expectations import Expectations, unjudged_entries
from reports.leftovers import ending_lines
from reports.model import CheckResult, Expectation, RunResult, Verdict

__all__ = ["render"]

# Verdicts listed one by one under the counts, most urgent first.
_LISTED = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED, Verdict.INFO)
_NOT_RUN_LISTED = 5  # more entries not run than this (a run filtered with -k) are counted, not listed


def render(run: RunResult, expectations: Expectations | None = None) -> str:
    """``expectations``, when given, adds the entries that no result judged (filtered out, skipped)."""
    counts = run.counts()
    target = run.target.label or run.target.name + (f" {run.target.version}" if run.target.version else "")
    where = f" at {run.target.url}" if run.target.url else ""
    lines = [
        f"IAM virtual MFA conformance: {target}{where} (profile {run.profile}, {run.api_calls} API calls"
        + _requests_apart(run)
        + ")",
        "  " + ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in Verdict),
    ]
    if not run.complete and not run.interrupted:  # an interrupted run says so in its last lines
        lines.append("  INCOMPLETE: the run ended before every check was run")
    lines += [f"  NOTE: {note}" for note in run.notes]
    if run.expectations is not None:
        lines += _expectation_lines(run, expectations)
    for verdict in _LISTED:
        chosen = sorted(
            (r for r in run.results if r.verdict is verdict and r.expectation is None),
            key=lambda r: (r.clause, r.check),
        )
        for clause, results in groupby(chosen, key=lambda r: r.clause):
            lines.append(f"  {verdict} [{clause}]")
            lines.extend(f"    {_one_line(result)}" for result in results)
    waits = run.consistency
    if waits is not None and waits.patience_s > 0:
        lines.append(
            f"  eventual consistency: {waits.reads_polled} reads polled (longest {waits.longest_s:g} s"
            f" of {waits.patience_s:g} s patience, {waits.waited_s:g} s in all),"
            f" {waits.reads_unsettled} never settled"
        )
    if run.seed is not None:
        lines.append(f"  reproduce: {_command(run)}")
    # Last, where a reader looks first: whether the run was cut short, and what it left behind.
    lines += [f"  {line}" for line in ending_lines(run.interrupted, run.complete, run.leftovers)]
    return "\n".join(lines) + "\n"


def _requests_apart(run: RunResult) -> str:
    """What api_calls holds besides the checks' own requests: the preflight, throttled requests resent."""
    parts = [f"{run.preflight_calls} preflight"] if run.preflight_calls else []
    parts += [f"{run.throttled_retries} throttled and sent again"] if run.throttled_retries else []
    parts += [f"{run.fault_retries} sent again after a fault"] if run.fault_retries else []
    return f": {', '.join(parts)}" if parts else ""


def _expectation_lines(run: RunResult, expectations: Expectations | None) -> list[str]:
    def having(kind: Expectation) -> list[CheckResult]:
        return [result for result in run.results if result.expectation is kind]

    expected, unexpected = having(Expectation.EXPECTED_FAILURE), having(Expectation.UNEXPECTED_FAILURE)
    passing = having(Expectation.UNEXPECTED_PASS)
    lines = [
        f"  judged against {run.expectations}: expected failures {len(expected)} (counted, not listed), "
        f"unexpected failures {len(unexpected)}, unexpected passes {len(passing)}"
    ]
    if unexpected:
        lines.append(f"  UNEXPECTED FAILURE (not in {run.expectations} with this verdict: fails the run)")
        lines += [f"    {result.verdict} {_one_line(result)}" + _listed(result) for result in unexpected]
    if passing:
        lines.append(f"  UNEXPECTED PASS (listed in {run.expectations}, but {_verdicts(passing)} now)")
        lines += [
            f"    {result.verdict} {_name(result.check, result.case)}" + _listed(result) for result in passing
        ]
        lines.append(
            f"    hint: remove these from {run.expectations}, "
            f"or rewrite it from this run with --write-expectations {run.expectations}"
        )
    if expectations is not None:
        lines += _unjudged_lines(run, expectations)
    return lines


def _unjudged_lines(run: RunResult, expectations: Expectations) -> list[str]:
    """Listed entries no result judged: each one skipped, and those not run (one line when many)."""
    unjudged = unjudged_entries(run, expectations)
    if not unjudged:
        return []
    lines = [f"  listed in {run.expectations} but not judged in this run:"]
    lines += [
        f"    {_name(item.entry.check, item.entry.case)}: skipped"
        for item in unjudged
        if item.why == "skipped"
    ]
    not_run = [item for item in unjudged if item.why == "not run"]
    if len(not_run) > _NOT_RUN_LISTED:
        lines.append(f"    {len(not_run)} entries not run (filtered out with -k, or no such case any more)")
    else:
        lines += [f"    {_name(item.entry.check, item.entry.case)}: not run" for item in not_run]
    return lines


def _listed(result: CheckResult) -> str:
    return f" (listed: {result.expectation_reason})" if result.expectation_reason else ""


def _verdicts(results: list[CheckResult]) -> str:
    return " or ".join(sorted({str(result.verdict) for result in results}))


def _name(check: str, case: str | None) -> str:
    return f"{check} [{case}]" if case else check


def _command(run: RunResult) -> str:
    target = f"--target {run.target.name}"
    if run.target.name == "url" and run.target.url:
        target += f" --endpoint-url {run.target.url}"
    command = (
        f"iam-conformance run {target} --region {run.target.region} --profile {run.profile} --seed {run.seed}"
    )
    return command + (f" --expectations {run.expectations}" if run.expectations else "")


def _one_line(result: CheckResult) -> str:
    """The check and what it saw: the received value for a miss, else the message or the title."""
    text = result.observed or (result.message.splitlines()[0] if result.message else result.title)
    case = f" [{result.case}]" if result.case else ""
    return f"{result.check}{case}: {text}"
