"""Compare two runs: what got worse, what got better, which checks came and went.

Made for a pull request, to an implementation or to this suite: run before and after, then
``iam-conformance compare OLD.json NEW.json`` exits 1 when anything regressed. Results are matched by
check id and case, which are stable across releases.

Verdicts are ranked from best to worst::

    PASS < INFO < DEVIATION < NOT_IMPLEMENTED < FAIL < ERROR

- PASS: the rule holds.
- INFO: behaviour recorded where the spec is silent or contradicts itself; nothing is broken, but
  nothing is promised either.
- DEVIATION: within the model and the documentation, but not what real AWS was seen to do: a client
  written against AWS may notice.
- NOT_IMPLEMENTED: the operation is missing. Every call fails loudly, which a client can detect.
- FAIL: the endpoint answers, against the model or the documentation: silently wrong is worse than
  absent.
- ERROR: the suite could not judge at all. It is never a pass, and a result that falls to it has lost
  its coverage, so it ranks last.

SKIP is "not judged" and has no rank. A regression is a result that ranks worse than before and is
not a pass (PASS or INFO) now; a fix is the reverse. Moves between PASS and INFO (a check on a silent
spec can land on either with the inputs drawn), and moves from or to SKIP, are listed as other changes
and decide nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reports.model import CheckResult, RunResult, Verdict

__all__ = [
    "COMPARISON_SCHEMA",
    "RANK",
    "Change",
    "Comparison",
    "compare",
    "render_json",
    "render_markdown",
    "render_text",
]

COMPARISON_SCHEMA = "iam-conformance/comparison/1"

RANK = {
    verdict: rank
    for rank, verdict in enumerate(
        (Verdict.PASS, Verdict.INFO, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED, Verdict.FAIL, Verdict.ERROR)
    )
}
_PASSING = (Verdict.PASS, Verdict.INFO)

Key = tuple[str, str | None]


@dataclass(frozen=True)
class Change:
    check: str
    case: str | None
    old: Verdict | None  # None: the old run has no such result
    new: Verdict | None  # None: the new run has no such result

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "case": self.case,
            "old": None if self.old is None else str(self.old),
            "new": None if self.new is None else str(self.new),
        }

    def describe(self) -> str:
        name = f"{self.check} [{self.case}]" if self.case is not None else self.check
        if self.old is None:
            return f"{name}: {self.new}"
        if self.new is None:
            return f"{name}: was {self.old}"
        return f"{name}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class Comparison:
    old_run: str  # one line on each run: target, profile, when
    new_run: str
    notes: tuple[str, ...]  # why the two runs may not be comparable (other target, model, profile)
    regressions: tuple[Change, ...]
    fixes: tuple[Change, ...]
    other_changes: tuple[Change, ...]
    new_results: tuple[Change, ...]
    removed_results: tuple[Change, ...]
    unchanged: tuple[tuple[Verdict, int], ...]  # how many results kept each verdict

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)


def compare(old: RunResult, new: RunResult) -> Comparison:
    before, after = _verdicts(old), _verdicts(new)
    changes = [Change(*key, before[key], after[key]) for key in _sorted(before.keys() & after.keys())]
    moved = [change for change in changes if change.old is not change.new]
    unchanged = Counter(change.old for change in changes if change.old is change.new and change.old)
    return Comparison(
        old_run=_describe_run(old),
        new_run=_describe_run(new),
        notes=_notes(old, new),
        regressions=tuple(c for c in moved if _is_regression(c)),
        fixes=tuple(c for c in moved if _is_regression(_swap(c))),
        other_changes=tuple(c for c in moved if not _is_regression(c) and not _is_regression(_swap(c))),
        new_results=tuple(Change(*key, None, after[key]) for key in _sorted(after.keys() - before.keys())),
        removed_results=tuple(
            Change(*key, before[key], None) for key in _sorted(before.keys() - after.keys())
        ),
        unchanged=tuple((verdict, unchanged[verdict]) for verdict in Verdict if unchanged[verdict]),
    )


def _verdicts(run: RunResult) -> dict[Key, Verdict]:
    """The verdict of each (check, case); should a run hold one twice, the worse one counts."""
    found: dict[Key, Verdict] = {}
    for result in run.results:
        key = (result.check, result.case)
        if key not in found or _worse(result, found[key]):
            found[key] = result.verdict
    return found


def _worse(result: CheckResult, than: Verdict) -> bool:
    return RANK.get(result.verdict, -1) > RANK.get(than, -1)


def _sorted(keys: set[Key]) -> list[Key]:
    return sorted(keys, key=lambda key: (key[0], key[1] is not None, key[1] or ""))


def _swap(change: Change) -> Change:
    return Change(change.check, change.case, change.new, change.old)


def _is_regression(change: Change) -> bool:
    if change.old not in RANK or change.new not in RANK or change.new in _PASSING:
        return False  # SKIP on either side is not judged; a pass is never a regression
    return RANK[change.new] > RANK[change.old]


def _describe_run(run: RunResult) -> str:
    return f"{_target(run)}, profile {run.profile}, suite {run.suite_version}, finished {run.finished}"


def _target(run: RunResult) -> str:
    if run.target.label:  # the product, as the run names it
        return run.target.label
    target = run.target.name + (f" {run.target.version}" if run.target.version else "")
    return target + (f" {run.target.url}" if run.target.name == "url" and run.target.url else "")


def _notes(old: RunResult, new: RunResult) -> tuple[str, ...]:
    notes = []
    if _target(old) != _target(new):
        notes.append(f"the runs are against different targets: {_target(old)} / {_target(new)}")
    if old.model_version != new.model_version:
        notes.append(f"different service models: {old.model_version} / {new.model_version}")
    if old.suite_version != new.suite_version:
        notes.append(
            f"different suite versions (checks may differ): {old.suite_version} / {new.suite_version}"
        )
    if old.profile != new.profile:
        notes.append(f"different profiles (inputs drawn differ): {old.profile} / {new.profile}")
    return tuple(notes)


_SECTIONS = (
    ("regressions", "regressed"),
    ("fixes", "fixed"),
    ("new_results", "new"),
    ("removed_results", "removed"),
    ("other_changes", "other changes (PASS <-> INFO, or not judged on one side)"),
)


def render_text(comparison: Comparison) -> str:
    lines = [f"old: {comparison.old_run}", f"new: {comparison.new_run}"]
    lines += [f"note: {note}" for note in comparison.notes]
    for attribute, title in _SECTIONS:
        changes: tuple[Change, ...] = getattr(comparison, attribute)
        if changes:
            lines.append(f"{len(changes)} {title}:")
            lines += [f"  {change.describe()}" for change in changes]
    lines.append(f"unchanged: {_counts(comparison)}")
    lines.append(_conclusion(comparison))
    return "\n".join(lines) + "\n"


def render_markdown(comparison: Comparison) -> str:
    lines = [
        "## IAM conformance: comparison",
        "",
        f"- old: {comparison.old_run}",
        f"- new: {comparison.new_run}",
    ]
    lines += [f"- **note**: {note}" for note in comparison.notes]
    for attribute, title in _SECTIONS:
        changes: tuple[Change, ...] = getattr(comparison, attribute)
        if changes:
            lines += [
                "",
                f"### {len(changes)} {title}",
                "",
                "| check | case | old | new |",
                "| --- | --- | --- | --- |",
            ]
            lines += [_markdown_row(change) for change in changes]
    lines += ["", f"Unchanged: {_counts(comparison)}.", "", f"**{_conclusion(comparison)}**"]
    return "\n".join(lines) + "\n"


def render_json(comparison: Comparison) -> str:
    """The comparison for a machine: every group of changes, the unchanged counts, and the conclusion."""
    document: dict[str, Any] = {
        "schema": COMPARISON_SCHEMA,
        "old_run": comparison.old_run,
        "new_run": comparison.new_run,
        "notes": list(comparison.notes),
        "regressed": comparison.regressed,
    }
    for attribute, _ in _SECTIONS:
        changes: tuple[Change, ...] = getattr(comparison, attribute)
        document[attribute] = [change.to_json() for change in changes]
    document["unchanged"] = {str(verdict): count for verdict, count in comparison.unchanged}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _markdown_row(change: Change) -> str:
    cells = [f"`{change.check}`", change.case or "", str(change.old or "—"), str(change.new or "—")]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _counts(comparison: Comparison) -> str:
    return ", ".join(f"{count} {verdict}" for verdict, count in comparison.unchanged) or "nothing"


def _conclusion(comparison: Comparison) -> str:
    if comparison.regressed:
        return f"REGRESSED: {len(comparison.regressions)} result(s) got worse"
    return "no regression"
