"""``report.md``: the report as a GitHub pull-request comment.

A comment is read in a review, so it says what needs attention and nothing else: the counts per
verdict and the conformance score of each target (see `reports.score`), then the results that are not
fine (FAIL, ERROR, DEVIATION, NOT_IMPLEMENTED, an unexpected pass; with several targets, also the rows
where the targets differ), grouped by operation and clause, each with its details folded in a
``<details>`` block. PASS, INFO and SKIP are counted, not listed: ``report.html`` has everything.

GitHub refuses a comment over 65,536 characters, so the text stays within `BUDGET` UTF-8 bytes (bytes
are never fewer than characters). Long fields are clipped; when the list does not fit, the details
get half the space and the rows past them are listed bare (a long list beats long details), and what
still does not fit is left out; a note says how much of each.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

from reports.matrix import Column, Matrix, Row, build_matrix
from reports.model import CheckResult, Expectation, RunResult, Verdict
from reports.score import format_score
from reports.text import clip, detail_fields, printable, verdict_label

__all__ = ["BUDGET", "render"]

BUDGET = 60_000  # UTF-8 bytes; GitHub's limit for a comment is 65,536 characters
_FIELD_LIMIT = 1_500  # characters of one field (a message, an observed value) before it is clipped
_NOTE_RESERVE = 400  # kept free for the truncation note
_LISTED = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)
_ICONS = {
    Verdict.PASS: "✅",
    Verdict.FAIL: "❌",
    Verdict.DEVIATION: "⚠️",
    Verdict.INFO: "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16}",
    Verdict.NOT_IMPLEMENTED: "🚧",
    Verdict.ERROR: "💥",
    Verdict.SKIP: "⏭️",
}
_EXPECTATION_COUNTS = {
    Expectation.EXPECTED_FAILURE: "expected failures",
    Expectation.UNEXPECTED_FAILURE: "unexpected failures",
    Expectation.UNEXPECTED_PASS: "unexpected passes",
}
_NAME_LIMIT = 200  # characters of a check id and case in a table cell
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~|])")


def render(runs: Sequence[RunResult]) -> str:
    """The comment for one run, or for several side by side (one column each)."""
    if not runs:
        raise ValueError("a report needs at least one run")
    matrix = build_matrix(runs)
    text = _summary(matrix)
    budget = BUDGET - _NOTE_RESERVE - _size(text)
    listing = _Listing(matrix, budget, details_budget=budget)
    body = listing.render()
    if listing.left_out:  # too much: fold details into half the space, list the other rows bare
        listing = _Listing(matrix, budget, details_budget=budget // 2)
        body = listing.render()
    if not body:
        return text + "\nNothing to report: every result is PASS, INFO or SKIP.\n"
    return text + body + _notes(matrix, listing)


def _summary(matrix: Matrix) -> str:
    verdicts = list(Verdict)
    lines = [
        "## IAM virtual MFA conformance",
        "",
        "| target | suite | profile | API calls | " + " | ".join(map(str, verdicts)) + " | score |",
        "| --- " * (len(verdicts) + 5) + "|",
    ]
    for column in matrix.columns:
        run, counts = column.run, column.counts
        cells = [_cell(column.label), _cell(run.suite_version), _cell(run.profile), str(run.api_calls)]
        cells += [str(counts.get(verdict, 0)) for verdict in verdicts] + [format_score(counts)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Score: PASS / (PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR); INFO and SKIP are not judged.",
        "PASS, INFO and SKIP are counted here, not listed; `report.html` shows every result.",
    ]
    lines += [_expectations_line(column) for column in matrix.columns if column.run.expectations]
    lines += [_run_note(column.label, note) for column in matrix.columns for note in _run_notes(column.run)]
    return "\n".join(lines) + "\n"


def _run_notes(run: RunResult) -> list[str]:
    """What the run itself met (a failed cleanup, an endpoint that broke), and whether it ended early."""
    ended_early = [] if run.complete else ["incomplete: the run ended before every check was run"]
    return ended_early + list(run.notes)


def _run_note(label: str, note: str) -> str:
    return f"\n**{_cell(label)}**: {_cell(clip(note, _FIELD_LIMIT))}"


def _expectations_line(column: Column) -> str:
    found = Counter(result.expectation for result in column.run.results if result.expectation)
    counts = ", ".join(f"{word}: {found.get(kind, 0)}" for kind, word in _EXPECTATION_COUNTS.items())
    return f"{_cell(column.label)}: judged against {_cell(column.run.expectations or '')} ({counts})."


def _listed(row: Row) -> bool:
    """Worth a reviewer's attention: not fine somewhere, or not the same everywhere."""
    cells = [cell for cell in row.cells if cell is not None]
    if any(c.verdict in _LISTED or c.expectation is Expectation.UNEXPECTED_PASS for c in cells):
        return True
    return len(cells) < len(row.cells) or len({cell.verdict for cell in cells}) > 1


