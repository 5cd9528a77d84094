"""Interrupted means interrupted: a run cut short by a signal, or by several, deletes what it created,
marks every report interrupted (no final score), and exits 4; a killed run's report is never mistaken for
the next run's.

Each test starts the command in a subprocess against the reference endpoint, as a CI runner would (in the
background: SIGINT inherited ignored), sends the signals once the run has created devices, and reads what
it left: the report files, the exit code, its last line, and the endpoint's store.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.runner.exit_codes import INTERRUPTED
from conformance.runner.interrupts import Interrupts
from reports.write import RUN_FILES
from tests.reference import Noise, ReferenceEndpoint
from tests.suite_runner import finish, run_command

# A little latency: the run's cleanup takes long enough for a second signal to land in it.
_NOISE = Noise(latency_ms=20)
_SECOND_SIGNAL_AFTER_S = 0.1


def _start(url: str, report_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        run_command(report_dir, *args, url=url, profile="quick"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as a shell's background job
    )


def _wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


PATTERNS = {
    "SIGINT": (signal.SIGINT,),
    "SIGTERM": (signal.SIGTERM,),
    "SIGINT+SIGTERM": (signal.SIGINT, signal.SIGTERM),
    "double SIGINT": (signal.SIGINT, signal.SIGINT),
    "SIGHUP": (signal.SIGHUP,),
}


@pytest.mark.slow
@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_an_interrupted_run_says_so_everywhere_and_leaves_nothing(tmp_path: Path, pattern: str) -> None:
    signals = PATTERNS[pattern]
    report = tmp_path / "report"
    with ReferenceEndpoint(noise=_NOISE) as endpoint:
        process = _start(endpoint.url, report)
        try:
            _wait_for(lambda: len(endpoint.app.context.issued) >= 3, "the run to create devices")
            for index, signum in enumerate(signals):
                if index:
                    time.sleep(_SECOND_SIGNAL_AFTER_S)  # the first one's cleanup is under way
                process.send_signal(signum)
        finally:
            stdout, stderr = finish(process)
        output = stdout + stderr
        store = endpoint.app.context.store
        assert (store.devices, store.users) == ({}, {}), output[-3000:]
    assert process.returncode == INTERRUPTED, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    names = ", ".join(signal.Signals(signum).name for signum in signals)
    document = json.loads((report / "results.json").read_text())
    assert document["interrupted"] == names
    assert document["complete"] is False
    assert document["leftovers"] == []
    said = f"INTERRUPTED by {names}: only part of the checks ran; counts and score are not final"
    assert stdout.rstrip().splitlines()[-1] == f"iam-conformance: {said} (exit {INTERRUPTED})"
    assert f"  {said}" in stdout  # the summary's own last lines
    assert sorted(path.name for path in report.iterdir()) == sorted(RUN_FILES)
    markdown = (report / "report.md").read_text()
    assert said in markdown and "(interrupted: not final)" in markdown
    assert "(interrupted: not final)" in (report / "report.html").read_text()
    junit = ET.parse(report / "junit.xml").getroot()
    (case,) = [case for case in junit.iter("testcase") if case.get("name") == "run.interrupted"]
    error = case.find("error")
    assert error is not None and error.get("type") == "INTERRUPTED" and said in (error.text or "")


@pytest.mark.slow
def test_a_killed_run_never_leaves_an_older_report_looking_current(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the killed run leaves its results so far, marked incomplete, and none of
    the previous run's files beside them (cleared when it started); the next run writes a whole report.
    What the killed run had in flight stays on the endpoint: at most the one device and one user."""
    report = tmp_path / "report"
    with ReferenceEndpoint(noise=_NOISE) as endpoint:
        first = _start(endpoint.url, report, "-k", "paging")
        finish(first)
        assert first.returncode == 0
        previous = json.loads((report / "results.json").read_text())
        killed = _start(endpoint.url, report)
        try:
            _wait_for(lambda: _results(report) >= 3, "the killed run's first results")
            killed.send_signal(signal.SIGKILL)
        finally:
            finish(killed)
        document = json.loads((report / "results.json").read_text())
        assert document["complete"] is False and document["started"] >= previous["finished"]
        assert [path.name for path in report.iterdir()] == ["results.json"]
        in_flight = (len(endpoint.app.context.store.devices), len(endpoint.app.context.store.users))
        assert in_flight <= (1, 1)
        after = _start(endpoint.url, report, "-k", "paging")
        stdout, stderr = finish(after)
        assert after.returncode == 0, stdout[-2000:] + stderr[-2000:]
        assert sorted(path.name for path in report.iterdir()) == sorted(RUN_FILES)
        assert json.loads((report / "results.json").read_text())["complete"] is True
        # The next run deletes only what it created: the killed run's device is not its to touch.
        assert (len(endpoint.app.context.store.devices), len(endpoint.app.context.store.users)) == in_flight


def _results(report: Path) -> int:
    try:
        return len(json.loads((report / "results.json").read_text())["results"])
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def test_the_first_signal_interrupts_and_later_ones_only_hurry_the_cleanup() -> None:
    interrupts, hurried = Interrupts(), []
    interrupts.on_hurry = lambda: hurried.append(True)
    interrupts.install()
    try:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGINT)  # during the cleanup: recorded, raises nothing
        signal.raise_signal(signal.SIGHUP)
    finally:
        interrupts.restore()
    assert interrupts.interrupted == "SIGTERM, SIGINT, SIGHUP"
    assert hurried == [True, True]


def test_a_signal_during_the_cleanup_of_a_finished_run_is_recorded_and_raises_nothing() -> None:
    interrupts = Interrupts()
    interrupts.install()
    try:
        interrupts.cleaning_up()
        signal.raise_signal(signal.SIGHUP)
    finally:
        interrupts.restore()
    assert interrupts.interrupted == "SIGHUP"
