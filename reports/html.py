"""``report.html``: every result of one or more runs, in one file that opens anywhere, offline.

The page is a matrix (see `reports.matrix`): a row per check and case, grouped by operation, then by
clause; a column per target, headed by its counts and conformance score (`reports.score`: PASS over
PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR). Each cell is a ``<details>``: its verdict,
coloured, opens onto the expected and observed values, the counterexample, the reproducing call, the
message, the notes and the expectation's reason. It works without the script, which only adds "open
all" and a filter that hides the rows that pass everywhere.

One self-contained file: inline CSS and JS, nothing fetched (no CDN, no font), so it can be attached
to a CI run or mailed. Every text from the results is escaped with `html.escape`, and a Content
Security Policy allows only this file's own style and script (by hash) and no request at all: text
that slipped through as markup still could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence

from reports.matrix import Matrix, Row, build_matrix
from reports.model import CheckResult, RunResult, Verdict
from reports.score import format_score
from reports.text import EXPECTATION_WORDS, detail_fields, printable

__all__ = ["render"]

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.5em; margin: 0 0 .5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
.targets td.num { text-align: right; }
.score { font-weight: bold; white-space: nowrap; }
tr.operation th { background: #24292f; color: #fff; font-size: 1.1em; }
tr.clause th { background: #eaeef2; font-weight: 600; }
th.check code { font-weight: 600; }
.case { color: #57606a; }
.meta { color: #57606a; font-size: .85em; }
.title { color: #57606a; font-weight: normal; font-size: .9em; }
td.cell { min-width: 8em; }
td.cell summary { cursor: pointer; font-weight: 600; }
.detail { min-width: 24em; max-width: 60em; }
.detail dt { font-weight: 600; margin-top: .4em; }
.detail dd { margin: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24em; overflow: auto;
      background: #f6f8fa; padding: .3em; margin: .1em 0; font-size: .9em; }
.v-pass { background: #dafbe1; color: #116329; }
.v-fail { background: #ffebe9; color: #a40e26; }
.v-deviation { background: #fff1e5; color: #953800; }
.v-info { background: #ddf4ff; color: #0550ae; }
.v-not_implemented { background: #fbefff; color: #6e40c9; }
.v-error { background: #a40e26; color: #fff; }
.v-error pre { color: #1f2328; }
.v-skip { background: #f6f8fa; color: #57606a; }
.v-missing { color: #8c959f; font-style: italic; }
.expectation { font-weight: normal; font-style: italic; }
body.only-problems tr.fine { display: none; }
#controls { margin: 1em 0; }
"""

_SCRIPT = """
"use strict";
(function () {
  function setAll(open) {
    document.querySelectorAll("#matrix details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("open-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("close-all").addEventListener("click", function () { setAll(false); });
  document.getElementById("only-problems").addEventListener("change", function (event) {
    document.body.classList.toggle("only-problems", event.target.checked);
  });
})();
"""

_SCORE_DEFINITION = (
    "Score: PASS / (PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR). INFO (the spec is silent) and "
    "SKIP (not judged) count on neither side; an ERROR counts against, since it is never a pass; "
    "expected failures (an expectations file) still count against."
)


