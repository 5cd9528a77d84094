"""Write an expectations file from a run, so that a new implementation's file is one command away.

The file lists every result the run did not pass (FAIL, ERROR, DEVIATION, NOT_IMPLEMENTED), sorted by
check and case, one ``[[expected]]`` table each in a fixed key order, so that regenerating it gives a
clean diff. Reasons are what maintainers write; the suite cannot know them. So a reason is carried
over from the file being rewritten (same check, case and verdict), or from the run itself when it was
judged against a file; otherwise it is a ``TODO`` placeholder quoting what the check received, to be
replaced before the file is committed. Comments in a rewritten file are not kept.

Values are formatted by tomli-w (TOML string escaping); the table layout is fixed here, because
tomli-w picks inline or ``[[...]]`` tables by line length, which would make diffs jump.
"""

from __future__ import annotations

from pathlib import Path

import tomli_w

from reports.expectations import EXPECTABLE, Entry, Expectations
from reports.model import CheckResult, Expectation, RunResult, write_atomically

__all__ = ["TODO_PREFIX", "expectations_from_run", "render_expectations", "write_expectations"]

TODO_PREFIX = "TODO: say why"
_SEEN_MAX = 160  # characters of the received text quoted in a placeholder reason

_HEADER = """\
# Expected results of the IAM virtual MFA conformance suite for one implementation.
# Use: iam-conformance run --expectations FILE   (exit 1 only on what is not listed here)
# Rewrite from a run: iam-conformance run --write-expectations FILE (reasons are kept; comments are not)
"""


def expectations_from_run(run: RunResult, source: str, previous: Expectations | None = None) -> Expectations:
    """Every result of ``run`` that did not pass, with the best reason at hand (see the module doc)."""
    kept = previous.by_key() if previous is not None else {}
    entries: dict[tuple[str, str | None], Entry] = {}
    for result in run.results:
        if result.verdict not in EXPECTABLE:
            continue
        key = (result.check, result.case)
        before = kept.get(key)
        url = before.url if before is not None and before.verdict is result.verdict else None
        entries[key] = Entry(result.check, result.verdict, _reason(result, before), result.case, url)
    ordered = sorted(entries.values(), key=lambda e: (e.check, e.case is not None, e.case or ""))
    return Expectations(
        source=source,
        entries=tuple(ordered),
        implementation=(previous.implementation if previous else None) or _product(run)[0],
        version=_product(run)[1] or (previous.version if previous else None),
    )


def _product(run: RunResult) -> tuple[str, str | None]:
    """The implementation and its version: from the run's label ("MiniStack 1.5.33") where it has one,
    else the target's name and version."""
    label, version = run.target.label, run.target.version
    if label:
        product, _, tail = label.rpartition(" ")
        if product and (version is None or tail == version):
            return product, tail
        return label, version
    return run.target.name, version


def _reason(result: CheckResult, previous: Entry | None) -> str:
    if previous is not None and previous.verdict is result.verdict:
        return previous.reason
    if result.expectation is Expectation.EXPECTED_FAILURE and result.expectation_reason:
        return result.expectation_reason
    seen = _first_line(result.observed) or _first_line(result.message) or result.title
    if len(seen) > _SEEN_MAX:
        seen = seen[: _SEEN_MAX - 1] + "…"
    return f"{TODO_PREFIX} (received: {seen})" if seen else TODO_PREFIX


def _first_line(text: str | None) -> str:
    return text.strip().splitlines()[0] if text and text.strip() else ""


def render_expectations(expectations: Expectations) -> str:
    header = {"implementation": expectations.implementation, "version": expectations.version}
    notes = tomli_w.dumps({key: value for key, value in header.items() if value is not None})
    parts = [_HEADER + ("\n" + notes if notes else "")]
    for entry in expectations.entries:
        fields = {
            "check": entry.check,
            "case": entry.case,
            "verdict": str(entry.verdict),
            "reason": entry.reason,
            "url": entry.url,
        }
        table = tomli_w.dumps({key: value for key, value in fields.items() if value is not None})
        parts.append("[[expected]]\n" + table)
    return "\n".join(parts)


def write_expectations(path: Path, expectations: Expectations) -> None:
    write_atomically(path, render_expectations(expectations))
