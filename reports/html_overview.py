"""The top of ``report.html``: the picture a reader gets before any row.

Three parts, all from `reports.triage`: each target's counts and score (`reports.score`), and for
several targets its *only here* count; per operation, a bar per target of its PASS, FAIL, DEVIATION,
NOT_IMPLEMENTED and ERROR results (inline SVG: no image is fetched) with the pass count, and for several
targets the operation's *interop* share; then the checks that need attention, one line per check with
each target's verdicts and how many SKIPs follow from it, each linking to its row below.

Every figure carries its number in a ``data-`` attribute as well as in its text, so that a test (or a
script reading the page) can check it against ``results.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from reports.html_rows import Anchors, escaped
from reports.leftovers import ending_lines, score_suffix
from reports.matrix import Row
from reports.model import RunResult, Verdict
from reports.score import JUDGED, format_score
from reports.text import verdict_label
from reports.triage import Interop, Section, Triage, by_check

__all__ = ["render_overview"]

_BAR_WIDTH = 100  # the SVG's own units; CSS sets its size on the page


def render_overview(triage: Triage, anchors: Anchors) -> Iterable[str]:
    yield '<section id="overview"><h2>Overview</h2>'
    yield from _targets(triage)
    yield from _operations(triage, anchors)
    yield _legend()
    yield from _attention(triage, anchors)
    yield "</section>"


def _targets(triage: Triage) -> Iterable[str]:
    """One line per target: what ran, and its counts and score (and, compared, its failures only there)."""
    verdicts = list(Verdict)
    many = len(triage.matrix.columns) > 1
    yield '<table class="targets">'
    yield "<thead><tr><th>target</th><th>profile</th><th>API calls</th><th>seed</th>"
    yield "".join(f'<th class="v-{v.lower()}">{v}</th>' for v in verdicts) + "<th>score</th>"
    yield (
        '<th title="checks that fail on this target and pass on every other">only here</th>' if many else ""
    )
    yield "</tr></thead><tbody>"
    for index, column in enumerate(triage.matrix.columns):
        run, counts = column.run, column.counts
        seed = "" if run.seed is None else str(run.seed)
        yield (
            f'<tr data-target="{index}"><td><strong>{escaped(column.label)}</strong>{_about(run)}</td>'
            f'<td>{escaped(run.profile)}</td><td class="num">{run.api_calls}</td><td class="num">{seed}</td>'
        )
        yield "".join(f'<td class="num" data-verdict="{v}">{counts.get(v, 0)}</td>' for v in verdicts)
        final = score_suffix(run.interrupted, run.complete)  # a run cut short has no final score
        yield f'<td class="num score">{escaped(format_score(counts) + final)}</td>'
        yield f'<td class="num only-here">{triage.only_here[index]}</td>' if many else ""
        yield "</tr>"
    yield "</tbody></table>"


def _about(run: RunResult) -> str:
    """Where and when a run ran, under its label."""
    facts = [f"{run.target.name} at {run.target.url}" if run.target.url else run.target.name]
    facts += [f"suite {run.suite_version}", run.model_version, f"{run.started} → {run.finished}"]
    if run.expectations:
        facts.append(f"expectations: {run.expectations}")
    if not run.complete and not run.interrupted:
        facts.append("incomplete: the run ended before every check was run")
    ending = [line.strip() for line in ending_lines(run.interrupted, run.complete, run.leftovers)]
    notes = "".join(
        f'<div class="meta run-note run-ending">{escaped(line)}</div>' for line in ending
    ) + "".join(f'<div class="meta run-note">{escaped(note)}</div>' for note in run.notes)
    return f'<div class="meta">{escaped(" · ".join(facts))}</div>{notes}'


def _operations(triage: Triage, anchors: Anchors) -> Iterable[str]:
    """Per operation and target: a bar of the judged verdicts and the pass count; the interop share."""
    columns = triage.matrix.columns
    many = len(columns) > 1
    interop_head = (
        '<th title="checks passing on every target, of those judged on at least one">interop</th>'
        if many
        else ""
    )
    yield '<table id="by-operation"><thead><tr><th>operation</th>' + interop_head
    yield "".join(
        f'<th class="target" data-target="{index}">{escaped(column.label)}</th>'
        for index, column in enumerate(columns)
    )
    yield "</tr></thead><tbody>"
    for section in triage.sections:
        link = f'<a href="#{anchors.operation(section.operation)}">{escaped(section.operation)}</a>'
        yield _operation_row(section.operation, link, section.counts, section.interop if many else None)
    yield "</tbody><tfoot>"
    totals = tuple(
        sum((s.counts[index] for s in triage.sections), Counter()) for index in range(len(columns))
    )
    suffixes = tuple(score_suffix(column.run.interrupted, column.run.complete) for column in columns)
    yield _operation_row("", "all operations", totals, triage.interop if many else None, suffixes)
    yield "</tfoot></table>"


def _operation_row(
    operation: str,
    head: str,
    counts: Sequence[Counter[Verdict]],
    interop: Interop | None,
    scored: Sequence[str] | None = None,
) -> str:
    """``scored``: show each target's score, followed by its text (`reports.leftovers.score_suffix`)."""
    cells = [f'<tr data-operation="{escaped(operation)}"><th>{head}</th>']
    if interop is not None:
        cells.append(
            f'<td class="interop num" data-passing="{interop.passing}" data-judged="{interop.judged}">'
            f'{escaped(interop.format())}<div class="meta">{interop.passing} of {interop.judged}</div></td>'
        )
    for index, count in enumerate(counts):
        judged = sum(count.get(v, 0) for v in JUDGED)
        unjudged = ", ".join(f"{count[v]} {v}" for v in (Verdict.INFO, Verdict.SKIP) if count.get(v, 0))
        score = f" · {escaped(format_score(count) + scored[index])}" if scored is not None else ""
        cells.append(
            f'<td class="tally" data-target="{index}">{_bar(count)}'
            f'<span class="figure">{count.get(Verdict.PASS, 0)} / {judged} pass{score}</span>'
            + (f' <span class="meta">· {unjudged}</span>' if unjudged else "")
            + "</td>"
        )
    return "".join(cells) + "</tr>"


