"""The end of a run: the final sweep, the reports, the exit code, and the summary on the terminal.

The report is written whatever the run or the sweep met: a run is never lost. The exit code under plain
pytest is pytest's (a leftover fails the run); the ``iam-conformance`` command has its own, finer ones
(`conformance.runner.exit_codes`), read from the summary this module leaves in the config's stash
(`SUMMARY`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from conformance.runner import exit_codes, progress, workers
from conformance.runner.recording import EXPECTATIONS, contain_damage
from conformance.runner.run_state import STATE, ConformanceRun
from conformance.runner.summary import summary
from conformance.runner.worker_order import in_order
from conformance.session.secrets import forget_secrets, scrub
from conformance.session.suite import SuiteSession
from reports import terminal
from reports.expectations import apply_expectations
from reports.model import Leftover, RunResult
from reports.write import write_run_reports

__all__ = ["CLOSING_FACTS", "EXIT_REASON", "SUMMARY", "SUMMARY_SHOWN", "finish", "show_summary"]

SUMMARY = pytest.StashKey[RunResult]()  # the run's result, once it ended: the command reads it
_WRITE_ERROR = pytest.StashKey[str]()

# --- the summary on the terminal (reports.terminal draws it; conformance.runner.progress writes it) ---
# Facts the run hands to the summary's end, just above its last line (leftovers, an interruption): any
# part of the plugin appends a sentence here before the terminal summary.
CLOSING_FACTS = pytest.StashKey[list[str]]()
# Why the run exits as it does, for an exit code `reports.terminal.exit_reason` does not explain.
EXIT_REASON = pytest.StashKey[str]()
_EXIT_CODE = pytest.StashKey[int]()
SUMMARY_SHOWN = pytest.StashKey[bool]()  # its last line said how the run ended: the command adds none


def finish(session: pytest.Session, exitstatus: int) -> None:
    """Sweep, then write the report whatever the run or the sweep met: a run is never lost."""
    run = session.config.stash[STATE]
    if not run.active or run.suite is None:
        return
    controller = workers.controller_of(session.config)
    _sweep(run, run.suite, controller)
    workers.worker_output(session.config, run.suite, run.notes)
    if controller is not None:
        run.results[:] = in_order(run.results, controller.indices)
        controller.close()
        if not session.testscollected:  # the workers collected no conformance test: as a serial run
            return
    ended_early = exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR)
    result = summary(run, session.config, complete=not ended_early)
    if exitstatus == pytest.ExitCode.INTERRUPTED and result.interrupted is None:
        result = dataclasses.replace(result, interrupted="KeyboardInterrupt")
    expectations = session.config.stash.get(EXPECTATIONS, None)
    if expectations is not None:
        result = apply_expectations(result, expectations)
    session.config.stash[SUMMARY] = result
    if run.config.report_dir is not None:
        try:
            write_run_reports(result, run.config.report_dir, scrub)
        except Exception as error:  # results.json so far is on disk already (written after each result)
            session.config.stash[_WRITE_ERROR] = f"{type(error).__name__}: {error}"  # shown in the summary
    run.memo.clear()
    forget_secrets()
    _set_exit_status(session, result, exitstatus)


def _sweep(run: ConformanceRun, suite: SuiteSession, controller: workers.Controller | None) -> None:
    """Delete everything still tracked (with ``--workers``, also what the workers still held, once xdist
    ended them); what could not be deleted, or was left on purpose, goes into the run's notes."""
    run.interrupts.cleaning_up()  # a signal from now on hurries the sweep, never skips it
    try:
        if controller is not None:  # the workers are down (xdist ended them first): what they still held
            controller.sweep_into(suite)
        run.exit_stack.close()  # deletes every device and user still tracked
    except Exception as error:  # recorded with the endpoint's answer, never raised past the report
        note = scrub(f"cleanup: {error}")
        if note not in run.notes:  # with --workers, a worker may have met the same already
            run.notes.append(note)
    run.leftovers = tuple(Leftover(item.kind, item.id, scrub(item.answer)) for item in suite.leftovers)
    for serial, why in suite.tracker.abandoned().items():
        note = scrub(f"left on the endpoint on purpose: device {serial} ({why})")
        if note not in run.notes:  # with --workers, the worker that left it said so already
            run.notes.append(note)
    contain_damage(run, just_judged=False)  # the sweep's own reads may be the first to see it broken


def _set_exit_status(session: pytest.Session, result: RunResult, exitstatus: int) -> None:
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and result.interrupted is None:
        # pytest's codes under plain pytest (a leftover fails the run); the command has its own, finer
        # ones (`conformance.runner.exit_codes`), from the summary.
        failed = result.failed or bool(result.leftovers)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED if failed else pytest.ExitCode.OK
    elif result.interrupted is not None:
        session.exitstatus = pytest.ExitCode.INTERRUPTED
    # The code the process ends with, for the summary's last line: the command's own when its display
    # is loaded (it is the command that loads it), pytest's under plain pytest.
    command = progress.loaded(session.config)
    session.config.stash[_EXIT_CODE] = exit_codes.exit_code(result) if command else int(session.exitstatus)


def show_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The summary on the terminal, once the run ended (`reports.terminal` draws it)."""
    result = config.stash.get(SUMMARY, None)
    if result is None:
        return
    closing: list[str] = config.stash.get(CLOSING_FACTS, [])
    report_dir = config.stash[STATE].config.report_dir
    lines = terminal.summary_lines(
        result,
        config.stash.get(EXPECTATIONS, None),
        report_dir=str(report_dir) if report_dir is not None else None,
        report_error=config.stash.get(_WRITE_ERROR, None),
        closing=closing,
        exit_code=config.stash.get(_EXIT_CODE, None),
        why=config.stash.get(EXIT_REASON, None),
        verbose=progress.verbose_summary(config),
        width=progress.line_width(terminalreporter),
    )
    progress.write_summary(terminalreporter, lines)
    config.stash[SUMMARY_SHOWN] = True
