"""The lists check judged from the answers check's run (`conformance.scenarios.lifecycle.alongside`),
end to end against the reference endpoint, counted by `tests.alongside_probe`:

- on the conformant endpoint the answers check's run keeps exactly the observations the lists check's
  own run makes (as many, each after the same steps, the answers check's refusals aside), and the lists
  check's test then sends no call of its own, with the verdict and examples of its own run;
- a mutant that breaks a list: the kept observations do not stand, and the lists check FAILs from its
  own run;
- a mutant that breaks an answer: the answers check FAILs, and the lists check runs its own run, with
  the verdict it has when its test runs it anyway.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import hypothesis.core
import pytest

from conformance.judging.memo import ObservationMemo
from conformance.judging.verdicts import ItemRecord, Judge
from conformance.scenarios import checks_for
from conformance.scenarios.lifecycle import alongside
from conformance.scenarios.lifecycle.checks import LISTS as LISTS_SCENARIO
from conformance.scenarios.lifecycle.checks import Disagreement, ListedState
from conformance.session.calls import ApiCall
from conformance.session.settling import Consistency
from conformance.session.suite import SuiteSession
from tests.alongside_probe import ENV, OWN_RUN
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite

ANSWERS, LISTS = "vmfa.lifecycle.answers-agree", "vmfa.lifecycle.lists-agree"
# The calls the answers check sends after each new assignment, refused: not in the lists check's run.
REFUSALS = {"delete_virtual_mfa_device", "enable_mfa_device", "delete_user"}
_ROOT = Path(__file__).resolve().parent.parent
_TESTS = "test_lifecycle_state_machine"


def _run(folder: Path, mutant: str | None, *, own_run: bool = False) -> tuple[SuiteRun, dict[str, Any]]:
    """The state machine's two tests (quick profile, the fixed seed), probed."""
    probe = folder / "probe.json"
    env = {"PYTEST_ADDOPTS": "-p tests.alongside_probe", ENV: str(probe), "PYTHONPATH": str(_ROOT)}
    if own_run:
        env[OWN_RUN] = "1"
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        run = run_suite(
            folder / "report",
            url=endpoint.url,
            profile="quick",
            keyword="test_lifecycle_state_machine",
            env=env,
        )
        assert mutant or not endpoint.app.context.store.users, "a user was left behind"
    assert run.document["results"], run.stderr[-2000:]
    noted: dict[str, Any] = json.loads(probe.read_text(encoding="utf-8"))
    return run, noted


def _verdict(run: SuiteRun, check: str) -> tuple[str, int]:
    result = run.result(check)
    return result["verdict"], result["examples"]


def _own_steps_among(kept: list[Any], own: list[Any]) -> bool:
    """Whether ``own`` is ``kept`` without some of the answers check's refusals (each refused)."""
    matched = 0
    for step in kept:
        if matched < len(own) and step == own[matched]:
            matched += 1
        elif step[0] not in REFUSALS or step[2]:
            return False
    return matched == len(own)


def _session(patience: float = 0.0, max_calls: int | None = None) -> SuiteSession:
    return cast(
        SuiteSession, SimpleNamespace(consistency=Consistency(patience), max_calls=max_calls, held={})
    )


def _listed(*disagreements: Disagreement) -> ListedState:
    call = ApiCall("iam", "list_virtual_mfa_devices", {"AssignmentStatus": "Any"}, None, "us-east-1")
    return ListedState((), disagreements, call)


@pytest.fixture
def fixed_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's seed fixed, as ``--hypothesis-seed`` fixes it (what the command always gives)."""
    monkeypatch.setattr(hypothesis.core, "global_force_seed", 20261122)


@pytest.mark.usefixtures("fixed_seed")
def test_kept_only_without_patience_or_call_budget_and_when_the_lists_test_follows() -> None:
    assert alongside.begin(_session(), lists_follow=False) is None
    assert alongside.begin(_session(patience=5.0), lists_follow=True) is None
    assert alongside.begin(_session(max_calls=100), lists_follow=True) is None
    suite = _session()
    kept = alongside.begin(suite, lists_follow=True)
    assert kept is not None and suite.held  # held for the lists test


