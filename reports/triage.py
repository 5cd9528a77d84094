"""Which rows a reader looks at first, and which only follow from another: the matrix as a comparison.

An implementation that misses one thing fails far more than one check: every check that needed what is
missing is a SKIP naming it ("the endpoint accepted the invalid request (vmfa.create.invalid.rejected)",
"depends on TagMFADevice, which the endpoint does not implement (see vmfa.tags.tag-adds)"). Listed
beside their cause, such rows bury it, so the reports *fold* a row that is such a SKIP on every target
under the row it names (its *cause*). The other rows split, per operation, into those that fail
somewhere (FAIL, ERROR, DEVIATION, NOT_IMPLEMENTED or an unexpected pass on some target: shown first)
and the quiet ones (PASS, INFO or not judged everywhere: collapsed).

Per operation it counts each target's verdicts and, for several targets, compares them the way
wpt.fyi compares browsers: the *interop* share (rows passing on every implementation, over the rows
judged on some) and each implementation's *only here* count (rows failing there and passing on every
other). Both renderers, Markdown and HTML, read these figures from here, so that they agree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from reports.matrix import Matrix, Row
from reports.model import CheckResult, Expectation, Verdict
from reports.score import JUDGED

__all__ = [
    "ATTENTION",
    "Interop",
    "Section",
    "Triage",
    "by_check",
    "fails_somewhere",
    "named_cause",
    "needs_attention",
    "triage",
]

ATTENTION = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)
# A check id as the suite writes one in a message: dotted, lower case (vmfa.create.qr.png).
_CHECK_ID = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+")
RowKey = tuple[str, str | None, int]


def needs_attention(result: CheckResult | None) -> bool:
    """A failure of any kind, or a pass the expectations file did not expect."""
    if result is None:
        return False
    return result.verdict in ATTENTION or result.expectation is Expectation.UNEXPECTED_PASS


def fails_somewhere(row: Row) -> bool:
    return any(needs_attention(cell) for cell in row.cells)


def named_cause(result: CheckResult, known: set[str]) -> str | None:
    """The other check a SKIP's message names as its reason, if it names one of ``known``."""
    if result.verdict is not Verdict.SKIP:
        return None
    for match in _CHECK_ID.finditer(result.message):
        if match.group() in known and match.group() != result.check:
            return match.group()
    return None


@dataclass(frozen=True)
class Interop:
    """Rows passing on every target, over rows judged (PASS ... ERROR) on at least one."""

    passing: int
    judged: int

    @property
    def share(self) -> float | None:
        return self.passing / self.judged if self.judged else None

    def format(self) -> str:
        """Rounded down like the score (`reports.score`): only all passing shows 100 %."""
        if not self.judged:
            return "—"
        return f"{self.passing * 100 // self.judged} %"


@dataclass(frozen=True)
class Section:
    """One operation: its rows that fail somewhere, its quiet rows, and each target's verdict counts."""

    operation: str
    failing: tuple[Row, ...]
    quiet: tuple[Row, ...]  # PASS, INFO or not judged on every target
    counts: tuple[Counter[Verdict], ...]  # per column: every result of the operation, folded ones too
    interop: Interop


@dataclass(frozen=True)
class Triage:
    matrix: Matrix
    sections: tuple[Section, ...]
    only_here: tuple[int, ...]  # per column: rows failing there that pass on every other column
    interop: Interop  # over every operation
    _dependents: dict[RowKey, tuple[Row, ...]] = field(repr=False)
    _causes: dict[RowKey, Row] = field(repr=False)
    _rows_of: dict[str, list[Row]] = field(repr=False)

    def dependents(self, row: Row) -> tuple[Row, ...]:
        """The rows folded under ``row``: SKIPs that name it (or name a row folded under it)."""
        return self._dependents.get(_key(row), ())

    def cause(self, row: Row) -> Row | None:
        """The row ``row`` is folded under, or None when it is shown on its own."""
        return self._causes.get(_key(row))

    def follows_from(self, result: CheckResult) -> Row | None:
        """The shown row a SKIP names as its reason (the root, where that row is folded itself)."""
        named = named_cause(result, set(self._rows_of))
        if named is None:
            return None
        row = _resolve(self._rows_of[named], result.case)
        return self._causes.get(_key(row), row)

    def only_at(self, row: Row) -> int | None:
        """The column where ``row`` fails while it passes on every other (several targets only)."""
        if len(row.cells) < 2:
            return None
        return next((index for index in range(len(row.cells)) if _fails_only_at(row, index)), None)

    @property
    def folded(self) -> int:
        return len(self._causes)