class _Listing:
    """The listed rows by operation and clause, within a budget of bytes.

    Rows come with their details while ``details_budget`` lasts; then bare (a table line only), and
    once not even a table line fits, the rest is left out.
    """

    def __init__(self, matrix: Matrix, budget: int, details_budget: int) -> None:
        self.matrix = matrix
        self.left = budget
        self.details_left = details_budget
        self.folding = True
        self.bare = 0  # rows shown without their details
        self.left_out: list[Row] = []

    def render(self) -> str:
        parts = []
        for operation, clauses in self.matrix.by_operation():
            heading = f"\n### {_cell(operation)}\n"
            for clause, rows in clauses:
                group = self._group(heading, clause, [row for row in rows if _listed(row)])
                if group:
                    parts.append(group)
                    heading = ""
        return "".join(parts)

    def _group(self, heading: str, clause: str, rows: list[Row]) -> str:
        head = f"{heading}\n**{_cell(clause)}**\n\n{_table_head(self.matrix)}"
        if self.left_out or not rows or not self._take(head):
            self.left_out += rows
            return ""
        lines: list[str] = []
        details: list[str] = []
        for row in rows:
            line, folded = _table_line(row), _row_details(self.matrix, row)
            self.folding = self.folding and _size(folded) <= self.details_left
            if self.folding and not self.left_out and self._take(line + folded):
                self.details_left -= _size(folded)
                lines.append(line)
                details.append(folded)
            elif not self.left_out and self._take(line):
                self.folding = False
                self.bare += bool(folded)
                lines.append(line)
            else:
                self.left_out.append(row)
        return head + "".join(lines) + "\n" + "".join(details) if lines else ""

    def _take(self, text: str) -> bool:
        if _size(text) > self.left:
            return False
        self.left -= _size(text)
        return True


def _size(text: str) -> int:
    return len(text.encode())


def _table_head(matrix: Matrix) -> str:
    """The targets' labels; for a single run (its label is in the summary above) just "verdict"."""
    many = len(matrix.columns) > 1
    labels = [_cell(column.label) if many else "verdict" for column in matrix.columns]
    return "| check | " + " | ".join(labels) + " |\n" + "| --- " * (len(labels) + 1) + "|\n"


def _table_line(row: Row) -> str:
    cells = [_verdict_cell(cell) for cell in row.cells]
    return f"| <code>{_cell(clip(row.name, _NAME_LIMIT))}</code> | " + " | ".join(cells) + " |\n"


def _verdict_cell(result: CheckResult | None) -> str:
    if result is None:
        return "— (not run)"
    return f"{_ICONS[result.verdict]} {_cell(verdict_label(result))}"


def _row_details(matrix: Matrix, row: Row) -> str:
    blocks = []
    for column, result in zip(matrix.columns, row.cells, strict=True):
        if result is None or not (result.verdict in _LISTED or result.expectation is not None):
            continue
        where = f" on {column.label}" if len(matrix.columns) > 1 else ""
        title = f" — {result.title}" if result.title else ""
        summary = clip(f"{_ICONS[result.verdict]} {verdict_label(result)}: {row.name}{where}{title}", 300)
        blocks.append(_details(html.escape(printable(summary).replace("\n", " ")), result))
    return "".join(blocks)


def _details(summary: str, result: CheckResult) -> str:
    body = [f"**{label}**\n{_fenced(text)}" for label, text in detail_fields(result)]
    return f"<details><summary>{summary}</summary>\n\n" + "\n".join(body) + "\n</details>\n\n"


def _fenced(text: str) -> str:
    """A code block that no backtick run inside ``text`` can close."""
    shown = clip(printable(text), _FIELD_LIMIT, "report.html")
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{shown}\n{fence}\n"


def _cell(text: str) -> str:
    """Text for a table cell or a heading: no markup, no pipe that splits the cell, one line."""
    escaped = html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text)), quote=False)
    return escaped.replace("\n", "<br>")


def _notes(matrix: Matrix, listing: _Listing) -> str:
    """What was shortened to fit in a comment, and where the rest is."""
    what = "results" if len(matrix.columns) == 1 else "rows"
    notes = []
    if listing.bare:
        notes.append(f"the details of {listing.bare} {what} are left out")
    if listing.left_out:
        cells = [cell for row in listing.left_out for cell in row.cells if cell is not None]
        counts = Counter(cell.verdict for cell in cells)
        by_verdict = ", ".join(f"{counts[verdict]} {verdict}" for verdict in Verdict if counts[verdict])
        notes.append(f"{len(listing.left_out)} more {what} to list ({by_verdict}) are not shown")
    if not notes:
        return ""
    return f"\n> **Truncated** to fit in a comment: {'; '.join(notes)}. `report.html` has them all.\n"
