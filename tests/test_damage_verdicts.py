"""What a broken endpoint does to the results judged on it (`conformance.judging.damage`), on results
made by hand: the endpoint's own FAIL makes the later findings SKIP naming it (a prerequisite the
endpoint got wrong), and only a breakage no FAIL explains leaves them ERROR (we could not judge)."""

from __future__ import annotations

from conformance.judging.damage import after_damage, blame, cause_of
from conformance.session.health import Breakage
from reports.model import CheckResult, Evidence, Verdict

STEP = "DeleteUser(UserName='u1')"
READ = "ListVirtualMFADevices(AssignmentStatus='Any') -> HTTP 500 ServiceFailure"
BY_CULPRIT = Breakage("t.culprit", STEP, READ)
BETWEEN = Breakage(None, STEP, READ)
SAID = f"the endpoint has answered 5xx to basic reads since t.culprit, step {STEP}"
DEPENDS = f"depends on t.culprit (FAIL): {SAID}"


def _result(check: str, verdict: Verdict, message: str = "") -> CheckResult:
    return CheckResult(
        check=check, operation="Op", clause="c", evidence=Evidence.MODEL, verdict=verdict, message=message
    )


def _run() -> list[CheckResult]:
    return [
        _result("t.before", Verdict.FAIL, "t.before (FAIL): judged before the step"),
        _result("t.culprit", Verdict.PASS),
        _result("t.finding", Verdict.DEVIATION, "t.finding (DEVIATION): as AWS?"),
        _result("t.passes", Verdict.PASS),
        _result("t.skipped", Verdict.SKIP, "depends on X"),
        _result("t.ended", Verdict.ERROR, SAID),  # the test the breakage ended (`verdicts`)
    ]


def test_after_a_step_of_a_check_that_fails_what_cannot_be_judged_is_skip_naming_that_fail() -> None:
    results = _run()
    blame(results, BY_CULPRIT, just_judged=True)
    verdicts = {result.check: result.verdict for result in results}
    assert verdicts == {
        "t.before": Verdict.FAIL,  # judged before the step: it stands
        "t.culprit": Verdict.FAIL,  # the endpoint broke after its step: it is the one finding
        "t.finding": Verdict.SKIP,
        "t.passes": Verdict.PASS,
        "t.skipped": Verdict.SKIP,
        "t.ended": Verdict.SKIP,
    }
    finding, ended = results[2], results[5]
    assert finding.message == DEPENDS and ended.message == DEPENDS
    assert finding.notes == ("judged on the broken endpoint: DEVIATION: t.finding (DEVIATION): as AWS?",)
    assert ended.notes == ()  # it was ended by the breakage: it judged nothing
    culprit = results[1]
    assert culprit.message.startswith("t.culprit (FAIL): the endpoint broke after a step of this check")
    assert any(note.startswith(f"the endpoint broke: after {STEP}") for note in culprit.notes)
    assert results[4].message == "depends on X"  # a skip keeps its own reason


def test_a_result_judged_after_the_breakage_was_noticed_depends_on_the_fail_too() -> None:
    results = _run()[:3]
    blame(results, BY_CULPRIT, just_judged=True)
    later = _result("t.later", Verdict.FAIL, "t.later (FAIL): a 500")
    assert after_damage(later, BY_CULPRIT, results).verdict is Verdict.SKIP
    assert after_damage(later, BY_CULPRIT, results).message == DEPENDS
    # Amending twice changes nothing.
    once = after_damage(later, BY_CULPRIT, results)
    assert after_damage(once, BY_CULPRIT, results) == once


def test_a_breakage_no_check_judged_leaves_the_later_findings_errors() -> None:
    """A step made between tests (no check's): nothing explains the breakage; we could not judge."""
    results = [_result("t.finding", Verdict.FAIL, "t.finding (FAIL): a 500")]
    blame(results, BETWEEN, just_judged=True)
    (finding,) = results
    assert finding.verdict is Verdict.ERROR
    assert finding.message == BETWEEN.describe()
    assert cause_of(results, BETWEEN) is None


def test_a_culprit_that_is_not_a_fail_leaves_the_later_findings_errors() -> None:
    """Only a FAIL is a prerequisite the endpoint got wrong: a cause the run did not judge (or did not
    judge a FAIL) leaves the results it spoiled ERROR."""
    ended = _result("t.ended", Verdict.ERROR, SAID)
    assert after_damage(ended, BY_CULPRIT, [ended]) == ended  # the culprit was never judged
    errored = [_result("t.culprit", Verdict.ERROR, "NetworkFault: the answer was lost"), ended]
    assert after_damage(ended, BY_CULPRIT, errored) == ended
    finding = _result("t.finding", Verdict.DEVIATION, "t.finding (DEVIATION): as AWS?")
    amended = after_damage(finding, BY_CULPRIT, errored)
    assert (amended.verdict, amended.message) == (Verdict.ERROR, SAID)