def triage(matrix: Matrix) -> Triage:
    rows_of: dict[str, list[Row]] = {}
    for row in matrix.rows:
        rows_of.setdefault(row.check, []).append(row)
    causes = _root_causes(matrix.rows, rows_of)
    dependents: dict[RowKey, list[Row]] = {}
    for row in matrix.rows:
        if _key(row) in causes:
            dependents.setdefault(_key(causes[_key(row)]), []).append(row)
    width = len(matrix.columns)
    sections = []
    for operation, clauses in matrix.by_operation():
        rows = [row for _, clause_rows in clauses for row in clause_rows]
        shown = [row for row in rows if _key(row) not in causes]
        sections.append(
            Section(
                operation=operation,
                failing=tuple(row for row in shown if fails_somewhere(row)),
                quiet=tuple(row for row in shown if not fails_somewhere(row)),
                counts=tuple(_counts(rows, index) for index in range(width)),
                interop=_interop(rows),
            )
        )
    return Triage(
        matrix=matrix,
        sections=tuple(sections),
        only_here=tuple(_only_here(matrix.rows, index) if width > 1 else 0 for index in range(width)),
        interop=_interop(matrix.rows),
        _dependents={key: tuple(rows) for key, rows in dependents.items()},
        _causes=causes,
        _rows_of=rows_of,
    )


def by_check(rows: Sequence[Row]) -> Iterator[tuple[str, list[Row]]]:
    """Consecutive rows of the same check (its cases), as the matrix orders them."""
    group: list[Row] = []
    for row in rows:
        if group and row.check != group[0].check:
            yield group[0].check, group
            group = []
        group.append(row)
    if group:
        yield group[0].check, group


def _key(row: Row) -> RowKey:
    return (row.check, row.case, row.repeat)


def _direct_cause(row: Row, rows_of: dict[str, list[Row]]) -> Row | None:
    """The row named by every present cell's SKIP (the first cell's name decides), if all are such SKIPs."""
    present = [cell for cell in row.cells if cell is not None]
    named = [named_cause(cell, set(rows_of)) for cell in present]
    if not present or None in named:
        return None
    return _resolve(rows_of[named[0] or ""], row.case)


def _resolve(candidates: list[Row], case: str | None) -> Row:
    """The named check's row of the same case (an invalid request's other checks), else without a case."""
    for wanted in (case, None):
        for candidate in candidates:
            if candidate.case == wanted:
                return candidate
    return candidates[0]


def _root_causes(rows: Sequence[Row], rows_of: dict[str, list[Row]]) -> dict[RowKey, Row]:
    """Each folded row's root cause: the first row up its chain of causes that is shown on its own."""
    direct = {_key(row): cause for row in rows if (cause := _direct_cause(row, rows_of)) is not None}
    roots: dict[RowKey, Row] = {}
    for key, cause in direct.items():
        seen = {key}
        while _key(cause) in direct and _key(cause) not in seen:
            seen.add(_key(cause))
            cause = direct[_key(cause)]
        if _key(cause) not in direct:  # a chain that ends; a cycle folds nothing
            roots[key] = cause
    return roots


def _counts(rows: Sequence[Row], index: int) -> Counter[Verdict]:
    counts: Counter[Verdict] = Counter({verdict: 0 for verdict in Verdict})
    counts.update(cell.verdict for row in rows if (cell := row.cells[index]) is not None)
    return counts


def _interop(rows: Sequence[Row]) -> Interop:
    judged = [row for row in rows if any(c is not None and c.verdict in JUDGED for c in row.cells)]
    passing = [row for row in judged if all(c is not None and c.verdict is Verdict.PASS for c in row.cells)]
    return Interop(passing=len(passing), judged=len(judged))


def _only_here(rows: Sequence[Row], index: int) -> int:
    return sum(1 for row in rows if _fails_only_at(row, index))


def _fails_only_at(row: Row, index: int) -> bool:
    here = row.cells[index]
    others = [cell for i, cell in enumerate(row.cells) if i != index]
    return (
        here is not None
        and here.verdict in ATTENTION
        and all(c is not None and c.verdict is Verdict.PASS for c in others)
    )
