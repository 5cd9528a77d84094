"""A run against an endpoint that breaks (issue 11): it is never lost, the damage is named as a FAIL of
the check whose step did it, and what is judged afterwards says so instead of reporting new findings.

The endpoint is the reference's ``delete-user-with-mfa-breaks-store`` mutant, which imitates LocalStack
2026.3.0: DeleteUser of a user holding an MFA device succeeds, and from then on every listing of
assigned devices and every DeleteVirtualMFADevice answers 500. The lifecycle state machine sends that
DeleteUser; the final sweep then meets the broken listing.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from reports.write import RUN_FILES
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SEED, SuiteRun, run_command, run_plugin, run_suite, shared_run

pytestmark = pytest.mark.slow  # runs the suite end to end

BREAKS_STORE = "delete-user-with-mfa-breaks-store"
# A refused invalid create leaves an open attempt, which only a listing can resolve: it is looked for
# before the state machine runs, while the listing works; the paging tests list devices, and are
# collected before the state machine.
_KEYWORD = (
    "(test_invalid_request and name.required and rejected) or test_lifecycle_state_machine or test_paging"
)
# a user of the run's own: the run id at the end of its name
_STEP = re.compile(r"DeleteUser\(UserName='vmfa-conformance-u\d+-[0-9a-z]{8}'\)")


def _broken(report_dir: Path) -> SuiteRun:
    with ReferenceEndpoint(mutant=BREAKS_STORE) as endpoint:
        return run_suite(report_dir, url=endpoint.url, profile="quick", keyword=_KEYWORD)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """One run, made once for every xdist worker (a module fixture is made once per worker)."""
    return shared_run(tmp_path_factory, "broken-store", _broken)


def test_a_sweep_that_meets_a_broken_endpoint_still_writes_the_whole_report(broken_run: SuiteRun) -> None:
    run = broken_run
    output = run.stdout + run.stderr
    assert run.returncode == 3, output[-3000:]  # something was left behind (exit_codes.LEFT_BEHIND)
    assert "Traceback" not in output, output[-3000:]
    assert sorted(path.name for path in run.report_dir.iterdir()) == sorted(RUN_FILES)
    document = run.document
    assert document["complete"] is True
    assert len(document["results"]) == 5
    # What the sweep could not delete is a leftover with the endpoint's answer, shown in the summary too;
    # the creates were looked for before the state machine broke the listing: none is left unlooked-for.
    leftovers = document["leftovers"]
    assert leftovers and all(item["kind"] == "device" for item in leftovers), leftovers
    for leftover in leftovers:
        answer = leftover["answer"]
        assert "DeleteVirtualMFADevice failed: HTTP 500 ServiceFailure" in answer
        assert "(an AWS error document)" in answer  # the body's kind, as for every 5xx
        assert f"{leftover['kind']} {leftover['id']}: {answer}" in run.stdout
    assert not [note for note in document["notes"] if note.startswith("cleanup: ")]
    assert f"--profile quick --seed {SEED}" in run.stdout  # the reproduce line
    assert " · exit 3: LEFT BEHIND: " in run.stdout.rstrip().splitlines()[-1]  # the summary's last line


def test_the_state_machine_runs_last(broken_run: SuiteRun) -> None:
    checks = [item["check"] for item in broken_run.document["results"]]
    assert checks[-2:] == ["vmfa.lifecycle.answers-agree", "vmfa.lifecycle.lists-agree"]
    # Judged before the damage: the listing checks are right about a conformant listing.
    assert broken_run.verdicts["vmfa.list.paging-complete"] == "PASS"
    assert broken_run.verdicts["vmfa.list.last-page"] == "PASS"


def test_the_step_that_broke_the_endpoint_is_a_fail_of_the_check_that_made_it(broken_run: SuiteRun) -> None:
    answers = broken_run.result("vmfa.lifecycle.answers-agree")
    assert answers["verdict"] == "FAIL"
    assert _STEP.search(answers["expected"]) and "HTTP 409 DeleteConflict" in answers["expected"]
    assert answers["observed"].endswith(": HTTP 200")  # the DeleteUser it accepted, not a later 500
    (broke,) = [note for note in answers["notes"] if note.startswith("the endpoint broke: ")]
    assert _STEP.search(broke) and "basic reads answer 5xx: ListVirtualMFADevices" in broke


def test_what_is_judged_afterwards_says_the_endpoint_is_broken_since_that_step(broken_run: SuiteRun) -> None:
    """Not judged (SKIP), and not our fault (ERROR): the endpoint got wrong what it depends on, its own
    state, and that is the FAIL it names."""
    lists = broken_run.result("vmfa.lifecycle.lists-agree")
    assert lists["verdict"] == "SKIP"
    since = "the endpoint has answered 5xx to basic reads since vmfa.lifecycle.answers-agree, step "
    match = re.fullmatch(
        re.escape("depends on vmfa.lifecycle.answers-agree (FAIL): ")
        + f"({re.escape(since)}{_STEP.pattern})",
        lists["message"],
    )
    assert match, lists["message"]
    assert any(note.startswith(match.group(1)) for note in broken_run.document["notes"])
    assert "Flaky" not in json.dumps(broken_run.document)


def test_a_sequence_that_got_a_refused_call_accepted_reads_at_once_whether_that_broke_the_endpoint(
    tmp_path: Path,
) -> None:
    """lists-agree judges lists, not answers: its sequences go on after a DeleteUser the endpoint
    should have refused, and many calls may follow before a list is read again. The state machine reads
    right after such a step, so the breakage is named after it, and after nothing else."""
    with ReferenceEndpoint(mutant=BREAKS_STORE) as endpoint:
        run = run_suite(tmp_path / "report", url=endpoint.url, profile="quick", keyword="lists-agree")
    notes = [note for note in run.document["notes"] if not note.startswith("cleanup: ")]
    assert len(notes) == 1, _diagnosis(run)
    (note,) = notes
    since = "the endpoint has answered 5xx to basic reads since vmfa.lifecycle.lists-agree, step "
    assert re.fullmatch(re.escape(since) + _STEP.pattern + r": ListVirtualMFADevices\(.*", note), note
    lists = run.result("vmfa.lifecycle.lists-agree")
    assert lists["verdict"] == "FAIL"
    assert lists["message"].startswith("vmfa.lifecycle.lists-agree (FAIL): the endpoint broke after a step")


@pytest.mark.parametrize("patience", [(), ("--patience", "5")], ids=["local", "patience"])
def test_the_delete_user_scenario_runs_before_the_state_machine_and_is_the_step_named(
    tmp_path: Path, patience: tuple[str, ...]
) -> None:
    """Both may break the endpoint (damages_state); the scenario whose one call is that DeleteUser runs
    first, reads at once after it, and its check is the FAIL; the state machine is judged broken since.
    With a patience, the scenario's examples are gathered side by side first (`conformance.runner.passes`):
    the same step is named, and no example is started after it."""
    keyword = "test_user_holding_device or test_lifecycle_state_machine"
    with ReferenceEndpoint(mutant=BREAKS_STORE) as endpoint:
        run = run_suite(tmp_path / "report", *patience, url=endpoint.url, profile="quick", keyword=keyword)
    checks = [item["check"] for item in run.document["results"]]
    assert checks == ["vmfa.delete-user.device-attached", *_STATE_MACHINE]
    attached = run.result("vmfa.delete-user.device-attached")
    assert attached["verdict"] == "FAIL"
    assert _STEP.search(attached["expected"]), attached["expected"]
    (broke,) = [note for note in attached["notes"] if note.startswith("the endpoint broke: ")]
    assert _STEP.search(broke), broke  # the report says where the endpoint broke: at that FAIL
    since = "the endpoint has answered 5xx to basic reads since vmfa.delete-user.device-attached, step "
    depends = "depends on vmfa.delete-user.device-attached (FAIL): "
    for check in _STATE_MACHINE:
        result = run.result(check)
        assert result["verdict"] == "SKIP", _diagnosis(run)
        assert re.fullmatch(re.escape(depends + since) + _STEP.pattern, result["message"]), result["message"]
    assert not [item for item in run.document["results"] if item["verdict"] == "ERROR"]


_STATE_MACHINE = ("vmfa.lifecycle.answers-agree", "vmfa.lifecycle.lists-agree")


def _diagnosis(run: SuiteRun) -> str:
    """What a run judged and printed, for a failed assertion about it (CI shows nothing else)."""
    fields = ("check", "verdict", "message")
    results = [{key: item.get(key) for key in fields} for item in run.document["results"]]
    return json.dumps({"results": results, "notes": run.document["notes"]}, indent=1) + run.stdout[-4000:]


def test_a_killed_run_leaves_the_results_so_far(tmp_path: Path) -> None:
    report = tmp_path / "report"
    with ReferenceEndpoint() as endpoint:
        process = subprocess.Popen(
            run_command(report, url=endpoint.url, profile="quick"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
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


# Conformance tests for pytester: the first breaks the endpoint without reading afterwards; then one
# judges a deviation before anyone noticed, one reads (and notices), one comes after.
_BREAKS = """
import pytest

