"""The pytest plugin: ``--iam-*`` options, the session against the endpoint, verdicts and reports.

Options are resolved once into a frozen `RunConfig` while pytest configures; bad values are a
``pytest.UsageError`` before any request is sent. The endpoint is opened only when conformance tests
(those using the ``suite`` fixture) were collected, so the plugin is inert in any other test run.

Each conformance test runs one check (see `conformance.judging.registry`); its pytest outcome is turned
into a `CheckResult` here, from the exception it ended with, never from pytest's text. A DEVIATION or
INFO is not a pytest failure: the report, not the exit code, carries it. With ``--iam-expectations
FILE``, the results are judged against that file when the run ends, and only what it does not expect
fails the run (`reports.expectations`).

With ``-n N`` (``iam-conformance run --workers N``), pytest-xdist runs the tests in worker processes
that share this process's endpoint; this process merges their verdicts into the one report
(`conformance.runner.workers`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conformance.judging.damage import after_damage, blame, result_label
from conformance.judging.memo import ObservationMemo
from conformance.judging.registry import Check
from conformance.judging.verdicts import ItemRecord, Judge, result_for
from conformance.runner import exit_codes, progress, workers
from conformance.runner.aws_options import add_plugin_options, mask_account, ownership_notes, plugin_config
from conformance.runner.config import ConfigError, RunConfig
from conformance.runner.interrupts import Interrupts
from conformance.runner.profiles import register_suite_profile
from conformance.runner.system_deps import MISSING_ZBAR_MESSAGE, zbar_available
from conformance.runner.worker_order import in_order
from conformance.scenarios import all_checks
from conformance.session.faults import FaultInterrupt, NetworkFault
from conformance.session.health import Breakage, BrokenEndpoint, EndpointBroke
from conformance.session.secrets import forget_secrets, scrub
from conformance.session.suite import SuiteSession, open_suite
from conformance.session.targets import EndpointError
from reports import terminal
from reports.expectations import (
    Expectations,
    ExpectationsError,
    apply_expectations,
    judge_result,
    load_expectations,
)
from reports.model import CheckResult, Expectation, Leftover, ReadConsistency, RunResult, TargetInfo, Verdict
from reports.write import clear_run_reports, write_progress, write_run_reports

__all__ = ["DAMAGES_STATE", "STATE", "SUMMARY", "SUMMARY_SHOWN"]

DAMAGES_STATE = "damages_state"

STATE = pytest.StashKey["_ConformanceRun"]()
_RECORD = pytest.StashKey[ItemRecord]()
_EXPECTATIONS = pytest.StashKey["Expectations | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("iam-conformance", "IAM virtual MFA conformance suite")
    group.addoption("--iam-target", default="moto-server", help="moto-server (default), moto, url, aws")
    group.addoption("--iam-endpoint-url", default=None, help="the endpoint, with --iam-target url")
    group.addoption("--iam-region", default="us-east-1", help="region to sign for (default us-east-1)")
    group.addoption("--iam-profile", default=None, help="quick, default, thorough, aws (default: aws on AWS)")
    group.addoption(
        "--iam-report-dir", default=None, help="write the report (results.json, report.html, ...) here"
    )
    group.addoption(
        "--iam-allow-aws", action="store_true", help="explicit opt-in: let the suite touch real AWS"
    )
    group.addoption(
        "--iam-patience",
        type=float,
        default=None,
        help="seconds a read may be polled to reflect a write (default: 0 local, 5 remote URL, 10 AWS)",
    )
    group.addoption("--iam-label", default=None, help="what reports call the target (default: asked)")
    group.addoption(
        "--iam-preflight-requests",
        type=int,
        default=0,
        help="requests already sent to check the endpoint (by iam-conformance run): counted in api_calls",
    )
    group.addoption(
        "--iam-expectations",
        default=None,
        help="expectations file (expectations/moto.toml): fail only on results it does not expect",
    )
    add_plugin_options(group)


def pytest_configure(config: pytest.Config) -> None:
    try:
        run_config = RunConfig(
            target=config.getoption("--iam-target"),
            endpoint_url=config.getoption("--iam-endpoint-url"),
            region=config.getoption("--iam-region"),
            profile=config.getoption("--iam-profile"),
            report_dir=Path(config.getoption("--iam-report-dir") or ".")
            if config.getoption("--iam-report-dir")
            else None,
            allow_aws=config.getoption("--iam-allow-aws"),
            patience=config.getoption("--iam-patience"),
            label=config.getoption("--iam-label"),
            **plugin_config(config),
        )
        shared = workers.shared_endpoint(config)  # a worker of --workers: the controller's endpoint
        if shared is not None:
            run_config = dataclasses.replace(run_config, **shared)
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
    if not (config.option.help or config.option.version or zbar_available()):
        # Before collection: the QR decoder loads libzbar when its module is imported.
        raise pytest.UsageError(MISSING_ZBAR_MESSAGE.removeprefix("error: "))
    config.addinivalue_line(
        "markers",
        f"{DAMAGES_STATE}(last=False): a conformance test whose requests may break an endpoint's state; "
        "runs after the others (last=True: after those too)",
    )
    config.addinivalue_line(
        "markers",
        f"{workers.EXCLUSIVE}: a conformance test that pages through every device of the account; with "
        "--workers it runs alone, after the others",
    )
    earlier = 0 if workers.is_worker(config) else config.getoption("--iam-preflight-requests")
    config.stash[STATE] = _ConformanceRun(run_config, earlier)
    config.add_cleanup(config.stash[STATE].exit_stack.close)  # closed already, unless a start failed
    config.stash[_EXPECTATIONS] = _load_expectations(config.getoption("--iam-expectations"))
    register_suite_profile(str(run_config.profile), on_aws=run_config.target == "aws")


def _load_expectations(path: str | None) -> Expectations | None:
    """Read and validate the file before anything is sent: a bad one is a one-line usage error."""
    if not path:
        return None
    try:
        return load_expectations(Path(path), {check.id for check in all_checks()})
    except ExpectationsError as error:
        raise pytest.UsageError(str(error)) from None


class _ConformanceRun:
    """Plugin state for one pytest session."""

    def __init__(self, config: RunConfig, earlier_requests: int = 0) -> None:
        self.config = config
        self.earlier_requests = earlier_requests  # sent before pytest started: the command's preflight
        self.suite: SuiteSession | None = None
        self.exit_stack = contextlib.ExitStack()
        self.started = _now()
        self.results: list[CheckResult] = []
        self.missing_operations: dict[str, str] = {}  # operation -> the check that reported it missing
        self.memo = ObservationMemo()  # observations shared by the checks of a scenario
        self.notes: list[str] = []  # what the run itself met (a failed cleanup), for the report
        self.breakage: Breakage | None = None  # the endpoint broke: since when, once the run noticed
        self.active = False
        self.interrupts = Interrupts()
        self._label: tuple[str | None] | None = None
        self.leftovers: tuple[Leftover, ...] = ()  # what the final sweep could not delete

    def label(self) -> str | None:
        """What reports call the target: asked of the endpoint once (not at each progress write)."""
        if self._label is None and self.suite is not None:
            self._label = (self.config.label or _product_label(self.suite),)
        return self._label[0] if self._label else None

    def open(self) -> SuiteSession:
        if self.suite is None:
            self.suite = self.exit_stack.enter_context(open_suite(self.config))
            self.suite.clients.counter.mark_preflight(self.earlier_requests)
            self.interrupts.on_hurry = self.suite.hurry
        return self.suite


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_conformance_test(item: pytest.Item) -> bool:
    return "suite" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: a run that selects nothing is not active
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run = config.stash[STATE]
    run.active = any(_is_conformance_test(item) for item in items)
    # The tests most likely to damage the endpoint's state run after every other one; among them, those
    # marked ``damages_state(last=True)`` (the state machine: any refused call, in any order) at the end.
    items.sort(key=_damage_rank)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A worker of ``--workers`` notes its collection for the controller's scheduler: here, once every
    plugin has sorted and deselected (``-k``)."""
    workers.note_collection(session.config, session.items)


