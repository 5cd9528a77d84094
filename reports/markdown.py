"""``report.md``: the report as a GitHub pull-request comment.

A comment is read in a review, so it says what needs attention and little else. First each target's
counts per verdict and conformance score (`reports.score`); for several targets, each one's "only here"
count and a line per operation with its interop share and each target's passes (`reports.triage`).
Then the list, failures first:

- without an expectations file, every row with a FAIL, ERROR, DEVIATION or NOT_IMPLEMENTED somewhere;
- with one, only what it does not expect (an unexpected failure or pass): the expected failures are
  counted in the summary, not listed.

The list is by operation, one table line per check and verdicts, the cases that share them and what
happened collapsed into that one line; a SKIP that follows from a failure is counted on its line, never
listed. Under each table, the details of one example per line, folded in a ``<details>`` block, shown
once for the targets where they are the same, and without what the message repeats of the other fields
(`reports.text.distinct_fields`). PASS, INFO and SKIP are counted, not listed: ``report.html`` has
everything.

GitHub refuses a comment over 65,536 characters, so the text stays within `BUDGET` UTF-8 bytes (bytes
are never fewer than characters), and long fields are clipped. When the list does not fit, the details
are left out from the end, then the lines past the limit; a note says how much of each.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reports.leftovers import ending_lines, score_suffix
from reports.matrix import Column, Matrix, Row, build_matrix
from reports.model import CheckResult, Expectation, RunResult, Verdict
from reports.score import JUDGED, format_score
from reports.text import clip, distinct_fields, printable, verdict_label
from reports.triage import ATTENTION, Triage, triage

__all__ = ["BUDGET", "TARGET", "render"]

BUDGET = 60_000  # UTF-8 bytes; GitHub's limit for a comment is 65,536 characters
TARGET = 20_000  # UTF-8 bytes the comment aims at: the details fill what the list leaves of it
_DETAILS_FLOOR = 8_000  # bytes of details kept however long the list, while they last
_FIELD_LIMIT = 400  # characters of one field (a message, an observed value) before it is clipped
_INLINE_LIMIT = 160  # a one-line field up to this long is written inline, not as a block
_SAID_LIMIT = 160  # characters of the "what happened" of a table line
_NOTE_RESERVE = 400  # kept free for the truncation note
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
_UNEXPECTED = (Expectation.UNEXPECTED_FAILURE, Expectation.UNEXPECTED_PASS)
_RANKS = ({Verdict.FAIL, Verdict.ERROR}, {Verdict.DEVIATION}, {Verdict.NOT_IMPLEMENTED})
_NAME_LIMIT = 200  # characters of a check id in a table cell
_CASES_LIMIT = 600  # characters of a line's list of cases
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~|])")


def render(runs: Sequence[RunResult]) -> str:
    """The comment for one run, or for several side by side (one column each)."""
    if not runs:
        raise ValueError("a report needs at least one run")
    found = triage(build_matrix(runs))
    text = _summary(found)
    lines = _lines(found)
    if not lines:
        return text + "\n" + _nothing(found.matrix) + "\n"
    text += _heading(found, lines)
    body, bare, left_out = _fitted(found.matrix, lines, _size(text))
    return text + body + _notes(found.matrix, bare, left_out)


def _summary(found: Triage) -> str:
    verdicts = list(Verdict)
    many = len(found.matrix.columns) > 1
    extra = ["only here"] if many else []
    head = ["target", "suite", "profile", "API calls", *map(str, verdicts), "score", *extra]
    lines = ["## IAM virtual MFA conformance", "", _table_row(head), "| --- " * len(head) + "|"]
    for index, column in enumerate(found.matrix.columns):
        run, counts = column.run, column.counts
        cells = [_cell(column.label), _cell(run.suite_version), _cell(run.profile), str(run.api_calls)]
        score = format_score(counts) + score_suffix(run.interrupted, run.complete)  # final, or says not
        cells += [str(counts.get(verdict, 0)) for verdict in verdicts] + [score]
        cells += [str(found.only_here[index])] if many else []
        lines.append(_table_row(cells))
    lines += [
        "",
        "Score: PASS / (PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR); INFO and SKIP are not judged."
        + (" Only here: failing on that target, passing on every other." if many else ""),
    ]
    lines += [_expectations_line(column) for column in found.matrix.columns if column.run.expectations]
    columns = found.matrix.columns
    lines += [_run_note(column.label, note) for column in columns for note in _run_notes(column.run)]
    if many:
        lines += ["", *_operations(found)]
    return "\n".join(lines) + "\n"


def _operations(found: Triage) -> list[str]:
    """Per operation: its interop share and each target's passes over its judged results."""
    labels = [_cell(column.label) for column in found.matrix.columns]
    lines = [_table_row(["operation", "interop", *labels]), "| --- " * (len(labels) + 2) + "|"]
    for section in found.sections:
        passes = [f"{c[Verdict.PASS]} / {sum(c[v] for v in JUDGED)}" for c in section.counts]
        lines.append(_table_row([_cell(section.operation), section.interop.format(), *passes]))
    return lines