from conformance.judging.outcomes import Miss, Pass
from conformance.judging.registry import check
from reports.model import Evidence


def _register(id, outcome, evidence=Evidence.MODEL):
    return check(id=id, operation="Op", scenario="damage", clause="c", evidence=evidence)(outcome)


BREAKS = _register("t.breaks", lambda seen: Pass())


@pytest.mark.parametrize("check", [BREAKS], ids=str)
def test_1_breaks(check, suite, judge):
    user = suite.new_user()
    with suite.create_device({"VirtualMFADeviceName": "damage"}) as device:
        suite.enable(user, device).needed()
        suite.listing()  # a read that works: the step after it is named
        suite.send("delete_user", {"UserName": user}).needed()  # accepted: the store breaks
        suite.tracker.forget_user(user)
    judge(check, None)
"""
_AFTER = """
UNNOTICED = _register("t.unnoticed", lambda seen: Miss("as AWS", "otherwise"), Evidence.OBSERVED)
READS = _register("t.reads", lambda seen: Pass())
LATER = _register("t.later", lambda seen: Miss("a 404", "a 500"))


@pytest.mark.parametrize("check", [UNNOTICED], ids=str)
def test_2_unnoticed(check, suite, judge):
    judge(check, None)


@pytest.mark.parametrize("check", [READS], ids=str)
def test_3_reads(check, suite, judge):
    suite.listing()
    judge(check, None)


