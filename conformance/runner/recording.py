"""A conformance test's pytest outcome turned into a `CheckResult`, recorded in the run.

The verdict is made from the exception the test ended with (`conformance.judging.verdicts`), never from
pytest's text. Each result is amended if the endpoint is broken (`conformance.judging.damage`), judged
against the expectations file if there is one, and written to results.json at once, so that a run
killed at any point leaves its results. pytest's own outcome is then aligned with the verdict: only
FAIL and ERROR fail a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.judging.damage import after_damage, blame, result_label
from conformance.judging.registry import Check
from conformance.judging.verdicts import ItemRecord, result_for
from conformance.runner import workers
from conformance.runner.run_state import STATE, ConformanceRun
from conformance.runner.summary import summary
from conformance.scenarios import all_checks
from conformance.session.health import Breakage
from conformance.session.secrets import scrub
from reports.expectations import Expectations, ExpectationsError, judge_result, load_expectations
from reports.model import CheckResult, Expectation, Verdict
from reports.write import progress_due, write_progress

__all__ = [
    "EXPECTATIONS",
    "RECORD",
    "align_report",
    "case_of",
    "check_of",
    "contain_damage",
    "judged",
    "load_expectations_file",
    "record",
    "record_report",
]

RECORD = pytest.StashKey[ItemRecord]()
EXPECTATIONS = pytest.StashKey["Expectations | None"]()


def load_expectations_file(path: str | None) -> Expectations | None:
    """Read and validate the file before anything is sent: a bad one is a one-line usage error."""
    if not path:
        return None
    try:
        return load_expectations(Path(path), {check.id for check in all_checks()})
    except ExpectationsError as error:
        raise pytest.UsageError(str(error)) from None


def record_report(
    item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException] | None, report: pytest.TestReport
) -> pytest.TestReport:
    """The verdict of a conformance test's phase that decides it, recorded, and ``report`` aligned."""
    check = check_of(item)
    if check is None or not _decides_verdict(report):
        return report
    item_record = item.stash.setdefault(RECORD, ItemRecord())
    fixtures = set(getattr(item, "fixturenames", ())) | {"check"}
    run = item.config.stash[STATE]
    result = result_for(
        check, excinfo, item_record, report.duration, fixtures, case_of(item), run.missing_operations
    )
    if workers.is_worker(item.config):  # the controller records it too, as it was judged
        workers.send_payload(report, result, run.suite)
    result = judged(record(run, result, item.config), item.config)
    properties = [("check", check.id), ("verdict", str(result.verdict))]
    if result.expectation is not None:
        properties.append(("expectation", str(result.expectation)))
    item.user_properties.extend(properties)
    report.user_properties.extend(properties)  # what the display reads (pytest-xdist sends reports)
    align_report(report, result)
    return report


def record(
    run: ConformanceRun, result: CheckResult, config: pytest.Config, breakage: Breakage | None = None
) -> CheckResult:
    """One more result: amended if the endpoint is broken, and written to results.json at once."""
    run.results.append(result)
    contain_damage(run, breakage)
    _write_progress(run, config)
    return run.results[-1]


def judged(result: CheckResult, config: pytest.Config) -> CheckResult:
    """``result`` judged against the expectations file now too, so that pytest's outcome is xfail where
    a failure is expected (the report applies the file again, to the whole run)."""
    expectations = config.stash.get(EXPECTATIONS, None)
    return result if expectations is None else judge_result(result, expectations)


def contain_damage(
    run: ConformanceRun, breakage: Breakage | None = None, *, just_judged: bool = True
) -> None:
    """Once the endpoint is broken, the results say so (`conformance.judging.damage`). ``just_judged``:
    the last result is the test that just ended (False: the final sweep noticed). ``breakage``: what a
    worker's health watch saw (else this process's own watch)."""
    if breakage is None:
        breakage = run.suite.health.broken if run.suite is not None else None
    if breakage is None:
        return
    if run.breakage is None:  # noticed just now: amend what was judged since the step
        run.breakage = breakage
        run.notes.append(scrub(f"{breakage.describe()}: {breakage.read}"))
        blame(run.results, breakage, just_judged=just_judged)
        return
    last = run.results[-1]
    if just_judged and result_label(last.check, last.case) != breakage.label:
        run.results[-1] = after_damage(last, breakage, run.results)


def _write_progress(run: ConformanceRun, config: pytest.Config) -> None:
    """results.json with the results so far: a run killed at any point leaves them."""
    if run.config.report_dir is None or run.suite is None:
        return
    if not progress_due(run.config.report_dir, run.started):  # at most one write a second
        return
    try:
        write_progress(summary(run, config, complete=False), run.config.report_dir)
    except OSError as error:  # the run goes on; the report is written again at its end
        if not any(note.startswith(_PROGRESS_FAILED) for note in run.notes):
            run.notes.append(f"{_PROGRESS_FAILED}: {error}")


_PROGRESS_FAILED = "results.json could not be written while the run was going"


def check_of(item: pytest.Item) -> Check[Any] | None:
    callspec = getattr(item, "callspec", None)
    value = callspec.params.get("check") if callspec is not None else None
    return value if isinstance(value, Check) else None


def case_of(item: pytest.Item) -> str | None:
    """The other parameters of a check's test (a violated constraint's label, an edge case)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    parts = [getattr(value, "reason", value) for name, value in callspec.params.items() if name != "check"]
    return ", ".join(str(part) for part in parts) or None


def _decides_verdict(report: pytest.TestReport) -> bool:
    """The call phase decides, unless setup already failed or skipped (then there is no call)."""
    return report.when == "call" or (report.when == "setup" and not report.passed)


def align_report(report: pytest.TestReport, result: CheckResult) -> None:
    """pytest's outcome follows the verdict: only FAIL and ERROR fail a test. With an expectations file,
    what fails the run fails the test, an expected failure is pytest's xfail, an unexpected pass xpass."""
    if result.counts_as_failure:
        report.outcome = "failed"
        report.longrepr = (
            scrub(str(report.longrepr)) if result.verdict is Verdict.ERROR else scrub(result.message)
        )
    elif result.expectation is Expectation.EXPECTED_FAILURE:
        report.outcome = "skipped"
        report.wasxfail = f"{result.verdict} expected: {result.expectation_reason}"
        report.longrepr = scrub(result.message)
    elif result.verdict in (Verdict.SKIP, Verdict.NOT_IMPLEMENTED):
        report.outcome = "skipped"
        report.longrepr = (str(report.fspath), report.location[1] or 0, f"{result.verdict}: {result.message}")
    else:
        report.outcome = "passed"
        report.longrepr = None
        if result.expectation is Expectation.UNEXPECTED_PASS:
            report.wasxfail = f"listed as failing: {result.expectation_reason}"
