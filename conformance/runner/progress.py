"""The suite's own terminal: progress while the run goes, the suite's summary as the last thing on screen.

``iam-conformance run`` loads this module as a pytest plugin (``-p conformance.runner.progress``), beside
the suite's plugin; plain ``pytest -p conformance.runner.plugin`` does not, and keeps pytest's own terminal
(with the suite's summary in it, and expected failures as xfail).

Loaded, it silences pytest's per-test letters, header, FAILURES block and closing counts: pytest counts
tests, the suite judges results, and two tallies that disagree on one screen mislead. In their place:

- on a terminal, one status line rewritten in place: checks done / total, the operation and check
  running, the FAIL and ERROR so far;
- when stdout is not a terminal (CI logs, a pipe), plain lines: one when an operation starts, one at
  the end, and with ``-v`` one per check with its verdict;
- at the end, `reports.terminal`'s summary (written by the suite's plugin through `write_summary`).

With ``-v`` pytest's tracebacks stay (above the summary, which stays last). Colour follows pytest's
terminal writer, which honours ``NO_COLOR``, ``FORCE_COLOR`` and ``--color``; the status line is never
drawn off a terminal.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Generator, Sequence
from typing import Any

import pytest

from reports.model import Verdict
from reports.terminal import Line, failing_so_far, progress_line

__all__ = ["Display", "line_width", "loaded", "verbose_summary", "write_summary"]

_NAME = "iam-conformance-display"
_LOG_WIDTH = 200
_STYLE_MARKUP = {
    "red": {"red": True},
    "yellow": {"yellow": True},
    "green": {"green": True},
    "bold": {"bold": True},
}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before pytest's terminal reporter is made: take its verbosity, leave it nothing to print."""
    verbosity = int(config.option.verbose)
    if verbosity <= 0:
        # Nothing shows a traceback without -v, but pytest builds one for each failed test all the same
        # (a chain of Hypothesis's frames, each line read from its file: 1.5 ms a failure, some 50 of
        # them a run). Style "no" keeps only the exceptions' own lines (an ERROR's report holds them).
        # In a pytest-xdist worker too: it sends each report, traceback and all, to the controller.
        config.option.tbstyle = "no"
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: its controller draws the terminal
        return
    config.option.verbose = -2  # no letters, no "collected", no closing counts
    config.option.no_header = True
    config.option.reportchars = "N"  # no "short test summary info" after the suite's summary
    config.option.no_summary = verbosity <= 0  # -v keeps pytest's tracebacks, above the suite's summary
    config.pluginmanager.register(Display(config, verbose=verbosity > 0), _NAME)


def write_summary(reporter: Any, lines: Sequence[Line]) -> None:
    """The summary's lines through pytest's terminal writer, in colour where it draws colour."""
    display = reporter.config.pluginmanager.get_plugin(_NAME)
    if isinstance(display, Display):
        display.end_status()
    reporter.ensure_newline()
    reporter.write_sep("=", "IAM conformance summary")
    for line in lines:
        reporter.write_line(line.text, **_STYLE_MARKUP.get(line.style or "", {}))


def line_width(reporter: Any) -> int:
    """How long a listed line may be: the terminal's width; off a terminal (a CI log, which wraps
    rather than cuts), wide enough for a check, its case and what it saw."""
    width = int(reporter._tw.fullwidth)
    return width if reporter.isatty() else max(width, _LOG_WIDTH)


def loaded(config: pytest.Config) -> bool:
    """Is the suite's display drawing this run's terminal (``iam-conformance run`` loads it)?"""
    return isinstance(config.pluginmanager.get_plugin(_NAME), Display)


def verbose_summary(config: pytest.Config) -> bool:
    """Does the summary list every result? ``-v``, which the display took from pytest when loaded."""
    display = config.pluginmanager.get_plugin(_NAME)
    if isinstance(display, Display):
        return display.verbose
    return int(config.option.verbose) > 0


