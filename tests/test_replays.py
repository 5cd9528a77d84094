"""Replays are isolated (issue 11): no verdict depends on what an earlier attempt of the same example
left on the endpoint, and Hypothesis's Flaky errors never reach a report as such.

Hypothesis replays a failing example to shrink it and to report it. Against an endpoint, a replay that
sent the same create again would meet the device the first attempt left (409), and the check would
"pass" on replay: Flaky, an ERROR, where a FAIL is due. Two things prevent it: an observation is gathered
once per drawn example and a replay meets it again (`conformance.judging.memo`), and each gathering
makes its names unique (an invalid name keeps its one violation, on a path of its own).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from conformance.judging.memo import ObservationMemo
from conformance.scenarios.invalid_create import gather as invalid_create
from conformance.session.calls import ApiCall, Rejection
from strategies.violations import InvalidRequest, Violation
from tests.reference import ReferenceEndpoint
from tests.suite_runner import run_plugin, run_suite

pytestmark = pytest.mark.slow  # runs the suite end to end


def test_a_replay_meets_the_observation_its_first_attempt_made() -> None:
    sent: list[tuple[str, ...]] = []

    def gather(context: object, *inputs: str) -> list[tuple[str, ...]]:
        sent.append(inputs)
        return [inputs]  # a fresh object each time it is really gathered

    memo = ObservationMemo()
    first = memo.once(gather, "name", "label")
    assert memo.once(gather, "name", "label") is first  # the replay: nothing sent again
    assert memo.once(gather, "other", "label") is not first
    assert sent == [("name", "label"), ("other", "label")]


class _FakeSuite:
    """Records the creates an invalid-create gathering sends (each refused)."""

    def __init__(self) -> None:
        self.sent: list[Mapping[str, Any]] = []
        self.held: dict[str, Any] = {}  # what the gathering keeps for the run (`SuiteSession.held`)
        self._tokens = 0

    def unique_token(self) -> str:
        self._tokens += 1
        return f"u{self._tokens}"

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[ApiCall]]:  # the gatherer is `recorded`: nothing sent is kept
        yield []

    def create_device(self, params: Mapping[str, Any], *, validated: bool = True) -> Any:
        self.sent.append(params)
        call = ApiCall("iam", "create_virtual_mfa_device", params, None, "us-east-1", validated)
        rejection = Rejection(call, 400, "ValidationError", "invalid", "Sender")

        class _Refused:
            def __enter__(self) -> Rejection:
                return rejection

            def __exit__(self, *exc: object) -> None:
                return None

        return _Refused()


def _invalid_name() -> InvalidRequest:
    violation = Violation("CreateVirtualMFADevice", "VirtualMFADeviceName", "name.pattern.char", "put 'é' in")
    return InvalidRequest({"VirtualMFADeviceName": "é"}, violation)


def test_each_attempt_at_an_invalid_name_is_sent_on_a_path_of_its_own() -> None:
    suite = _FakeSuite()
    for _ in range(2):  # two gatherings of the same drawn input: a replay whose observation was lost
        invalid_create.gather(suite, _invalid_name())
    first, second = suite.sent
    assert first["VirtualMFADeviceName"] == second["VirtualMFADeviceName"] == "é"  # the one violation kept
    assert first["Path"] != second["Path"]  # ... on a path no other attempt used


def test_an_accepted_invalid_name_that_cannot_be_deleted_is_a_fail_not_a_flaky_error(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """``name-unicode-word-accepted`` accepts ``é`` in a name; its device's serial then breaks the
    SerialNumber pattern, so a conformant DeleteVirtualMFADevice refuses it and the device stays."""
    with ReferenceEndpoint(mutant="name-unicode-word-accepted") as endpoint:
        run = run_suite(
            tmp_path_factory.mktemp("replay") / "report",
            url=endpoint.url,
            profile="quick",
            keyword="test_invalid_request and name.pattern.char",
        )
        left = list(endpoint.app.context.store.devices)
    results = {item["check"]: item for item in run.document["results"]}
    assert results["vmfa.create.invalid.rejected"]["verdict"] == "FAIL", run.stdout[-2000:]
    assert left, "the accepted device could not be deleted: what a replay would have met"
    assert len(left) == len(set(left))
    assert "EntityAlreadyExists" not in json.dumps(run.document)
    assert "Flaky" not in json.dumps(run.document)


# Checks that Hypothesis cannot replay: each would end with one of its Flaky errors.
_FLAKY_MODULE = """
import pytest
from hypothesis import given, settings, strategies as st

from conformance.judging.outcomes import Miss, Pass
from conformance.judging.registry import check
from conformance.runner.profiles import suite_settings
from reports.model import Evidence

SEEN = {"flips": 0, "strategy": 0, "crash": 0}


def _register(id, outcome, evidence=Evidence.MODEL):
    return check(id=id, operation="Op", scenario="flaky", clause="c", evidence=evidence)(outcome)


def _first_time(key):
    SEEN[key] += 1
    return SEEN[key] == 1


MISS = Miss("refused", "accepted")
FLIPS = _register("t.flips", lambda n: MISS if _first_time("flips") else Pass())
STRATEGY = _register("t.strategy", lambda n: MISS if _first_time("strategy") else Pass())
CRASH = _register("t.crash", lambda n: 1 / 0 if _first_time("crash") else Pass())
TWO_WAYS = _register("t.two-ways", lambda n: MISS if n % 2 else 1 / 0)


@pytest.mark.parametrize("check", [FLIPS], ids=str)
@settings(suite_settings(), database=None)
@given(n=st.integers(-100, 100))
def test_plain(check, n, suite, judge):
    judge(check, n)


@pytest.mark.parametrize("check", [TWO_WAYS], ids=str)
@settings(suite_settings(), database=None, report_multiple_bugs=True)
@given(n=st.integers(-100, 100))
def test_two_ways(check, n, suite, judge):
    judge(check, n)


@pytest.mark.parametrize("check", [STRATEGY, CRASH], ids=str)
@settings(suite_settings(), database=None)
@given(data=st.data())
def test_drawn_from_state(check, data, suite, judge):
    # What is drawn depends on what happened before: a replay draws otherwise.
    key = "strategy" if check is STRATEGY else "crash"
    data.draw(st.integers() if SEEN[key] % 2 == 0 else st.text(), label="value")
    judge(check, None)
"""


def test_flaky_errors_become_words_and_the_endpoints_failure_is_still_reported(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_conformance_flaky=_FLAKY_MODULE)
    run_plugin(pytester)
    text = (pytester.path / "out" / "results.json").read_text()
    results = {item["check"]: item for item in json.loads(text)["results"]}
    assert {check: item["verdict"] for check, item in results.items()} == {
        "t.flips": "FAIL",  # seen once, not on replay: still the endpoint's failure, noted as such
        "t.strategy": "FAIL",  # the replay drew otherwise (FlakyStrategyDefinition)
        "t.crash": "ERROR",  # ours, and not repeatable either
        "t.two-ways": "FAIL",  # two distinct failures: the endpoint's one, the other noted
    }
    for check in ("t.flips", "t.strategy"):
        assert any(note.startswith("not repeatable: sent again") for note in results[check]["notes"]), check
    assert results["t.crash"]["message"].startswith("not repeatable: sent again")
    assert "ZeroDivisionError" in results["t.crash"]["message"]
    assert any(
        "it also failed otherwise: ZeroDivisionError" in note for note in results["t.two-ways"]["notes"]
    )
    assert "Flaky" not in text and "Inconsistent" not in text and "Hypothesis" not in text
