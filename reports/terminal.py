"""The short summary printed at the end of every run: counts per verdict, then what needs attention."""

from __future__ import annotations

from itertools import groupby

from reports.model import CheckResult, RunResult, Verdict

__all__ = ["render"]

# Verdicts listed one by one under the counts, most urgent first.
_LISTED = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED, Verdict.INFO)


def render(run: RunResult) -> str:
    counts = run.counts()
    target = run.target.name + (f" {run.target.version}" if run.target.version else "")
    where = f" at {run.target.url}" if run.target.url else ""
    lines = [
        f"IAM virtual MFA conformance: {target}{where} (profile {run.profile}, {run.api_calls} API calls)",
        "  " + ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in Verdict),
    ]
    for verdict in _LISTED:
        chosen = sorted((r for r in run.results if r.verdict is verdict), key=lambda r: (r.clause, r.check))
        for clause, results in groupby(chosen, key=lambda r: r.clause):
            lines.append(f"  {verdict} [{clause}]")
            lines.extend(f"    {_one_line(result)}" for result in results)
    waits = run.consistency
    if waits is not None and waits.patience_s > 0:
        lines.append(
            f"  eventual consistency: {waits.reads_polled} reads polled (longest {waits.longest_s:g} s"
            f" of {waits.patience_s:g} s patience), {waits.reads_unsettled} never settled"
        )
    if run.seed is not None:
        lines.append(f"  reproduce: {_command(run)}")
    return "\n".join(lines) + "\n"


def _command(run: RunResult) -> str:
    target = f"--target {run.target.name}"
    if run.target.name == "url" and run.target.url:
        target += f" --endpoint-url {run.target.url}"
    return (
        f"iam-conformance run {target} --region {run.target.region} --profile {run.profile} --seed {run.seed}"
    )


def _one_line(result: CheckResult) -> str:
    """The check and what it saw: the received value for a miss, else the message or the title."""
    text = result.observed or (result.message.splitlines()[0] if result.message else result.title)
    case = f" [{result.case}]" if result.case else ""
    return f"{result.check}{case}: {text}"
