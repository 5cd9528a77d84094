"""A run against an endpoint that breaks (issue 11): it is never lost.

The endpoint is the reference's ``delete-user-with-mfa-breaks-store`` mutant, which imitates LocalStack
2026.3.0: DeleteUser of a user holding an MFA device succeeds, and from then on every listing of
assigned devices and every DeleteVirtualMFADevice answers 500. The lifecycle state machine sends that
DeleteUser; the final sweep then meets the broken listing.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from reports.write import RUN_FILES
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SEED, SuiteRun, run_suite

BREAKS_STORE = "delete-user-with-mfa-breaks-store"
# A refused invalid create leaves an open attempt, which only a listing can resolve at the sweep.
_WITH_AN_OPEN_ATTEMPT = (
    "(test_invalid_request and name.required and rejected) or test_lifecycle_state_machine"
)


def _run(tmp_path: Path, mutant: str | None, keyword: str) -> SuiteRun:
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        args = ("--target", "url", "--endpoint-url", endpoint.url, "--profile", "quick", "-k", keyword)
        return run_suite(tmp_path / "report", *args)


def test_a_sweep_that_meets_a_broken_endpoint_still_writes_the_whole_report(tmp_path: Path) -> None:
    run = _run(tmp_path, BREAKS_STORE, _WITH_AN_OPEN_ATTEMPT)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert sorted(path.name for path in run.report_dir.iterdir()) == sorted(RUN_FILES)
    document = run.document
    assert document["complete"] is True
    assert len(document["results"]) == 3
    # What the sweep met is recorded, with the endpoint's answer, and shown in the summary too.
    (note,) = document["notes"]
    assert note.startswith("cleanup: could not delete devices the suite created: ")
    assert "create(s) never answered, which could not be looked for: EndpointFailure: " in note
    assert "ListVirtualMFADevices failed: HTTP 500 ServiceFailure" in note
    assert f"NOTE: {note}" in run.stdout
    assert f"--profile quick --seed {SEED}" in run.stdout  # the reproduce line


def test_a_killed_run_leaves_the_results_so_far(tmp_path: Path) -> None:
    report = tmp_path / "report"
    with ReferenceEndpoint() as endpoint:
        command = [sys.executable, "-m", "conformance.runner.cli", "run", "--target", "url"]
        command += ["--endpoint-url", endpoint.url, "--profile", "quick", "--seed", str(SEED)]
        process = subprocess.Popen(
            [*command, "--report-dir", str(report)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 120
            while _results_so_far(report) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)  # no cleanup, no final report: only what was written
        finally:
            process.kill()
            process.wait()
    document = json.loads((report / "results.json").read_text())
    assert document["complete"] is False
    assert len(document["results"]) >= 3
    assert [path.name for path in report.iterdir()] == ["results.json"]  # no half-written file beside it


def _results_so_far(report: Path) -> int:
    try:
        return len(json.loads((report / "results.json").read_text())["results"])
    except FileNotFoundError:
        return 0
