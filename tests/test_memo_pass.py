"""The memo pass (`conformance.judging.memo_pass`, `conformance.runner.memo_passes`): a test whose
sibling's plain run was recorded replays its calls without Hypothesis, and the result stands only when
every call ends as recorded (or a call skips the test, as Hypothesis would stop there); otherwise the
judge's record is left as it was for the plain run, whose finding, shrunk, is the result."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, seed, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from conformance.judging import memo_pass
from conformance.judging.memo import ObservationMemo
from conformance.judging.memo_pass import Recording, recording, replayed
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip
from conformance.judging.registry import Check
from conformance.judging.verdicts import ItemRecord, Judge
from tests.proof_runs import run_against
from tests.suite_runner import SEED, SuiteRun, run_plugin
from tests.toy_checks import judged_on_two, toy_module

_SETTINGS = settings(
    max_examples=8,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
gathered: list[int] = []


def _gather(suite: Any, value: int) -> int:
    gathered.append(value)
    return value


def _check(outcome: Outcome, name: str = "pass") -> Check[Any]:
    """A check that gives ``outcome`` for the observation 2 and passes every other."""
    return judged_on_two(outcome, f"vmfa.test.memo-{name}", "ListMFADevices")


PASSES, PASSES_TOO = _check(Pass()), _check(Pass(), "pass-too")
MISSES = _check(Miss("not 2", "2"), "miss")
SKIPS = _check(Skip("depends on vmfa.test.memo-miss (FAIL)"), "skip")


def _scenario() -> tuple[Any, Counter[str]]:
    """A fresh test function of one scenario (explicit examples 5, 7 rejected, 2; then drawn), and how
    often its body ran inside Hypothesis and outside it (a memo pass)."""
    runs: Counter[str] = Counter()

    @seed(SEED)
    @_SETTINGS
    @example(value=5)
    @example(value=7)
    @example(value=2)
    @given(value=st.integers(0, 20))
    def test(check: Check[Any], judge: Judge, value: int) -> None:
        runs["hypothesis" if currently_in_test_context() else "memo"] += 1
        assume(value != 7)
        judge.gathered(check, _gather, value)

    return test, runs


def _plain(
    test: Any, check: Check[Any], memo: ObservationMemo
) -> tuple[Judge, Recording, BaseException | None]:
    """``test``'s plain run (Hypothesis) for ``check``, recorded: its judge, recording and ending."""
    judge = Judge(ItemRecord(), memo)
    ended: BaseException | None = None
    with recording(test.hypothesis, {"check": check, "judge": judge}) as recorded:
        try:
            test(check=check, judge=judge)
            recorded.finish()
        except BaseException as error:
            ended = error
    return judge, recorded, ended


def _memo_pass(
    test: Any, check: Check[Any], memo: ObservationMemo, recorded: Recording
) -> tuple[bool, Judge]:
    judge = Judge(ItemRecord(), memo)
    return replayed(
        test.hypothesis.inner_test, {"check": check, "judge": judge}, recorded, judge.record
    ), judge


def test_a_sibling_that_passes_makes_a_memo_pass_with_the_plain_runs_record() -> None:
    test, runs = _scenario()
    memo = ObservationMemo()
    first, recorded, ended = _plain(test, PASSES, memo)
    assert ended is None and recorded.complete
    assert [call.ending for call in recorded.calls[:3]] == ["returned", "rejected", "returned"]
    hypothesis_calls, gathered_before = runs["hypothesis"], len(gathered)

    stood, judge = _memo_pass(test, PASSES_TOO, memo, recorded)

    assert stood
    assert runs["hypothesis"] == hypothesis_calls  # Hypothesis did not run
    assert runs["memo"] == len(recorded.calls)
    assert len(gathered) == gathered_before  # every observation came from the memo
    plain, _, _ = _plain(test, PASSES_TOO, ObservationMemo())  # what Hypothesis finds for that check
    assert judge.record.examples == plain.record.examples == first.record.examples > 3


