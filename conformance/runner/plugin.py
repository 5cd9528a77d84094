"""The pytest plugin: ``--iam-*`` options, the session against the endpoint, verdicts and reports.

Options are resolved once into a frozen `RunConfig` while pytest configures; bad values are a
``pytest.UsageError`` before any request is sent. The endpoint is opened only when conformance tests
(those using the ``suite`` fixture) were collected, so the plugin is inert in any other test run.

Each conformance test runs one check (see `conformance.judging.registry`); its pytest outcome is turned
into a `CheckResult` (`conformance.runner.recording`), from the exception it ended with, never from
pytest's text. A DEVIATION or INFO is not a pytest failure: the report, not the exit code, carries it.
With ``--iam-expectations FILE``, the results are judged against that file when the run ends, and only
what it does not expect fails the run (`reports.expectations`).

With ``-n N`` (``iam-conformance run --workers N``), pytest-xdist runs the tests in worker processes
that share this process's endpoint; this process merges their verdicts into the one report
(`conformance.runner.workers`).

The hooks here are thin: they delegate to the modules of `conformance.runner` that do the work
(`run_state`: what the plugin holds for a session; `recording`: a test's outcome made a recorded
verdict; `summary`: the run as a `RunResult`; `ending`: sweep, reports, exit code, terminal summary;
`worker_merge`: the controller of ``--workers``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

import pytest

from conformance.judging.damage import result_label
from conformance.judging.verdicts import ItemRecord, Judge
from conformance.runner import ending, passes, recording, worker_merge, workers
from conformance.runner.aws_options import add_plugin_options
from conformance.runner.config import ConfigError, config_from_options
from conformance.runner.ending import CLOSING_FACTS, EXIT_REASON, SUMMARY, SUMMARY_SHOWN
from conformance.runner.profiles import register_suite_profile
from conformance.runner.quick_exit import end_without_teardown
from conformance.runner.run_state import DAMAGES_STATE, STATE, ConformanceRun, open_run
from conformance.runner.summary import hypothesis_seed
from conformance.runner.system_deps import MISSING_ZBAR_MESSAGE, zbar_available
from conformance.session.faults import FaultInterrupt, NetworkFault
from conformance.session.health import BrokenEndpoint, EndpointBroke
from conformance.session.suite import SuiteSession
from reports.write import clear_run_reports

# Re-exported from where they now live (`run_state`, `ending`): code written against the plugin knows
# them as the plugin's.
__all__ = ["CLOSING_FACTS", "DAMAGES_STATE", "EXIT_REASON", "STATE", "SUMMARY", "SUMMARY_SHOWN"]


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
        run_config = config_from_options(config.option, prefix="iam_")
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
    if shared is not None:  # a worker of --workers ends as soon as it is done (`quick_exit`)
        end_without_teardown()
    earlier = 0 if workers.is_worker(config) else config.getoption("--iam-preflight-requests")
    config.stash[STATE] = ConformanceRun(run_config, earlier)
    config.add_cleanup(config.stash[STATE].exit_stack.close)  # closed already, unless a start failed
    config.stash[recording.EXPECTATIONS] = recording.load_expectations_file(
        config.getoption("--iam-expectations")
    )
    register_suite_profile(str(run_config.profile), on_aws=run_config.target == "aws")


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
    it (`conformance.runner.worker_merge`); it collects no test itself."""
    worker_merge.start(session)


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
    workers.prepare_worker(session.config, open_run(run))
    return (yield)


@pytest.hookimpl(tryfirst=True)
def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """An interrupt is the user's, never a traceback of ours: pytest's terminal then renders the
    interrupted frames, and a frame stopped at an instruction without a line number (CPython 3.11 gives
    ``tb_lineno`` None there) made that rendering raise, printing a TypeError traceback (seen once in
    `tests/test_cleanup.py` under SIGINT). Such frames are left out of what is rendered."""
    excinfo.traceback = excinfo.traceback.filter(lambda entry: entry._rawentry.tb_lineno is not None)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(STATE, None)
    if run is not None:
        run.interrupts.restore()


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """While a conformance test runs, the health watch knows its name, and may end it: an
    `EndpointBroke` is turned into `BrokenEndpoint` here, before pytest could take it for Ctrl-C."""
    run = pyfuncitem.config.stash[STATE]
    check = recording.check_of(pyfuncitem)
    if run.suite is None or check is None:
        return (yield)
    if pyfuncitem.get_closest_marker(DAMAGES_STATE) is not None:
        # What refused creates may have left is looked for while a listing still works.
        run.suite.tracker.look_for_attempts(settled=run.suite.consistency.patience_s <= 0)
    health = run.suite.health
    health.arm(result_label(check.id, recording.case_of(pyfuncitem)))
    try:
        return (yield)
    except EndpointBroke as interrupt:
        raise BrokenEndpoint(interrupt.breakage) from None
    except FaultInterrupt as fault:  # an answer lost on the way: ERROR, in the fault's own words
        raise NetworkFault(str(fault)) from None
    finally:
        health.disarm()
        run.suite.release_names()  # names a test held outside an observation (with --workers)


@pytest.hookimpl(specname="pytest_pyfunc_call", tryfirst=True)
def pytest_pyfunc_call_in_passes(pyfuncitem: pytest.Function) -> bool | None:
    """On a lagging endpoint, a test's examples are gathered side by side first (`passes`)."""
    return passes.call(pyfuncitem, pyfuncitem.config.stash[STATE].suite)


@pytest.fixture(scope="session")
def suite(request: pytest.FixtureRequest) -> SuiteSession:
    """The session against the endpoint under test."""
    return request.config.stash[STATE].open()


@pytest.fixture
def judge(request: pytest.FixtureRequest, suite: SuiteSession) -> Judge:
    """Runs a check on an observation; a miss raises, so that Hypothesis shrinks the input."""
    record = request.node.stash.setdefault(recording.RECORD, ItemRecord())
    return Judge(record, request.config.stash[STATE].memo, suite)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    # Read before the other hooks run: pytest's unittest support turns a `unittest.SkipTest` (which
    # `OperationMissing` is) into a plain skip, and the verdict needs the original.
    excinfo = call.excinfo
    report: pytest.TestReport = yield
    return recording.record_report(item, excinfo, report)


def pytest_report_header(config: pytest.Config) -> list[str]:
    run_config = config.stash[STATE].config
    target = run_config.target + (f" {run_config.endpoint_url}" if run_config.endpoint_url else "")
    seed = hypothesis_seed(config)
    lines = [f"iam-conformance: target {target}, region {run_config.region}, profile {run_config.profile}"]
    if seed is not None:
        lines.append(f"iam-conformance: reproduce with --seed {seed} (pytest: --hypothesis-seed={seed})")
    return lines


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Sweep, then write the report whatever the run or the sweep met: a run is never lost."""
    ending.finish(session, exitstatus)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    ending.show_summary(terminalreporter, config)