def _run_notes(run: RunResult) -> list[str]:
    """What the run itself met (a failed cleanup, an endpoint that broke), and whether it ended early."""
    said = run.complete or run.interrupted  # an interrupted run says so in its ending lines
    ended_early = [] if said else ["incomplete: the run ended before every check was run"]
    ending = [line.strip() for line in ending_lines(run.interrupted, run.complete, run.leftovers)]
    return ended_early + ending + list(run.notes)


def _run_note(label: str, note: str) -> str:
    return f"\n**{_cell(label)}**: {_cell(clip(note, _FIELD_LIMIT))}"


def _expectations_line(column: Column) -> str:
    found = Counter(result.expectation for result in column.run.results if result.expectation)
    counts = ", ".join(f"{word}: {found.get(kind, 0)}" for kind, word in _EXPECTATION_COUNTS.items())
    return f"{_cell(column.label)}: judged against {_cell(column.run.expectations or '')} ({counts})."


def _listed(column: Column, result: CheckResult | None) -> bool:
    """Worth a reviewer's attention: what the expectations file did not expect, or without one a failure."""
    if result is None:
        return False
    if column.run.expectations:
        return result.expectation in _UNEXPECTED
    return result.verdict in ATTENTION


@dataclass(frozen=True)
class _Line:
    """One table line: a check's rows (its cases) that share their verdicts and what happened."""

    operation: str
    rows: tuple[Row, ...]
    said: str  # what happened, one line
    folded: int  # SKIPs that follow from these rows

    @property
    def example(self) -> Row:
        return self.rows[0]

    @property
    def rank(self) -> int:
        """Failures first: FAIL and ERROR, then DEVIATION, NOT_IMPLEMENTED, then an unexpected pass."""
        verdicts = {cell.verdict for cell in self.example.cells if cell is not None}
        return next((rank for rank, kinds in enumerate(_RANKS) if verdicts & kinds), len(_RANKS))


def _lines(found: Triage) -> list[_Line]:
    """The listed rows as table lines, by operation, failures first."""
    columns = found.matrix.columns
    lines: list[_Line] = []
    for section in found.sections:
        groups: dict[tuple[object, ...], list[Row]] = {}
        for row in section.failing:
            if any(_listed(column, cell) for column, cell in zip(columns, row.cells, strict=True)):
                key = (row.check, tuple(_label(cell) for cell in row.cells), _said(found.matrix, row))
                groups.setdefault(key, []).append(row)
        for (_, _, said), rows in groups.items():
            folded = sum(len(found.dependents(row)) for row in rows)
            lines.append(_Line(section.operation, tuple(rows), str(said), folded))
    order = {section.operation: index for index, section in enumerate(found.sections)}
    return sorted(lines, key=lambda line: (order[line.operation], line.rank))  # stable: clause order kept


def _label(result: CheckResult | None) -> str:
    return "—" if result is None else verdict_label(result)


def _said(matrix: Matrix, row: Row) -> str:
    """What happened, in one line: each listed target's observed value (or message), once where equal."""
    told: dict[str, list[str]] = {}
    for column, cell in zip(matrix.columns, row.cells, strict=True):
        if _listed(column, cell) and cell is not None:
            told.setdefault(_short(cell), []).append(column.label)
    if len(told) == 1 or len(matrix.columns) == 1:
        return next(iter(told), "")
    return " · ".join(f"{', '.join(labels)}: {text}" for text, labels in told.items())