def _damage_rank(item: pytest.Item) -> int:
    marker = item.get_closest_marker(DAMAGES_STATE)
    return 0 if marker is None else 2 if marker.kwargs.get("last") else 1


def pytest_sessionstart(session: pytest.Session) -> None:
    """The controller of ``--workers`` opens the endpoint before xdist starts the workers, who share
    it (`conformance.runner.workers`); it collects no test itself."""
    config = session.config
    if not workers.distributed(config):
        return
    run = config.stash[STATE]
    if run.config.target == "moto":
        raise pytest.UsageError("--target moto runs in this process and cannot be shared by workers")
    run.active = True
    suite = _open(run)
    workers.start_controller(
        config, run.config, suite, _merge_worker_result(run, config), _merge_worker_end(run)
    )


def _open(run: _ConformanceRun) -> SuiteSession:
    try:
        return run.open()  # check the endpoint before the first test: a dead endpoint is one line
    except (ConfigError, EndpointError) as error:
        raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None, object, object]:
    run = session.config.stash[STATE]
    if not run.active or session.config.option.collectonly:
        return (yield)
    if run.config.report_dir is not None:
        clear_run_reports(run.config.report_dir)  # a killed run leaves no older report looking current
    # From the first request on, a signal ends the run cleanly and a later one cannot skip the cleanup
    # (`conformance.runner.interrupts`); kept until the process is done with the run (unconfigure).
    run.interrupts.install()
    workers.prepare_worker(session.config, _open(run))
    return (yield)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(STATE, None)
    if run is not None:
        run.interrupts.restore()


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """While a conformance test runs, the health watch knows its name, and may end it: an
    `EndpointBroke` is turned into `BrokenEndpoint` here, before pytest could take it for Ctrl-C."""
    run = pyfuncitem.config.stash[STATE]
    check = _check_of(pyfuncitem)
    if run.suite is None or check is None:
        return (yield)
    if pyfuncitem.get_closest_marker(DAMAGES_STATE) is not None:
        # What refused creates may have left is looked for while a listing still works.
        run.suite.tracker.look_for_attempts(settled=run.suite.consistency.patience_s <= 0)
    health = run.suite.health
    health.arm(result_label(check.id, _case_of(pyfuncitem)))
    try:
        return (yield)
    except EndpointBroke as interrupt:
        raise BrokenEndpoint(interrupt.breakage) from None
    except FaultInterrupt as fault:  # an answer lost on the way: ERROR, in the fault's own words
        raise NetworkFault(str(fault)) from None
    finally:
        health.disarm()
        run.suite.release_names()  # names a test held outside an observation (with --workers)


