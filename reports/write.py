"""PLACEHOLDER, to be replaced at merge by the ``reports-render`` branch's module of the same name.

That branch writes every report format (Markdown, HTML, JUnit, results.json) for one run and the
matrix of several runs. This stand-in has exactly its two entry points, so that ``iam-conformance
report`` can be wired and tested here; it writes only ``results.json`` files and is not tested for
what it renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reports import results_json
from reports.model import RunResult, write_atomically

__all__ = ["write_matrix_reports", "write_run_reports"]


def write_run_reports(run: RunResult, directory: Path) -> None:
    write_atomically(directory / "results.json", results_json.render(run))


def write_matrix_reports(runs: Sequence[RunResult], directory: Path) -> None:
    for index, run in enumerate(runs, start=1):
        write_atomically(directory / f"results-{index}.json", results_json.render(run))