def test_a_sibling_that_misses_leaves_its_record_as_it_was_for_the_plain_run() -> None:
    test, _ = _scenario()
    memo = ObservationMemo()
    _, recorded, _ = _plain(test, PASSES, memo)
    stood, judge = _memo_pass(test, MISSES, memo, recorded)
    assert not stood
    assert (judge.record.examples, judge.record.notes, judge.record.first_miss) == (0, [], None)


def test_a_failed_runs_recording_serves_only_a_sibling_that_skips_among_its_calls() -> None:
    test, _ = _scenario()
    memo = ObservationMemo()
    _, recorded, ended = _plain(test, MISSES, memo)
    assert ended is not None and not recorded.complete
    # The calls up to the failing one (5, 7 rejected, 2): what Hypothesis calls any sibling with first.
    assert [call.ending for call in recorded.calls] == ["returned", "rejected", "other"]

    stood, _ = _memo_pass(test, PASSES, memo, recorded)
    assert not stood  # what Hypothesis does after those calls is not known: it runs

    judge = Judge(ItemRecord(), memo)
    with pytest.raises(pytest.skip.Exception) as skipped:  # at the third call, as Hypothesis stops there
        replayed(test.hypothesis.inner_test, {"check": SKIPS, "judge": judge}, recorded, judge.record)
    plain, _, plain_ended = _plain(test, SKIPS, ObservationMemo())
    assert isinstance(plain_ended, pytest.skip.Exception)
    assert judge.record.examples == plain.record.examples == 2
    assert skipped.value.msg == plain_ended.msg


def test_draws_inside_the_test_are_replayed_only_from_the_same_strategy() -> None:
    strategies = {
        PASSES.id: st.integers(0, 9),
        PASSES_TOO.id: st.integers(0, 9),
        MISSES.id: st.integers(3, 9),
    }

    @seed(SEED)
    @_SETTINGS
    @given(data=st.data())
    def test(check: Check[Any], judge: Judge, data: st.DataObject) -> None:
        judge.gathered(check, _gather, data.draw(strategies[check.id], label="value"))

    memo = ObservationMemo()
    _, recorded, _ = _plain(test, PASSES, memo)
    assert recorded.complete and all(len(call.draws) == 1 for call in recorded.calls)
    assert _memo_pass(test, PASSES, memo, recorded)[0]
    assert not _memo_pass(test, MISSES, memo, recorded)[0]  # another strategy: Hypothesis runs


