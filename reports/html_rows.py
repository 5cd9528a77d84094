"""The rows of ``report.html``: every result by operation, failures first, each cell opening on its details.

One ``<section>`` per operation (`reports.triage`): a table of the rows that fail on some target, by
clause, then the quiet rows (PASS, INFO or not judged everywhere) in a ``<details>`` that is closed when
the page opens. A row folded under its cause (a SKIP that names the check it could not do without) is
listed inside its cause's row, not as a row of its own. A cell is a ``<details>``: its verdict opens onto
the expected and observed values, the counterexample, the reproducing call, the message, the notes and
the expectation's reason; a cell whose details are those of a cell to its left (the endpoint's URL
aside) says so instead of repeating them. Everything folds with plain HTML: no script is needed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from reports.matrix import Column, Row
from reports.model import CheckResult
from reports.text import EXPECTATION_WORDS, detail_fields, printable
from reports.triage import Section, Triage

__all__ = ["Anchors", "escaped", "render_sections"]


def escaped(text: str) -> str:
    """Any text from the results, safe in element content and in a quoted attribute."""
    return html.escape(printable(text), quote=True)


class Anchors:
    """A fragment id for every row (``r-12``) and operation (``op-3``), unique in the page."""

    def __init__(self, triage: Triage) -> None:
        self._rows = {_key(row): f"r-{index}" for index, row in enumerate(triage.matrix.rows)}
        self._operations = {s.operation: f"op-{index}" for index, s in enumerate(triage.sections)}

    def row(self, row: Row) -> str:
        return self._rows[_key(row)]

    def operation(self, operation: str) -> str:
        return self._operations[operation]


def _key(row: Row) -> tuple[str, str | None, int]:
    return (row.check, row.case, row.repeat)


def render_sections(triage: Triage, anchors: Anchors) -> Iterable[str]:
    for section in triage.sections:
        yield from _section(triage, anchors, section)


def _section(triage: Triage, anchors: Anchors, section: Section) -> Iterable[str]:
    columns = triage.matrix.columns
    yield (
        f'<section class="operation" id="{anchors.operation(section.operation)}" '
        f'data-operation="{escaped(section.operation)}">'
    )
    yield f"<h3>{escaped(section.operation)}</h3>"
    if section.failing:
        yield from _table(triage, anchors, section.failing, "failing")
    if section.quiet:
        yield (
            f'<details class="quiet"><summary>{len(section.quiet)} more '
            f"{'row' if len(section.quiet) == 1 else 'rows'}: PASS, INFO or not judged on "
            f"{'every target' if len(columns) > 1 else 'this target'}</summary>"
        )
        yield from _table(triage, anchors, section.quiet, "quiet")
        yield "</details>"
    if not section.failing and not section.quiet:
        yield f'<p class="elsewhere">{_elsewhere(triage, anchors, section)}</p>'
    yield "</section>"


def _elsewhere(triage: Triage, anchors: Anchors, section: Section) -> str:
    """An operation whose every result follows from a failure elsewhere: where they are listed."""
    causes = {
        id(cause): cause
        for row in triage.matrix.rows
        if row.operation == section.operation and (cause := triage.cause(row)) is not None
    }
    links = ", ".join(
        f'<a href="#{anchors.row(cause)}"><code>{escaped(cause.name)}</code></a>' for cause in causes.values()
    )
    return f"Not judged: every result follows from a failure, and is listed under it ({links})."


def _table(triage: Triage, anchors: Anchors, rows: Sequence[Row], kind: str) -> Iterable[str]:
    columns = triage.matrix.columns
    width = len(columns) + 2
    yield f'<table class="matrix {kind}">'
    yield "<thead><tr><th>check</th><th>evidence</th>" + "".join(
        f'<th class="target" data-target="{index}">{escaped(column.label)}</th>'
        for index, column in enumerate(columns)
    )
    yield "</tr></thead><tbody>"
    clause, check = None, None
    for row in rows:
        if row.clause != clause:
            clause, check = row.clause, None
            yield f'<tr class="clause"><th colspan="{width}">{escaped(clause)}</th></tr>'
        yield _row(triage, anchors, row, titled=row.check != check)
        check = row.check
    yield "</tbody></table>"


def _row(triage: Triage, anchors: Anchors, row: Row, titled: bool) -> str:
    """A row: its check and case (the check's rule under its first case only), then a cell per target."""
    title = f'<div class="title">{escaped(row.title)}</div>' if row.title and titled else ""
    dependents = triage.dependents(row)
    folded = _dependents(triage, anchors, dependents) if dependents else ""
    head = (
        f'<tr class="result" id="{anchors.row(row)}"{_row_data(row)}>'
        f'<th class="check" scope="row" title="{escaped(row.title)}"><code>{escaped(row.check)}</code>'
        f"{_case(row)}{folded}{title}</th>"
        f'<td class="evidence">{escaped(str(row.evidence))}</td>'
    )
    return head + "".join(_cells(triage, anchors, row)) + "</tr>"


def _row_data(row: Row) -> str:
    """The row's check and case as attributes, by which tests and scripts find it."""
    case = "" if row.case is None else f' data-case="{escaped(row.case)}"'
    return f' data-check="{escaped(row.check)}"{case}'


def _case(row: Row) -> str:
    """The case and, for a repeated one, which repeat: what `Row.name` adds to the check id."""
    parts = ([] if row.case is None else [f"[{row.case}]"]) + ([f"#{row.repeat + 1}"] if row.repeat else [])
    return f' <span class="case">{escaped(" ".join(parts))}</span>' if parts else ""


def _cells(triage: Triage, anchors: Anchors, row: Row) -> Iterable[str]:
    columns = triage.matrix.columns
    shown: dict[tuple[object, ...], Column] = {}  # the details already shown in this row, and where
    for index, (column, result) in enumerate(zip(columns, row.cells, strict=True)):
        if result is None:
            yield f'<td class="cell v-missing" data-target="{index}" data-verdict="" title="not run">—</td>'
            continue
        key = _sameness(column, result)
        same_as = shown.setdefault(key, column)
        body = _detail(triage, anchors, result, None if same_as is column else same_as)
        verdict = str(result.verdict)
        label = verdict
        if result.expectation is not None:
            label += f' <span class="expectation">({EXPECTATION_WORDS[result.expectation]})</span>'
        yield (
            f'<td class="cell v-{verdict.lower()}" data-target="{index}" data-verdict="{verdict}">'
            f"<details><summary>{label}</summary>{body}</details></td>"
        )


def _sameness(column: Column, result: CheckResult) -> tuple[object, ...]:
    """What two cells of a row must share to show their details once: all of it, the endpoint aside."""
    url = column.run.target.url

    def plain(text: str) -> str:
        return text.replace(url, "<endpoint>") if url else text

    fields = tuple((label, plain(text)) for label, text in detail_fields(result))
    return (result.verdict, result.expectation, fields)


def _detail(triage: Triage, anchors: Anchors, result: CheckResult, same_as: Column | None) -> str:
    if same_as is not None:
        items = [f'<dd class="same">The same details as on {escaped(same_as.label)}.</dd>']
    else:
        items = [
            f"<dt>{escaped(label)}</dt><dd><pre>{escaped(text)}</pre></dd>"
            for label, text in detail_fields(result)
        ]
        cause = _cause_link(triage, anchors, result)
        if cause:
            items.append(f"<dt>Follows from</dt><dd>{cause}</dd>")
    items.append(f"<dt>Run</dt><dd>examples: {result.examples}, {result.duration_s:.3f} s</dd>")
    return f'<dl class="detail">{"".join(items)}</dl>'


def _cause_link(triage: Triage, anchors: Anchors, result: CheckResult) -> str:
    """A link to the row a SKIP names, where that row is shown."""
    cause = triage.follows_from(result)
    if cause is None:
        return ""
    return f'<a href="#{anchors.row(cause)}"><code>{escaped(cause.name)}</code></a>'


def _dependents(triage: Triage, anchors: Anchors, rows: Sequence[Row]) -> str:
    """The rows folded under a cause: each with where it was skipped; each distinct reason once."""
    columns = triage.matrix.columns
    noun = "result" if len(rows) == 1 else "results"
    items = []
    reasons: dict[str, None] = {}
    for row in rows:
        where = [column.label for column, cell in zip(columns, row.cells, strict=True) if cell is not None]
        missing = [column.label for column, cell in zip(columns, row.cells, strict=True) if cell is None]
        said = f"SKIP on {', '.join(where)}" if len(columns) > 1 else "SKIP"
        said += f"; not run on {', '.join(missing)}" if missing else ""
        reasons.update((cell.message, None) for cell in row.cells if cell is not None)
        items.append(
            f'<li id="{anchors.row(row)}"{_row_data(row)}>'
            f'<code>{escaped(row.name)}</code> <span class="meta">{escaped(said)}</span></li>'
        )
    why = "".join(f"<li>{escaped(reason)}</li>" for reason in reasons)
    return (
        f'<details class="dependents"><summary>+{len(rows)} {noun} not judged after it</summary>'
        f'<ul class="folded">{"".join(items)}</ul><div class="meta">Reason given:</div>'
        f'<ul class="reasons">{why}</ul></details>'
    )
