"""Upstream-ready findings: one implementation's failures as Markdown a maintainer can paste into an
issue of their tracker.

Each failing check (FAIL, DEVIATION, ERROR that names the endpoint) comes with the clause it tests, the
evidence it rests on (the model, the API reference, or what real AWS was recorded answering), what was
expected and what came back, the minimal input Hypothesis found, and the reproduction. Results that
share a check and a finding are shown once, their cases listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from reports.matrix import target_label
from reports.model import CheckResult, RunResult, Verdict

__all__ = ["render"]

_REPORTED = (Verdict.FAIL, Verdict.DEVIATION, Verdict.ERROR)
_ENDPOINT = "ENDPOINT_URL"
_EVIDENCE_WORDS = {
    "model": "the AWS service model (botocore)",
    "documented": "the IAM API reference",
    "observed": "real AWS, as recorded",
    "none": "nothing: the documents are silent",
}


def _fence(text: str) -> str:
    return "```\n" + text.replace("```", "'''") + "\n```"


def _finding(results: Sequence[CheckResult]) -> list[str]:
    first = results[0]
    cases = [result.case for result in results if result.case]
    lines = [
        f"### `{first.check}` ({first.verdict}): {first.title}",
        "",
        f"- Operation: {first.operation}",
        f"- Clause: {first.clause}",
        f"- Evidence: {_EVIDENCE_WORDS.get(str(first.evidence), str(first.evidence))}",
    ]
    if cases:
        lines.append(f"- Cases: {', '.join(cases)}")
    if first.expected is not None:
        lines += [f"- Expected: {first.expected}", f"- Received: {first.observed}"]
    elif first.message:
        lines.append(f"- What happened: {first.message.splitlines()[0]}")
    if first.counterexample:
        lines += ["", "Minimal input:", "", _fence(first.counterexample)]
    if first.reproduction:
        lines += ["", "Reproduction:", "", _fence(first.reproduction)]
    return [*lines, ""]


def render(run: RunResult) -> str:
    """The findings of ``run``, most severe first, one section per check and finding."""
    failing = sorted(
        (result for result in run.results if result.verdict in _REPORTED),
        key=lambda result: (_REPORTED.index(result.verdict), result.check),
    )
    label = target_label(run.target)
    where = (
        f" Reproductions send to `{_ENDPOINT}`: set it to where your endpoint listens."
        if run.target.url
        else ""
    )
    lines = [
        f"# {label}: findings of the IAM virtual MFA conformance suite",
        "",
        f"Suite {run.suite_version}, model {run.model_version}, profile {run.profile}, "
        f"seed {run.seed}.{where}",
        f"{len(failing)} results need attention: "
        + ", ".join(f"{sum(r.verdict is v for r in failing)} {v}" for v in _REPORTED)
        + ".",
        "",
    ]
    if not failing:
        return "\n".join([*lines, "Nothing to report: every judged check passed.", ""])

    def same_finding(result: CheckResult) -> tuple[str, str, str]:
        return result.check, str(result.verdict), result.observed or result.message.splitlines()[0]

    for _, group in groupby(failing, key=same_finding):
        lines += _finding(list(group))
    text = "\n".join(lines)
    # The run's endpoint listened on a port of that run's own: a maintainer's is elsewhere.
    return text.replace(repr(run.target.url), _ENDPOINT) if run.target.url else text