@pytest.fixture(scope="session")
def suite(request: pytest.FixtureRequest) -> SuiteSession:
    """The session against the endpoint under test."""
    return request.config.stash[STATE].open()


@pytest.fixture
def judge(request: pytest.FixtureRequest, suite: SuiteSession) -> Judge:
    """Runs a check on an observation; a miss raises, so that Hypothesis shrinks the input."""
    record = request.node.stash.setdefault(_RECORD, ItemRecord())
    return Judge(record, request.config.stash[STATE].memo, suite)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    # Read before the other hooks run: pytest's unittest support turns a `unittest.SkipTest` (which
    # `OperationMissing` is) into a plain skip, and the verdict needs the original.
    excinfo = call.excinfo
    report: pytest.TestReport = yield
    check = _check_of(item)
    if check is None or not _decides_verdict(report):
        return report
    record = item.stash.setdefault(_RECORD, ItemRecord())
    fixtures = set(getattr(item, "fixturenames", ())) | {"check"}
    run = item.config.stash[STATE]
    result = result_for(
        check, excinfo, record, report.duration, fixtures, _case_of(item), run.missing_operations
    )
    if workers.is_worker(item.config):  # the controller records it too, as it was judged
        workers.send_payload(report, result, run.suite)
    result = _judged(_record(run, result, item.config), item.config)
    properties = [("check", check.id), ("verdict", str(result.verdict))]
    if result.expectation is not None:
        properties.append(("expectation", str(result.expectation)))
    item.user_properties.extend(properties)
    report.user_properties.extend(properties)  # what the display reads (pytest-xdist sends reports)
    _align_report(report, result)
    return report