@pytest.mark.parametrize("check", [LATER], ids=str)
def test_4_later(check, suite, judge):
    judge(check, None)
"""
# Nothing reads after the break but the final sweep: it lists the devices to find what a refused create
# may have left (a non-atomic endpoint keeps some), and this test sends one.
_REFUSED_CREATE = """

@pytest.mark.parametrize("check", [_register("t.refused-create", lambda seen: Pass())], ids=str)
def test_2_refused_create(check, suite, judge):
    with suite.create_device({"VirtualMFADeviceName": "a b"}, validated=False):
        judge(check, None)
"""


def _run_module(pytester: pytest.Pytester, module: str) -> dict[str, Any]:
    pytester.makepyfile(test_conformance_damage=module)
    with ReferenceEndpoint(mutant=BREAKS_STORE) as endpoint:
        _, document = run_plugin(pytester, url=endpoint.url)
    return document


def test_a_breakage_noticed_later_is_blamed_on_the_check_whose_step_it_was(pytester: pytest.Pytester) -> None:
    document = _run_module(pytester, _BREAKS + _AFTER)
    results = {item["check"]: item for item in document["results"]}
    since = "depends on t.breaks (FAIL): the endpoint has answered 5xx to basic reads since t.breaks, step "
    since += "DeleteUser(UserName='"
    assert {check: item["verdict"] for check, item in results.items()} == {
        "t.breaks": "FAIL",
        "t.unnoticed": "SKIP",
        "t.reads": "SKIP",
        "t.later": "SKIP",
    }
    assert results["t.breaks"]["message"].startswith("t.breaks (FAIL): the endpoint broke after a step")
    assert re.match(
        r"basic reads keep answering after DeleteUser\(UserName='", results["t.breaks"]["expected"]
    )
    for check in ("t.unnoticed", "t.reads", "t.later"):
        assert results[check]["message"].startswith(since), check
    # What a result would have been on a healthy endpoint is kept, as a note.
    (judged,) = results["t.unnoticed"]["notes"]
    assert judged.startswith("judged on the broken endpoint: DEVIATION: t.unnoticed (DEVIATION")


def test_a_breakage_the_final_sweep_notices_is_blamed_too(pytester: pytest.Pytester) -> None:
    document = _run_module(pytester, _BREAKS + _REFUSED_CREATE)
    verdicts = {item["check"]: item["verdict"] for item in document["results"]}
    assert verdicts == {"t.breaks": "FAIL", "t.refused-create": "PASS"}  # a pass on it stays a pass
    since = "the endpoint has answered 5xx to basic reads since t.breaks"
    assert any(note.startswith(since) for note in document["notes"])
