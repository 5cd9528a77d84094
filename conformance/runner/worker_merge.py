"""The controller of ``--workers`` in the plugin: it opens the endpoint the workers share, and merges
what they send into the one run (`conformance.runner.workers` is the xdist side of it).

A worker's verdict arrives with its pytest report and is recorded as a serial run records it
(`conformance.runner.recording`): amended for a broken endpoint, written to results.json, judged
against the expectations. The controller never judges a test itself.
"""

from __future__ import annotations

import pytest

from conformance.runner import workers
from conformance.runner.recording import align_report, contain_damage, judged, record
from conformance.runner.run_state import STATE, ConformanceRun, open_run
from conformance.session.health import Breakage
from reports.model import CheckResult

__all__ = ["start"]


def start(session: pytest.Session) -> None:
    """The controller of ``--workers`` opens the endpoint before xdist starts the workers, who share
    it; it collects no test itself. Nothing to do in a serial run or in a worker."""
    config = session.config
    if not workers.distributed(config):
        return
    run = config.stash[STATE]
    if run.config.target == "moto":
        raise pytest.UsageError("--target moto runs in this process and cannot be shared by workers")
    run.active = True
    suite = open_run(run)
    workers.start_controller(
        config, run.config, suite, _merge_worker_result(run, config), _merge_worker_end(run)
    )


def _merge_worker_result(run: ConformanceRun, config: pytest.Config) -> workers.OnResult:
    """The controller of ``--workers``: a worker's verdict arrives with its report; recorded as a
    serial run records it, before the terminal shows the report."""

    def on_result(report: pytest.TestReport, result: CheckResult, breakage: Breakage | None) -> None:
        align_report(report, judged(record(run, result, config, breakage), config))

    return on_result


def _merge_worker_end(run: ConformanceRun) -> workers.OnDown:
    """A worker ended: its notes, and what its final sweep saw of the endpoint."""

    def on_down(notes: list[str], breakage: Breakage | None) -> None:
        run.notes.extend(note for note in notes if note not in run.notes)
        if breakage is not None:
            contain_damage(run, breakage, just_judged=False)

    return on_down