def _record(
    run: _ConformanceRun, result: CheckResult, config: pytest.Config, breakage: Breakage | None = None
) -> CheckResult:
    """One more result: amended if the endpoint is broken, and written to results.json at once."""
    run.results.append(result)
    _contain_damage(run, breakage)
    _write_progress(run, config)
    return run.results[-1]


def _judged(result: CheckResult, config: pytest.Config) -> CheckResult:
    """``result`` judged against the expectations file now too, so that pytest's outcome is xfail where
    a failure is expected (the report applies the file again, to the whole run)."""
    expectations = config.stash.get(_EXPECTATIONS, None)
    return result if expectations is None else judge_result(result, expectations)


def _merge_worker_result(run: _ConformanceRun, config: pytest.Config) -> workers.OnResult:
    """The controller of ``--workers``: a worker's verdict arrives with its report; recorded as a
    serial run records it, before the terminal shows the report."""

    def on_result(report: pytest.TestReport, result: CheckResult, breakage: Breakage | None) -> None:
        _align_report(report, _judged(_record(run, result, config, breakage), config))

    return on_result


def _merge_worker_end(run: _ConformanceRun) -> workers.OnDown:
    """A worker ended: its notes, and what its final sweep saw of the endpoint."""

    def on_down(notes: list[str], breakage: Breakage | None) -> None:
        run.notes.extend(note for note in notes if note not in run.notes)
        if breakage is not None:
            _contain_damage(run, breakage, just_judged=False)

    return on_down


def _contain_damage(
    run: _ConformanceRun, breakage: Breakage | None = None, *, just_judged: bool = True
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


def _write_progress(run: _ConformanceRun, config: pytest.Config) -> None:
    """results.json with the results so far: a run killed at any point leaves them."""
    if run.config.report_dir is None or run.suite is None:
        return
    try:
        write_progress(_summary(run, config, complete=False), run.config.report_dir)
    except OSError as error:  # the run goes on; the report is written again at its end
        if not any(note.startswith(_PROGRESS_FAILED) for note in run.notes):
            run.notes.append(f"{_PROGRESS_FAILED}: {error}")


_PROGRESS_FAILED = "results.json could not be written while the run was going"


def _check_of(item: pytest.Item) -> Check[Any] | None:
    callspec = getattr(item, "callspec", None)
    value = callspec.params.get("check") if callspec is not None else None
    return value if isinstance(value, Check) else None


def _case_of(item: pytest.Item) -> str | None:
    """The other parameters of a check's test (a violated constraint's label, an edge case)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    parts = [getattr(value, "reason", value) for name, value in callspec.params.items() if name != "check"]
    return ", ".join(str(part) for part in parts) or None


def _decides_verdict(report: pytest.TestReport) -> bool:
    """The call phase decides, unless setup already failed or skipped (then there is no call)."""
    return report.when == "call" or (report.when == "setup" and not report.passed)


def _align_report(report: pytest.TestReport, result: CheckResult) -> None:
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


def pytest_report_header(config: pytest.Config) -> list[str]:
    run_config = config.stash[STATE].config
    target = run_config.target + (f" {run_config.endpoint_url}" if run_config.endpoint_url else "")
    seed = _hypothesis_seed(config)
    lines = [f"iam-conformance: target {target}, region {run_config.region}, profile {run_config.profile}"]
    if seed is not None:
        lines.append(f"iam-conformance: reproduce with --seed {seed} (pytest: --hypothesis-seed={seed})")
    return lines


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Sweep, then write the report whatever the run or the sweep met: a run is never lost."""
    run = session.config.stash[STATE]
    if not run.active or run.suite is None:
        return
    run.interrupts.cleaning_up()  # a signal from now on hurries the sweep, never skips it
    suite = run.suite
    controller = workers.controller_of(session.config)
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
    _contain_damage(run, just_judged=False)  # the sweep's own reads may be the first to see it broken
    workers.worker_output(session.config, suite, run.notes)
    if controller is not None:
        run.results[:] = in_order(run.results, controller.indices)
        controller.close()
        if not session.testscollected:  # the workers collected no conformance test: as a serial run
            return
    ended_early = exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR)
    summary = _summary(run, session.config, complete=not ended_early)
    if exitstatus == pytest.ExitCode.INTERRUPTED and summary.interrupted is None:
        summary = dataclasses.replace(summary, interrupted="KeyboardInterrupt")
    expectations = session.config.stash.get(_EXPECTATIONS, None)
    if expectations is not None:
        summary = apply_expectations(summary, expectations)
    session.config.stash[SUMMARY] = summary
    if run.config.report_dir is not None:
        try:
            write_run_reports(summary, run.config.report_dir, scrub)
        except Exception as error:  # results.json so far is on disk already (written after each result)
            session.config.stash[_WRITE_ERROR] = f"{type(error).__name__}: {error}"  # shown in the summary
    run.memo.clear()
    forget_secrets()
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and summary.interrupted is None:
        # pytest's codes under plain pytest (a leftover fails the run); the command has its own, finer
        # ones (`conformance.runner.exit_codes`), from the summary.
        failed = summary.failed or bool(summary.leftovers)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED if failed else pytest.ExitCode.OK
    elif summary.interrupted is not None:
        session.exitstatus = pytest.ExitCode.INTERRUPTED
    # The code the process ends with, for the summary's last line: the command's own when its display
    # is loaded (it is the command that loads it), pytest's under plain pytest.
    command = progress.loaded(session.config)
    session.config.stash[_EXIT_CODE] = exit_codes.exit_code(summary) if command else int(session.exitstatus)