class Display:
    """Progress while the run goes (see the module's docstring)."""

    def __init__(self, config: pytest.Config, *, verbose: bool) -> None:
        self.config = config
        self.verbose = verbose
        self.total = 0
        self.done = 0
        self.tally: Counter[Verdict] = Counter()
        # Results so far by expectation (EXPECTED_FAILURE, ...); None without an expectations file.
        self.expectations: Counter[str] | None = (
            None if config.getoption("--iam-expectations") is None else Counter()
        )
        self.operation: str | None = None
        self.current: str | None = None
        self.started = time.monotonic()
        self.announced = False
        self.status_width = 0  # the status line on screen now (0: none)
        self._operations: dict[str, str] | None = None

    @property
    def reporter(self) -> Any:
        return self.config.pluginmanager.get_plugin("terminalreporter")

    @property
    def on_terminal(self) -> bool:
        reporter = self.reporter
        return reporter is not None and bool(reporter.isatty())

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        self.total = len(ids)  # the controller collects nothing itself; each worker reports the same ids

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str]:
        """pytest's category (its tallies and, with -v, its tracebacks need it), and no letter or word."""
        if report.passed and report.when != "call" and not hasattr(report, "wasxfail"):
            return "", "", ""
        if hasattr(report, "wasxfail"):
            return ("xfailed" if report.skipped else "xpassed"), "", ""
        if report.failed and report.when != "call":
            return "error", "", ""
        return report.outcome, "", ""

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self._announce()
        operation, self.current = self._describe(nodeid)
        if operation != self.operation:
            self.operation = operation
            if not self.on_terminal and not self.verbose:
                self._line(self._progress(with_current=False))
        self._status()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = {str(name): str(value) for name, value in report.user_properties}
        verdict = properties.get("verdict")
        # The phase that decided the verdict: the call, or a setup that did not pass (then there is none).
        if verdict is None or not (report.when == "call" or (report.when == "setup" and not report.passed)):
            return
        self.done += 1
        self.tally[Verdict(verdict)] += 1
        expectation = properties.get("expectation")
        if self.expectations is not None and expectation is not None:
            self.expectations[expectation] += 1
        if self.verbose:
            label = self._describe(report.nodeid)[1] or report.nodeid
            marker = f" ({str(expectation).lower().replace('_', ' ')})" if expectation else ""
            digits = len(str(self.total))
            self._line(f"[{self.done:>{digits}}/{self.total}] {verdict}{marker} {label}")
        self._status()

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self) -> Generator[None, object, object]:
        """The final sweep (deleting what the run created) may take a moment: the status says so."""
        if self.announced:
            self.current = "cleaning up"
            self._status()
        try:
            return (yield)
        finally:
            self.end_status()

    def end_status(self) -> None:
        """Replace the status line with the run's last progress line (once)."""
        if not self.announced:
            return
        self.announced = False
        took = time.monotonic() - self.started
        self.operation = f"{self.done} checks run in {took:.1f} s"
        self._line(self._progress(with_current=False))

    # drawing

    def _announce(self) -> None:
        if self.announced:
            return
        self.announced = True
        self.started = time.monotonic()
        option = self.config.getoption
        target = option("--iam-target") + (
            f" {option('--iam-endpoint-url')}" if option("--iam-endpoint-url") else ""
        )
        seed = option("hypothesis_seed", None)
        seeded = f", seed {seed}" if seed is not None else ""
        profile = option("--iam-profile")
        self._line(f"iam-conformance: {self.total} checks against {target} (profile {profile}{seeded})")

    def _progress(self, *, with_current: bool) -> str:
        current = self.current if with_current else None
        failing = failing_so_far(self.tally, self.expectations)
        return progress_line(self.done, self.total, self.operation, current, failing, self._width())

    def _status(self) -> None:
        if not self.on_terminal:
            return
        text = self._progress(with_current=True)
        self.reporter.write("\r" + text.ljust(self.status_width), flush=True)
        self.status_width = len(text)

    def _line(self, text: str) -> None:
        """A permanent line: over the status line where there is one, which is drawn again after it."""
        reporter = self.reporter
        if reporter is None:
            return
        if self.status_width:
            reporter.write("\r" + " " * self.status_width + "\r")
            self.status_width = 0
        reporter.write_line(text)
        reporter.flush()

    def _width(self) -> int:
        reporter = self.reporter
        return max(line_width(reporter) - 1, 40) if reporter is not None else _LOG_WIDTH

    def _describe(self, nodeid: str) -> tuple[str | None, str | None]:
        """(operation, ``check [case]``) from a test id such as ``test_x[vmfa.create.qr.png-path.max]``:
        the longest check id the parameters start with (under pytest-xdist only ids cross the wire)."""
        if self._operations is None:
            from conformance.scenarios import all_checks

            self._operations = {check.id: check.operation for check in all_checks()}
        params = nodeid.partition("[")[2].removesuffix("]")
        for check in sorted(self._operations, key=len, reverse=True):
            if params == check or params.startswith(check + "-"):
                case = params[len(check) + 1 :]
                return self._operations[check], check + (f" [{case}]" if case else "")
        return None, nodeid.rpartition("::")[2] or None