def test_an_example_hypothesis_dropped_inside_the_test_is_dropped_again() -> None:
    """A draw inside that cannot be satisfied ends the call (Hypothesis drops the example): replayed."""
    impossible = st.integers().filter(lambda _: False)  # one strategy object for every call

    @seed(SEED)
    @settings(_SETTINGS, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test(check: Check[Any], judge: Judge, data: st.DataObject) -> None:
        if data.draw(st.booleans(), label="impossible?"):
            data.draw(impossible, label="never satisfied")
        judge.gathered(check, _gather, 1)

    memo = ObservationMemo()
    _, recorded, ended = _plain(test, PASSES, memo)
    assert ended is None and recorded.complete
    assert "discarded" in [call.ending for call in recorded.calls]
    assert _memo_pass(test, PASSES_TOO, memo, recorded)[0]


def test_constants_read_meanwhile_from_a_new_module_make_the_recording_unusable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    test, _ = _scenario()
    memo = ObservationMemo()
    _, recorded, _ = _plain(test, PASSES, memo)
    read = memo_pass._constants()
    assert read is not None
    monkeypatch.setattr(memo_pass, "_constants", lambda: read + 1)  # Hypothesis would draw otherwise
    assert not _memo_pass(test, PASSES_TOO, memo, recorded)[0]


# A conformance module for the plugin: two scenario groups. In the first, a check passes (recorded), a
# sibling fails on n > 3 (its plain run, shrunk) and a sibling passes (a memo pass); in the second the
# first check fails at once, so its passing sibling has nothing to replay and runs Hypothesis.
_MODULE = toy_module(
    """
from conformance.judging.outcomes import Miss, Pass
from conformance.judging.registry import check
from reports.model import Evidence


def _register(id, outcome):
    return check(id=id, operation="Op", scenario="s", clause="c " + id, evidence=Evidence.MODEL)(outcome)


GROUP = [
    _register("t.a", lambda n: Pass()),
    _register("t.b", lambda n: Miss("small", f"{n}") if n > 3 else Pass()),
    _register("t.c", lambda n: Pass()),
]
OTHER = [_register("t.x", lambda n: Miss("never", f"{n}")), _register("t.y", lambda n: Pass())]
""",
    test_group="GROUP",
    test_other="OTHER",
)

_CONFTEST = """
import json

from conformance.runner.memo_passes import COUNTS


def pytest_sessionfinish(session):
    with open("counts.json", "w") as counts:
        json.dump(dict(session.config.stash.get(COUNTS, {})), counts)
"""


def _run(pytester: pytest.Pytester, *args: str) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    _, document = run_plugin(pytester, f"--hypothesis-seed={SEED}", *args)
    results = {item["check"]: item for item in document["results"]}
    return results, json.loads((pytester.path / "counts.json").read_text())


@pytest.mark.slow
def test_a_sibling_fails_with_its_plain_runs_finding_and_the_others_make_memo_passes(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_conformance_memo=_MODULE)
    pytester.makeconftest(_CONFTEST)
    results, counts = _run(pytester)
    assert {check: item["verdict"] for check, item in results.items()} == {
        "t.a": "PASS",
        "t.b": "FAIL",
        "t.c": "PASS",
        "t.x": "FAIL",
        "t.y": "PASS",
    }
    # t.c replayed t.a's calls; t.b failed (its plain run), t.x failed, t.y had nothing to replay.
    assert (counts["memo"], counts["hypothesis"]) == (1, 4)
    assert results["t.c"]["examples"] == results["t.a"]["examples"] > 1

    alone, counts_alone = _run(pytester, "-k", "t.b or t.y")  # no sibling before them: plain runs
    assert counts_alone.get("memo", 0) == 0
    fields: Callable[[dict[str, Any]], tuple[Any, ...]] = lambda item: tuple(  # noqa: E731
        item[key] for key in ("verdict", "examples", "counterexample", "observed", "message")
    )
    assert fields(results["t.b"]) == fields(alone["t.b"])
    assert results["t.b"]["counterexample"] == "n=4"  # shrunk, as Hypothesis alone shrinks it
    assert fields(results["t.y"]) == fields(alone["t.y"])


def _finding(run: SuiteRun, check: str) -> dict[str, Any]:
    """``check``'s result, its reproduction without what differs between two runs (port, run token)."""
    result = dict(next(item for item in run.document["results"] if item["check"] == check))
    token = re.search(r"tpe[0-9a-z]{5}", result["reproduction"])
    result["reproduction"] = re.sub(r"127\.0\.0\.1:\d+", "", result["reproduction"])
    result["reproduction"] = result["reproduction"].replace(token.group(0) if token else "\0", "")
    return {key: result[key] for key in ("verdict", "examples", "counterexample", "observed", "reproduction")}


@pytest.mark.slow
def test_a_mutants_finding_after_siblings_that_passed_is_the_one_found_alone(tmp_path: Path) -> None:
    """On the reference endpoint broken by one rule, the check of that rule still finds it, shrunk and
    reproduced as its plain run finds it when no sibling ran before it."""
    check, created = "vmfa.create.seed.aws-length", "test_created_device"
    group = run_against(tmp_path / "group" / "r", "seed-20-bytes", "--profile", "quick", "-k", created)
    alone = run_against(
        tmp_path / "alone" / "r", "seed-20-bytes", "--profile", "quick", "-k", f"{created} and aws-length"
    )
    results = group.document["results"]
    position = next(at for at, item in enumerate(results) if item["check"] == check)
    assert position > 0 and results[0]["verdict"] == "PASS"  # a sibling passed before it: recorded
    assert {item["verdict"] for item in results[:position]} <= {"PASS", "INFO"}
    assert [item["check"] for item in alone.document["results"]] == [check]
    assert _finding(group, check) == _finding(alone, check)
    assert _finding(group, check)["verdict"] == "DEVIATION"