def _summary(run: _ConformanceRun, config: pytest.Config, *, complete: bool) -> RunResult:
    """The run as it stands: every result so far, and what the run itself met."""
    suite = run.suite
    assert suite is not None, "a summary needs the session"
    consistency = ReadConsistency(**dataclasses.asdict(suite.consistency))
    elsewhere = (0, 0, 0)  # requests the workers of --workers sent (`Controller.calls`)
    controller = workers.controller_of(config)
    if controller is not None:
        elsewhere, consistency = controller.calls(), controller.consistency(consistency)
    summary = RunResult(
        target=TargetInfo(
            name=suite.endpoint.target,
            url=suite.endpoint.url,
            region=suite.endpoint.region,
            version=suite.endpoint.version,
            account_id=suite.identity.account_id,
            label=run.label(),
        ),
        suite_version=_suite_version(),
        model_version=_model_version(),
        profile=str(run.config.profile),
        started=run.started,
        finished=_now(),
        api_calls=suite.clients.counter.requests + run.earlier_requests + elsewhere[0],  # every request sent
        throttled_retries=suite.clients.counter.throttled_retries + elsewhere[1],
        preflight_calls=suite.clients.counter.preflight,
        fault_retries=suite.clients.counter.fault_retries + elsewhere[2],
        results=tuple(run.results),
        seed=_hypothesis_seed(config),
        consistency=consistency,
        complete=complete,
        notes=(*run.notes, *ownership_notes(suite)),
        leftovers=run.leftovers,
        interrupted=run.interrupts.interrupted,
    )
    return mask_account(summary, run.config)  # on AWS, unless --show-account


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


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    summary = config.stash.get(SUMMARY, None)
    if summary is None:
        return
    closing: list[str] = config.stash.get(CLOSING_FACTS, [])
    report_dir = config.stash[STATE].config.report_dir
    lines = terminal.summary_lines(
        summary,
        config.stash.get(_EXPECTATIONS, None),
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


# --- end of the summary on the terminal ---


def _product_label(suite: SuiteSession) -> str | None:
    """The product behind the endpoint: moto for the embedded targets, else what the endpoint says."""
    endpoint = suite.endpoint
    if endpoint.target in ("moto-server", "moto"):
        return f"moto {endpoint.version}" if endpoint.version else "moto"
    if endpoint.target == "aws":
        return "AWS"
    if endpoint.target == "url" and endpoint.url:
        from conformance.emulators.identify import identify

        return identify(endpoint.url)
    return None


def _hypothesis_seed(config: pytest.Config) -> int | None:
    value = config.getoption("hypothesis_seed", None)
    return int(value) if value is not None and str(value).isdigit() else None


def _suite_version() -> str:
    from conformance import __version__

    return __version__


def _model_version() -> str:
    from strategies.model import model_identity

    return model_identity().describe()