def render(runs: Sequence[RunResult]) -> str:
    """The page for one run, or for several side by side (one column each)."""
    if not runs:
        raise ValueError("a report needs at least one run")
    matrix = build_matrix(runs)
    title = "IAM virtual MFA conformance: " + ", ".join(column.label for column in matrix.columns)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_policy()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>IAM virtual MFA conformance</h1>",
        *_targets(matrix),
        f'<p class="score-definition">{_text(_SCORE_DEFINITION)}</p>',
        '<p id="controls"><button type="button" id="open-all">open all</button> '
        '<button type="button" id="close-all">close all</button> '
        '<label><input type="checkbox" id="only-problems"> hide rows that pass everywhere</label></p>',
        *_matrix(matrix),
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _policy() -> str:
    """No request of any kind; only this file's own style and script, by their SHA-256."""
    return (
        f"default-src 'none'; style-src '{_sha256(_CSS)}'; script-src '{_sha256(_SCRIPT)}'; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def _targets(matrix: Matrix) -> Iterable[str]:
    """One line per target: what ran, and its counts and score."""
    verdicts = list(Verdict)
    yield '<table class="targets">'
    yield "<thead><tr><th>target</th><th>profile</th><th>API calls</th><th>seed</th>"
    yield "".join(f'<th class="v-{v.lower()}">{v}</th>' for v in verdicts) + "<th>score</th></tr></thead>"
    yield "<tbody>"
    for index, column in enumerate(matrix.columns):
        run, counts = column.run, column.counts
        seed = "" if run.seed is None else str(run.seed)
        yield (
            f'<tr data-target="{index}"><td><strong>{_text(column.label)}</strong>{_about(run)}</td>'
            f'<td>{_text(run.profile)}</td><td class="num">{run.api_calls}</td><td class="num">{seed}</td>'
        )
        yield "".join(f'<td class="num">{counts.get(verdict, 0)}</td>' for verdict in verdicts)
        yield f'<td class="num score">{_text(format_score(counts))}</td></tr>'
    yield "</tbody></table>"


def _about(run: RunResult) -> str:
    """The versions and times of a run, under its label."""
    facts = [f"suite {run.suite_version}", run.model_version, f"{run.started} → {run.finished}"]
    if run.expectations:
        facts.append(f"expectations: {run.expectations}")
    if not run.complete:
        facts.append("incomplete: the run ended before every check was run")
    notes = "".join(f'<div class="meta run-note">{_text(note)}</div>' for note in run.notes)
    return f'<div class="meta">{_text(" · ".join(facts))}</div>{notes}'


def _matrix(matrix: Matrix) -> Iterable[str]:
    width = len(matrix.columns) + 2
    yield '<table id="matrix">'
    yield "<thead><tr><th>check</th><th>evidence</th>" + "".join(
        f'<th class="target" data-target="{index}">{_text(column.label)}<br>'
        f'<span class="score">{_text(format_score(column.counts))}</span></th>'
        for index, column in enumerate(matrix.columns)
    )
    yield "</tr></thead>"
    for operation, clauses in matrix.by_operation():
        rows = [row for _, clause_rows in clauses for row in clause_rows]
        yield f'<tbody data-operation="{_text(operation)}">'
        yield f'<tr class="operation{_fine(rows)}"><th colspan="{width}">{_text(operation)}</th></tr>'
        for clause, clause_rows in clauses:
            yield f'<tr class="clause{_fine(clause_rows)}"><th colspan="{width}">{_text(clause)}</th></tr>'
            yield from (_row(row) for row in clause_rows)
        yield "</tbody>"
    yield "</table>"


def _fine(rows: list[Row]) -> str:
    """`` fine`` for rows that pass in every column: the filter hides them."""
    everywhere = all(cell is not None and cell.verdict is Verdict.PASS for row in rows for cell in row.cells)
    return " fine" if everywhere else ""


def _row(row: Row) -> str:
    case = "" if row.case is None else f' data-case="{_text(row.case)}"'
    title = f'<div class="title">{_text(row.title)}</div>' if row.title else ""
    head = (
        f'<tr class="result{_fine([row])}" data-check="{_text(row.check)}"{case}>'
        f'<th class="check" scope="row"><code>{_text(row.check)}</code>'
        f'{_case(row)}{title}</th><td class="evidence">{_text(str(row.evidence))}</td>'
    )
    cells = "".join(_cell(index, cell) for index, cell in enumerate(row.cells))
    return head + cells + "</tr>"


def _case(row: Row) -> str:
    """The case and, for a repeated one, which repeat: what `Row.name` adds to the check id."""
    parts = ([] if row.case is None else [f"[{row.case}]"]) + ([f"#{row.repeat + 1}"] if row.repeat else [])
    return f' <span class="case">{_text(" ".join(parts))}</span>' if parts else ""


def _cell(index: int, result: CheckResult | None) -> str:
    if result is None:
        return f'<td class="cell v-missing" data-target="{index}" data-verdict="" title="not run">—</td>'
    verdict = str(result.verdict)
    label = verdict
    if result.expectation is not None:
        label += f' <span class="expectation">({EXPECTATION_WORDS[result.expectation]})</span>'
    return (
        f'<td class="cell v-{verdict.lower()}" data-target="{index}" data-verdict="{verdict}">'
        f"<details><summary>{label}</summary>{_detail(result)}</details></td>"
    )


def _detail(result: CheckResult) -> str:
    fields = detail_fields(result)
    items = [f"<dt>{_text(label)}</dt><dd><pre>{_text(text)}</pre></dd>" for label, text in fields]
    items.append(f"<dt>Run</dt><dd>examples: {result.examples}, {result.duration_s:.3f} s</dd>")
    return f'<dl class="detail">{"".join(items)}</dl>'


def _text(text: str) -> str:
    """Any text from the results, safe in element content and in a quoted attribute."""
    return html.escape(printable(text), quote=True)
