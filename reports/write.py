"""Writing the report files: the one place that knows which files a report directory holds.

A run writes four files: ``results.json`` (the record every other report can be re-rendered from),
``report.md`` (a pull-request comment), ``report.html`` (everything, offline) and ``junit.xml`` (for
CI). Several saved runs compared side by side write ``report.md`` and ``report.html`` only: their
matrix. Each file is written atomically, ``results.json`` first, so that a renderer's crash cannot
cost the record.

The caller's ``scrub`` (the suite's second line of defence against a secret the run has seen:
`conformance.session.secrets.scrub`) is applied to the *record* before anything is rendered: a renderer
clips long texts, and a clipped secret would no longer be recognised, and a description put into
rendered HTML or XML would be markup. Each rendered text is scrubbed once more on its way out, as the
plugin always did; but ``results.json`` is the record's own scrubbed text, written as it is (scrubbing
it again, a text as long as the HTML, found nothing more and cost a fifth of the end of a run).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from reports import html, junit, markdown, results_json
from reports.model import RunResult, write_atomically

__all__ = [
    "MATRIX_FILES",
    "RUN_FILES",
    "clear_run_reports",
    "progress_due",
    "write_matrix_reports",
    "write_progress",
    "write_run_reports",
]

_RUN_RENDERERS: dict[str, Callable[[RunResult], str]] = {
    "results.json": results_json.render,
    "report.md": lambda run: markdown.render([run]),
    "report.html": lambda run: html.render([run]),
    "junit.xml": junit.render,
}
_MATRIX_RENDERERS: dict[str, Callable[[Sequence[RunResult]], str]] = {
    "report.md": markdown.render,
    "report.html": html.render,
}
RUN_FILES = tuple(_RUN_RENDERERS)
MATRIX_FILES = tuple(_MATRIX_RENDERERS)


Scrub = Callable[[str], str]


def write_run_reports(run: RunResult, directory: Path, scrub: Scrub) -> list[Path]:
    """Write the four files of one run into ``directory``, ``results.json`` first; return their paths."""
    record = directory / "results.json"
    text = _scrubbed_json(run, scrub)
    write_atomically(record, text)  # the record as it was scrubbed: scrubbing it again finds nothing
    clean = RunResult.from_json(json.loads(text))
    rendered = [
        _write(directory / name, render(clean), scrub)
        for name, render in _RUN_RENDERERS.items()
        if name != record.name
    ]
    return [record, *rendered]


def clear_run_reports(directory: Path) -> list[Path]:
    """Remove the report files of an earlier run from ``directory`` (and any temporary file a killed
    write left), before a new run starts: a run that is killed before it writes its own must not leave
    the previous one's looking current. Returns what was removed; nothing else is touched."""
    removed = []
    for name in RUN_FILES:
        for path in (directory / name, *directory.glob(f".{name}.*.tmp")):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def write_progress(run: RunResult, directory: Path, *, now: float | None = None) -> Path:
    """Write ``results.json`` alone, for a run still going (``run.complete`` false), as results come.

    A run that is killed then leaves the results so far, never a half-written file (the write is
    atomic). Each result's texts were scrubbed when it was made; the whole record is scrubbed again
    when the run ends (`write_run_reports`), which is too slow to repeat after every result.

    At most one write a second (`PROGRESS_INTERVAL_S`; ``now``: the monotonic clock's reading): the
    file holds every result up to the last write, and grows with the run, so rewriting it after each
    result cost a tenth of a default run's time. It is written on one line and without fsync, which a
    killed process does not need (the kernel keeps what was written); the final write is indented and
    synced. A killed run thus leaves every result but those judged less than a second after its last
    write (which waited for the next result to come).
    """
    path = directory / "results.json"
    moment = time.monotonic() if now is None else now
    if not progress_due(directory, run.started, now=moment):
        return path
    write_atomically(path, results_json.render(run, compact=True), durable=False)
    _progress_written[(str(directory), run.started)] = moment
    return path


def progress_due(directory: Path, started: str, *, now: float | None = None) -> bool:
    """Whether `write_progress` would write the results.json of the run ``started`` (its `RunResult`'s
    start) in ``directory`` now: a caller asks before it builds the run's record, most of which would
    otherwise be built after every result only to be dropped. A new run into the same folder is due at
    once."""
    moment = time.monotonic() if now is None else now
    return moment - _progress_written.get((str(directory), started), -math.inf) >= PROGRESS_INTERVAL_S


PROGRESS_INTERVAL_S = 1.0
_progress_written: dict[tuple[str, str], float] = {}  # (folder, run start) -> when last written


def write_matrix_reports(runs: Sequence[RunResult], directory: Path, scrub: Scrub) -> list[Path]:
    """Write the Markdown and HTML matrix of one or more runs into ``directory``; return their paths."""
    if not runs:
        raise ValueError("a report needs at least one run")
    clean = [_scrubbed(run, scrub) for run in runs]
    return [_write(directory / name, render(clean), scrub) for name, render in _MATRIX_RENDERERS.items()]


def _scrubbed(run: RunResult, scrub: Scrub) -> RunResult:
    """The run with every secret this process has seen replaced in every text, as results.json has it.

    A secret's spellings (base32, base64, hex) hold no character that JSON escapes, and its description
    holds no quote or backslash, so scrubbing the JSON text scrubs every field and keeps it JSON.
    """
    return RunResult.from_json(json.loads(_scrubbed_json(run, scrub)))


def _scrubbed_json(run: RunResult, scrub: Scrub) -> str:
    return scrub(results_json.render(run))


def _write(path: Path, text: str, scrub: Scrub) -> Path:
    write_atomically(path, scrub(text))
    return path
