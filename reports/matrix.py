"""Several runs side by side: which endpoint passes which check.

A compatibility report compares implementations (moto, LocalStack, an emulator of one's own, real
AWS), so the Markdown and HTML reports render a *matrix*: one column per run, one row per result,
a single run being a matrix of one column. The merge lives here, once, so that both formats show the
same rows in the same order.

A result is identified by ``(check, case)``. Should one run hold the same pair twice, the second is
kept as its own row (``#2``) rather than silently hiding the first. A row that a run lacks (another
suite version, a ``-k`` selection) is a missing cell: not run, which is not a verdict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reports.model import CheckResult, Evidence, RunResult, TargetInfo, Verdict

__all__ = ["Column", "Matrix", "Row", "build_matrix", "target_label"]

_Key = tuple[str, str | None, int]  # check, case, repeat: what identifies a row across runs


@dataclass(frozen=True)
class Column:
    """One run: its unique label (`target_label`, ``#2`` when taken), and the run for counts and metadata."""

    label: str
    run: RunResult

    @property
    def counts(self) -> Counter[Verdict]:
        return self.run.counts()


@dataclass(frozen=True)
class Row:
    """One (check, case) across every column; a cell is None where that run has no such result."""

    check: str
    case: str | None
    repeat: int  # 0, or n for the (n+1)-th result with the same check and case in one run
    operation: str
    clause: str
    evidence: Evidence
    title: str
    cells: tuple[CheckResult | None, ...]

    @property
    def name(self) -> str:
        """``check [case]``, as the terminal summary writes a result."""
        case = f" [{self.case}]" if self.case is not None else ""
        repeat = f" #{self.repeat + 1}" if self.repeat else ""
        return f"{self.check}{case}{repeat}"


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # sorted by operation, clause, check, case

    def by_operation(self) -> Iterator[tuple[str, list[tuple[str, list[Row]]]]]:
        """The rows grouped by operation, then by clause, both in sorted order."""
        operations: dict[str, dict[str, list[Row]]] = {}
        for row in self.rows:
            operations.setdefault(row.operation, {}).setdefault(row.clause, []).append(row)
        for operation, clauses in operations.items():
            yield operation, list(clauses.items())


def build_matrix(runs: Sequence[RunResult]) -> Matrix:
    """Merge runs (in the order given: the columns) into one matrix."""
    columns = tuple(Column(label, run) for label, run in zip(_labels(runs), runs, strict=True))
    cells: dict[_Key, list[CheckResult | None]] = {}
    for index, run in enumerate(runs):
        for key, result in _keyed(run):
            cells.setdefault(key, [None] * len(runs))[index] = result
    rows = sorted((_row(key[2], tuple(found)) for key, found in cells.items()), key=_order)
    return Matrix(columns, tuple(rows))


def target_label(target: TargetInfo) -> str:
    """What a reader calls the target: its ``label`` where the run has one, else ``name version``.

    Never the URL: an embedded or emulated endpoint listens on an ephemeral port, which would make the
    same product look like another one in every run.
    """
    if target.label:
        return target.label
    return " ".join(part for part in (target.name, target.version) if part)


def _labels(runs: Sequence[RunResult]) -> list[str]:
    """Each run's target label; a label taken before gets ``#2``, ``#3``, ... until it is unique."""
    labels: list[str] = []
    for run in runs:
        label, number = target_label(run.target), 1
        candidate = label
        while candidate in labels:
            number += 1
            candidate = f"{label} #{number}"
        labels.append(candidate)
    return labels


def _keyed(run: RunResult) -> Iterator[tuple[_Key, CheckResult]]:
    repeats: Counter[tuple[str, str | None]] = Counter()
    for result in run.results:
        repeat = repeats[(result.check, result.case)]
        repeats[(result.check, result.case)] += 1
        yield (result.check, result.case, repeat), result


def _order(row: Row) -> tuple[str, str, str, bool, str, int]:
    """Operation, clause, check, then the case: no case first, and apart from an empty one."""
    return (row.operation, row.clause, row.check, row.case is not None, row.case or "", row.repeat)


def _row(repeat: int, cells: tuple[CheckResult | None, ...]) -> Row:
    """A row described by its first run (the one listed first that has it)."""
    first = next(cell for cell in cells if cell is not None)
    return Row(
        check=first.check,
        case=first.case,
        repeat=repeat,
        operation=first.operation,
        clause=first.clause,
        evidence=first.evidence,
        title=first.title,
        cells=cells,
    )