def _short(result: CheckResult) -> str:
    fields = dict(distinct_fields(result))
    said = [fields.get(label) for label in ("Observed", "Message", "Notes", "Expectation")]
    text = next((text for text in said if text), "")
    first = printable(text).strip().partition("\n")[0]
    return clip(first, _SAID_LIMIT)


def _heading(found: Triage, lines: list[_Line]) -> str:
    columns = found.matrix.columns
    cells = [
        cell
        for line in lines
        for row in line.rows
        for column, cell in zip(columns, row.cells, strict=True)
        if _listed(column, cell) and cell is not None
    ]
    counts = Counter(cell.verdict for cell in cells)
    said = ", ".join(f"{counts[verdict]} {verdict}" for verdict in Verdict if counts[verdict])
    unexpected = all(column.run.expectations for column in columns)
    title = "Unexpected" if unexpected else "Needs attention"
    folded = sum(line.folded for line in lines)
    after = f"; {folded} SKIPs that follow from them are counted on their line" if folded else ""
    results = f"{len(cells)} {_plural(len(cells), 'result')}"
    text = f"\n### {title}\n\n{results} ({said}){after}. PASS, INFO and SKIP are not listed"
    return text + ("; nor are the expected failures.\n" if unexpected else ".\n")


def _nothing(matrix: Matrix) -> str:
    if all(column.run.expectations for column in matrix.columns):
        return "Nothing unexpected: every failure is listed in the expectations file."
    return "Nothing to report: every result is PASS, INFO or SKIP."


