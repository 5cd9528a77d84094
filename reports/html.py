"""``report.html``: every result of one or more runs, in one file that opens anywhere, offline.

The page opens on a picture (`reports.html_overview`): each target's counts and conformance score
(`reports.score`), a bar per operation and target, and the checks that need attention. Then every
result (`reports.html_rows`), by operation: the rows that fail on some target first, the quiet ones
folded, and each SKIP that follows from a failure folded under it (`reports.triage`). A cell opens onto
its result's details. Everything folds with plain ``<details>``; the script only adds "open all".

One self-contained file: inline CSS, SVG and JS, nothing fetched (no CDN, no font, no image), so it can
be attached to a CI run or mailed. Every text from the results is escaped with `html.escape`, and a
Content Security Policy allows only this file's own style and script (by hash) and no request at all:
text that slipped through as markup still could not run or load anything. Links are fragments only.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from reports.html_overview import render_overview
from reports.html_rows import Anchors, escaped, render_sections
from reports.matrix import build_matrix
from reports.model import RunResult
from reports.triage import triage

__all__ = ["render"]

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; margin: 1.2em 0 .5em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1em; margin: 1em 0 .4em; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
table { border-collapse: collapse; margin-bottom: .6em; }
th, td { border: 1px solid #d0d7de; padding: .25em .5em; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; z-index: 1; }
td.num { text-align: right; }
.score { font-weight: bold; white-space: nowrap; }
.meta, .case, .title { color: #57606a; font-weight: normal; }
.meta { font-size: .85em; }
.title { font-size: .9em; }
#by-operation th:first-child { max-width: 30em; font-weight: 600; }
#by-operation tfoot th, #by-operation tfoot td { background: #f6f8fa; font-weight: 600; }
td.tally { white-space: nowrap; }
svg.bar { width: 11em; height: .9em; vertical-align: middle; margin-right: .5em; }
.b-none { fill: #eaeef2; }
.b-pass { fill: #2da44e; background: #2da44e; }
.b-fail { fill: #cf222e; background: #cf222e; }
.b-deviation { fill: #e16f24; background: #e16f24; }
.b-not_implemented { fill: #8250df; background: #8250df; }
.b-error { fill: #24292f; background: #24292f; }
.legend { color: #57606a; font-size: .9em; }
.key { display: inline-block; width: .8em; height: .8em; margin: 0 .25em 0 .6em; vertical-align: -.05em; }
#attention tr.operation th, table.matrix tr.clause th { background: #eaeef2; font-weight: 600; }
.only-here-mark { font-size: .8em; font-weight: 600; color: #fff; background: #57606a; border-radius: .3em;
                  padding: 0 .35em; white-space: nowrap; }
.chip { display: inline-block; padding: 0 .35em; border-radius: .3em; margin: .05em 0; white-space: nowrap; }
section.operation { margin-top: 1.2em; }
section.operation h3 { background: #24292f; color: #fff; padding: .2em .5em; }
table.matrix { width: 100%; }
th.check code { font-weight: 600; }
td.cell { width: 13em; }
td.evidence { width: 6em; }
td.cell summary { cursor: pointer; font-weight: 600; white-space: nowrap; }
details.quiet > summary, details.dependents > summary { cursor: pointer; color: #0969da; }
details.dependents { display: inline-block; font-weight: normal; font-size: .85em; margin-left: .5em; }
details.dependents[open] { display: block; margin-left: 0; }
.detail { min-width: 24em; max-width: 60em; margin: .3em 0 0; }
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
.v-error pre, .v-error a { color: #1f2328; }
.v-skip { background: #f6f8fa; color: #57606a; }
.v-missing { color: #8c959f; font-style: italic; }
.expectation { font-weight: normal; font-style: italic; }
#controls { margin: .5em 0; }
"""

_SCRIPT = """
"use strict";
(function () {
  function setAll(open) {
    document.querySelectorAll("#results details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("open-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("close-all").addEventListener("click", function () { setAll(false); });
})();
"""

_SCORE_DEFINITION = (
    "Score: PASS / (PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR). INFO (the spec is silent) and "
    "SKIP (not judged) count on neither side; an ERROR counts against, since it is never a pass; "
    "expected failures (an expectations file) still count against."
)
_COMPARISON_DEFINITION = (
    "Interop: the checks passing on every target, of those judged on at least one. Only here: the checks "
    "failing on that target and passing on every other."
)


def render(runs: Sequence[RunResult]) -> str:
    """The page for one run, or for several side by side (one column each)."""
    if not runs:
        raise ValueError("a report needs at least one run")
    found = triage(build_matrix(runs))
    anchors = Anchors(found)
    labels = [column.label for column in found.matrix.columns]
    definitions = _SCORE_DEFINITION + (" " + _COMPARISON_DEFINITION if len(labels) > 1 else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_policy()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escaped('IAM virtual MFA conformance: ' + ', '.join(labels))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>IAM virtual MFA conformance</h1>",
        f'<p class="meta">{escaped(" · ".join(labels))}: {len(found.matrix.rows)} results by check and case'
        f"{', of which ' + str(found.folded) + ' follow from a failure' if found.folded else ''}</p>",
        *render_overview(found, anchors),
        '<section id="results"><h2>Every result</h2>',
        f'<p class="meta definitions">{escaped(definitions)}</p>',
        '<p id="controls"><button type="button" id="open-all">open all</button> '
        '<button type="button" id="close-all">close all</button></p>',
        *render_sections(found, anchors),
        "</section>",
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