def _bar(counts: Counter[Verdict]) -> str:
    """A stacked bar of the judged verdicts, in the order of `JUDGED`; grey when nothing was judged."""
    judged = sum(counts.get(v, 0) for v in JUDGED)
    said = ", ".join(f"{counts.get(v, 0)} {v}" for v in JUDGED)
    parts = [
        f'<svg class="bar" viewBox="0 0 {_BAR_WIDTH} 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{said}">',
        f'<rect class="b-none" x="0" y="0" width="{_BAR_WIDTH}" height="10"/>',
    ]
    x = 0.0
    for verdict in JUDGED:
        count = counts.get(verdict, 0)
        width = _BAR_WIDTH * count / judged if judged else 0.0
        parts.append(
            f'<rect class="b-{verdict.lower()}" data-verdict="{verdict}" data-count="{count}" '
            f'x="{x:.2f}" y="0" width="{width:.2f}" height="10"><title>{count} {verdict}</title></rect>'
        )
        x += width
    return "".join(parts) + "</svg>"


def _legend() -> str:
    keys = "".join(f'<span class="key b-{v.lower()}"></span>{v} ' for v in JUDGED)
    return (
        f'<p class="legend">{keys}— the bars show judged results; INFO (the spec is silent) and SKIP (not '
        "judged) are counted beside them.</p>"
    )


def _attention(triage: Triage, anchors: Anchors) -> Iterable[str]:
    """One line per check that fails somewhere: each target's verdicts over its cases, and the SKIPs after."""
    columns = triage.matrix.columns
    failing = [section for section in triage.sections if section.failing]
    yield '<h3 id="attention-title">Needs attention</h3>'
    if not failing:
        yield '<p id="attention" class="none">Nothing: every result is PASS, INFO or SKIP.</p>'
        return
    yield '<table id="attention"><thead><tr><th>check</th>'
    yield "".join(f'<th data-target="{index}">{escaped(c.label)}</th>' for index, c in enumerate(columns))
    yield '<th title="SKIPs that follow from these failures">SKIPs after</th></tr></thead><tbody>'
    for section in failing:
        yield from _attention_lines(triage, anchors, section)
    yield "</tbody></table>"


def _attention_lines(triage: Triage, anchors: Anchors, section: Section) -> Iterable[str]:
    width = len(triage.matrix.columns) + 2
    yield f'<tr class="operation"><th colspan="{width}">{escaped(section.operation)}</th></tr>'
    for check, rows in by_check(section.failing):
        cases = f' <span class="case">{_cases(rows)}</span>'
        head = f'<a href="#{anchors.row(rows[0])}"><code>{escaped(check)}</code></a>{cases}'
        alone = {triage.only_at(row) for row in rows}
        cells = [_verdicts(rows, index, index in alone) for index in range(len(triage.matrix.columns))]
        folded = sum(len(triage.dependents(row)) for row in rows)
        follows = f"+{folded} SKIP" if folded else ""
        yield (
            f'<tr data-check="{escaped(check)}"><th title="{escaped(rows[0].title)}">{head}</th>'
            + "".join(cells)
            + f'<td class="follows num" data-folded="{folded}">{follows}</td></tr>'
        )


def _cases(rows: Sequence[Row]) -> str:
    if len(rows) > 1:
        return f"{len(rows)} cases"
    return "" if rows[0].case is None else f"[{escaped(rows[0].case)}]"


def _verdicts(rows: Sequence[Row], index: int, alone: bool) -> str:
    """A target's verdicts over a check's rows: ``15 FAIL 2 PASS``, the worst first; "only here" when
    some of its failures pass on every other target."""
    labels = Counter(verdict_label(cell) for row in rows if (cell := row.cells[index]) is not None)
    missing = sum(row.cells[index] is None for row in rows)
    order = {str(verdict): rank for rank, verdict in enumerate(_WORST_FIRST)}
    chips = [
        f'<span class="chip v-{label.split()[0].lower()}">{count} {escaped(label)}</span>'
        for label, count in sorted(labels.items(), key=lambda item: (order[item[0].split()[0]], item[0]))
    ]
    if missing:
        chips.append(f'<span class="chip v-missing">{missing} not run</span>')
    if alone:
        chips.append(
            '<span class="only-here-mark" title="fails here, passes on every other target">only here</span>'
        )
    return f'<td class="verdicts" data-target="{index}">{" ".join(chips)}</td>'


_WORST_FIRST = (
    Verdict.ERROR,
    Verdict.FAIL,
    Verdict.DEVIATION,
    Verdict.NOT_IMPLEMENTED,
    Verdict.SKIP,
    Verdict.INFO,
    Verdict.PASS,
)