def _fitted(matrix: Matrix, lines: list[_Line], used: int) -> tuple[str, int, list[_Line]]:
    """The listing after ``used`` bytes: every line while the list fits in `BUDGET` (keeping room for some
    details), and the details, failures' first, while the whole stays within `TARGET` (or that room)."""
    details = [_line_details(matrix, line) for line in lines]
    budget = BUDGET - _NOTE_RESERVE - used
    floor = min(_DETAILS_FLOOR, sum(map(_size, details)))
    shown = len(lines)
    while shown and _size(_listing(matrix, lines[:shown], [""] * shown)) > budget - floor:
        shown -= max(1, shown // 8)
    bare = _size(_listing(matrix, lines[:shown], [""] * shown))
    room = min(max(TARGET - _NOTE_RESERVE - used - bare, floor), budget - bare)
    chosen = [""] * shown
    for index in sorted(range(shown), key=lambda index: (lines[index].rank, index)):
        if 0 < _size(details[index]) <= room:
            chosen[index] = details[index]
            room -= _size(details[index])
    left = sum(bool(details[index]) and not chosen[index] for index in range(shown))
    return _listing(matrix, lines[:shown], chosen), left, lines[shown:]


def _listing(matrix: Matrix, lines: list[_Line], details: list[str]) -> str:
    parts = []
    operation = None
    group: list[str] = []
    folded: list[str] = []

    def flush() -> None:
        if group:
            parts.append(_table_head(matrix) + "".join(group) + "\n" + "".join(folded))

    for index, line in enumerate(lines):
        if line.operation != operation:
            flush()
            group, folded = [], []
            operation = line.operation
            parts.append(f"\n#### {_cell(operation)}\n\n")
        group.append(_table_line(line))
        folded.append(details[index] if index < len(details) else "")
    flush()
    return "".join(parts)


def _table_head(matrix: Matrix) -> str:
    """The targets' labels; for a single run (its label is in the summary above) just "verdict"."""
    many = len(matrix.columns) > 1
    labels = [_cell(column.label) if many else "verdict" for column in matrix.columns]
    return _table_row(["check", *labels, "what happened"]) + "\n" + "| --- " * (len(labels) + 2) + "|\n"


def _table_line(line: _Line) -> str:
    row = line.example
    name = f"<code>{_cell(clip(row.check, _NAME_LIMIT))}</code>"
    if len(line.rows) > 1:
        cases = ", ".join(_cell(r.case or "(no case)") for r in line.rows)
        name += f" {len(line.rows)} cases: {clip(cases, _CASES_LIMIT)}"
    elif row.case is not None:
        name += f" \\[{_cell(clip(row.case, _NAME_LIMIT))}\\]"
    cells = [_verdict_cell(cell) for cell in row.cells]
    said = _cell(line.said) + (f" (+{line.folded} SKIP after it)" if line.folded else "")
    return _table_row([name, *cells, said]) + "\n"


def _verdict_cell(result: CheckResult | None) -> str:
    if result is None:
        return "— (not run)"
    return f"{_ICONS[result.verdict]} {_cell(verdict_label(result))}"


def _line_details(matrix: Matrix, line: _Line) -> str:
    """The example row's details in one block: a field the listed targets share (the endpoint's URL aside)
    once, one that differs once per target; none when the table line says it all (a one-line message)."""
    row = line.example
    listed = [
        (column, cell)
        for column, cell in zip(matrix.columns, row.cells, strict=True)
        if cell is not None and _listed(column, cell)
    ]
    fields: dict[str, dict[str, tuple[str, list[str]]]] = {}  # label -> the same text -> (text, targets)
    for column, cell in listed:
        for label, text in _comment_fields(cell):
            plain = text.replace(column.run.target.url, "<endpoint>") if column.run.target.url else text
            fields.setdefault(label, {}).setdefault(plain, (text, []))[1].append(column.label)
    if not fields or (list(fields) == ["Message"] and all("\n" not in t.strip() for t in fields["Message"])):
        return ""
    many = len(matrix.columns) > 1
    body = [
        _field(label + (f" on {', '.join(targets)}" if many and len(told) > 1 else ""), text)
        for label, told in fields.items()
        for text, targets in told.values()
    ]
    verdicts: dict[str, list[str]] = {}
    for column, cell in listed:
        verdicts.setdefault(f"{_ICONS[cell.verdict]} {verdict_label(cell)}", []).append(column.label)
    said = " · ".join(
        f"{verdict} on {', '.join(where)}" if many else verdict for verdict, where in verdicts.items()
    )
    example = f" (one of {len(line.rows)} cases)" if len(line.rows) > 1 else ""
    title = f" — {row.title}" if row.title else ""
    summary = html.escape(printable(clip(f"{said}: {row.name}{example}{title}", 300)).replace("\n", " "))
    about = f"*{_cell(row.clause)}* · {row.evidence} evidence"
    return f"<details><summary>{summary}</summary>\n\n{about}\n\n{''.join(body)}</details>\n\n"


def _comment_fields(result: CheckResult) -> list[tuple[str, str]]:
    """`distinct_fields`, less the counterexample where the reproducing call spells out its inputs: all but
    a sequence of calls (numbered: ``1. CreateUser(...)``), whose reproduction is only its last call."""
    fields = distinct_fields(result)
    sequence = (result.counterexample or "").lstrip().startswith("1. ")
    if result.reproduction and not sequence:
        return [(label, text) for label, text in fields if label != "Counterexample"]
    return fields


def _field(label: str, text: str) -> str:
    """A short one-line field as inline code after its label, anything else as a code block; neither can
    be closed by a backtick run inside ``text``."""
    shown = clip(printable(text), _FIELD_LIMIT, "report.html")
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    if "\n" not in shown and len(shown) <= _INLINE_LIMIT and label != "Reproduction":  # that one is copied
        ticks = "`" * (longest + 1)
        pad = " " if shown.startswith("`") or shown.endswith("`") else ""
        return f"**{label}**: {ticks}{pad}{shown}{pad}{ticks}\n\n"
    fence = "`" * max(3, longest + 1)
    return f"**{label}**\n{fence}text\n{shown}\n{fence}\n\n"


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    """Text for a table cell or a heading: no markup, no pipe that splits the cell, one line."""
    escaped = html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text)), quote=False)
    return escaped.replace("\n", "<br>")


def _size(text: str) -> int:
    return len(text.encode())


def _notes(matrix: Matrix, bare: int, left_out: list[_Line]) -> str:
    """What was shortened to fit in a comment, and where the rest is."""
    notes = []
    if bare:
        notes.append(f"the details of {bare} {_plural(bare, 'line')} are left out")
    if left_out:
        rows = [row for line in left_out for row in line.rows]
        cells = [cell for row in rows for cell in row.cells if cell is not None]
        counts = Counter(cell.verdict for cell in cells)
        by_verdict = ", ".join(f"{counts[verdict]} {verdict}" for verdict in Verdict if counts[verdict])
        notes.append(f"{len(rows)} more {_plural(len(rows), 'result')} to list ({by_verdict}) are not shown")
    if not notes:
        return ""
    return f"\n> **Truncated** to fit in a comment: {'; '.join(notes)}. `report.html` has them all.\n"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"
