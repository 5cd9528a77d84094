"""The compatibility summary: one short table of implementations, for the top of the comparison.

Per implementation: its label (product and version), the conformance score, the verdict counts, the
passes per operation, and its biggest gaps (the operations with the most failing checks). The matrix
itself (`reports.matrix`, rendered by `reports.markdown` and `reports.html`) holds every row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from reports.matrix import target_label
from reports.model import RunResult, Verdict
from reports.score import JUDGED, format_score

__all__ = ["render"]

_FAILING = (Verdict.FAIL, Verdict.DEVIATION, Verdict.ERROR, Verdict.NOT_IMPLEMENTED)
_COLUMNS = (Verdict.PASS, Verdict.FAIL, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED, Verdict.ERROR)
_GAPS = 3


def _operations(runs: Sequence[RunResult]) -> list[str]:
    return sorted({result.operation for run in runs for result in run.results if "," not in result.operation})


def render(runs: Sequence[RunResult], durations: Sequence[float | None] = ()) -> str:
    """The summary table of ``runs`` (``durations``: each run's wall time in seconds, when known)."""
    operations = _operations(runs)
    lines = [
        "| implementation | score | " + " | ".join(map(str, _COLUMNS)) + " | run time | biggest gaps |",
        "| --- | ---: |" + " ---: |" * len(_COLUMNS) + " ---: | --- |",
    ]
    for index, run in enumerate(runs):
        counts = run.counts()
        failing = Counter(result.operation for result in run.results if result.verdict in _FAILING)
        gaps = ", ".join(f"{operation} ({count})" for operation, count in failing.most_common(_GAPS)) or "—"
        took = durations[index] if index < len(durations) else None
        cells = [
            target_label(run.target),
            format_score(counts),
            *(str(counts.get(verdict, 0)) for verdict in _COLUMNS),
            f"{took:.0f} s" if took is not None else "—",
            gaps,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Results passed per operation, of those judged (SKIP and INFO left out):", ""]
    lines.append("| operation | " + " | ".join(target_label(run.target) for run in runs) + " |")
    lines.append("| --- |" + " ---: |" * len(runs))
    for operation in operations:
        cells = []
        for run in runs:
            mine = [r for r in run.results if r.operation == operation and r.verdict in JUDGED]
            passed = sum(result.verdict is Verdict.PASS for result in mine)
            cells.append(f"{passed}/{len(mine)}" if mine else "—")
        lines.append(f"| {operation} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