def test_kept_only_with_the_runs_seed_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without it the lists test draws sequences of its own: nothing is kept, and it runs them."""
    check = checks_for(LISTS_SCENARIO)[0]
    for seed, kept_for_it in ((None, False), (20261122, True)):
        monkeypatch.setattr(hypothesis.core, "global_force_seed", seed)
        suite, judge = _session(), Judge(ItemRecord(), ObservationMemo())
        kept = alongside.begin(suite, lists_follow=True)
        assert (kept is not None) == kept_for_it
        if kept is not None:
            kept.keep(_listed())
        assert alongside.judged(suite, judge, check) is kept_for_it  # False: its own sequences run
        assert judge.record.examples == (1 if kept_for_it else 0)


@pytest.mark.usefixtures("fixed_seed")
def test_the_lists_test_judges_what_was_kept_only_when_nothing_spoilt_it() -> None:
    check = checks_for(LISTS_SCENARIO)[0]
    wrong = Disagreement("ListMFADevices", "lists d", "lists none", _listed().call)
    for keep, stands in (([_listed(), _listed()], True), ([_listed(), _listed(wrong)], False), ([], False)):
        suite, judge = _session(), Judge(ItemRecord(), ObservationMemo())
        kept = alongside.begin(suite, lists_follow=True)
        assert kept is not None
        for observed in keep:
            kept.keep(observed)
        assert alongside.judged(suite, judge, check) is stands
        assert judge.record.examples == (len(keep) if stands else 0)
        assert not suite.held  # used once
    suite = _session()
    kept = alongside.begin(suite, lists_follow=True)
    assert kept is not None
    kept.keep(_listed())
    kept.spoil("the answers check's run raised")
    assert not alongside.judged(suite, Judge(ItemRecord(), ObservationMemo()), check)


@pytest.fixture(scope="module")
def conformant(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[SuiteRun, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("alongside")
    return {
        "own": _run(folder / "own", None, own_run=True),
        "kept": _run(folder / "kept", None),
    }


@pytest.mark.slow
def test_the_answers_run_keeps_exactly_what_the_lists_run_observes(conformant: dict[str, Any]) -> None:
    _, noted = conformant["own"]
    kept, own = noted["kept"], noted["judged"]
    assert noted["spoilt"] is None
    assert len(kept) == len(own) > 0
    assert all(_own_steps_among(k, o) for k, o in zip(kept, own, strict=True))
    assert any(len(k) > len(o) for k, o in zip(kept, own, strict=True))  # the refusals were sent


@pytest.mark.slow
def test_the_lists_test_then_sends_no_call_and_has_its_own_runs_verdict(conformant: dict[str, Any]) -> None:
    own_run, own = conformant["own"]
    run, noted = conformant["kept"]
    assert own["calls"][LISTS] > 0
    assert noted["calls"][LISTS] == 0
    assert noted["calls"][ANSWERS] == own["calls"][ANSWERS]
    assert noted["judged"] == noted["kept"]  # the lists test judged the kept observations, in order
    assert _verdict(run, LISTS) == _verdict(own_run, LISTS) == ("PASS", len(own["judged"]))
    assert _verdict(run, ANSWERS) == _verdict(own_run, ANSWERS)
    assert _verdict(run, ANSWERS)[0] == "PASS"


@pytest.mark.slow
def test_a_broken_list_is_found_by_the_lists_checks_own_run(tmp_path: Path) -> None:
    run, noted = _run(tmp_path, "deactivate-keeps-user")
    assert noted["spoilt"] == "a view read for the lists check failed or disagreed"
    assert noted["calls"][LISTS] > 0  # its own run, shrunk: a finding never comes from the kept ones
    assert _verdict(run, LISTS)[0] == "FAIL"
    assert _verdict(run, ANSWERS)[0] == "PASS"


@pytest.mark.slow
def test_a_broken_answer_leaves_the_lists_check_to_its_own_run(tmp_path: Path) -> None:
    run, noted = _run(tmp_path / "kept", "delete-assigned-allowed")
    own_run, _ = _run(tmp_path / "own", "delete-assigned-allowed", own_run=True)
    assert noted["spoilt"] is not None
    assert noted["calls"][LISTS] > 0
    assert _verdict(run, ANSWERS)[0] == "FAIL"
    assert _verdict(run, LISTS) == _verdict(own_run, LISTS)
