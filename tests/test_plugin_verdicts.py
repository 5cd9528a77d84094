"""The plugin turns how a conformance test ended into the right verdict, and pytest's outcome
follows: only FAIL and ERROR fail a test; a crashing check is ERROR, never PASS."""

from __future__ import annotations

import pytest

from reports.write import RUN_FILES
from tests.suite_runner import run_plugin
from tests.toy_checks import toy_module

# A conformance test module with one check per verdict, run against moto in-process.
_MODULE = toy_module(
    """
from conformance.judging.outcomes import Info, Miss, Pass, Skip, Unsupported
from conformance.judging.registry import check
from reports.model import Evidence


def _register(id, evidence, outcome):
    return check(id=id, operation="Op", scenario="test", clause="clause " + id, evidence=evidence)(outcome)


CHECKS = [
    _register("t.pass", Evidence.MODEL, lambda n: Pass()),
    _register("t.fail", Evidence.MODEL, lambda n: Miss("small", f"{n}") if n > 3 else Pass()),
    _register("t.deviation", Evidence.OBSERVED, lambda n: Miss("as AWS", "otherwise")),
    _register("t.info-by-evidence", Evidence.NONE, lambda n: Miss("either", "or")),
    _register("t.info-note", Evidence.DOCUMENTED, lambda n: Info("the spec is silent")),
    _register("t.skip", Evidence.MODEL, lambda n: Skip("depends on t.fail")),
    _register("t.error", Evidence.MODEL, lambda n: 1 / 0),
    _register("t.not-implemented", Evidence.MODEL, lambda n: Unsupported("Op", "HTTP 501 NotImplemented")),
    # The same operation missing again: reported once, this one SKIP naming where.
    _register("t.not-implemented-again", Evidence.MODEL, lambda n: Unsupported("Op", "HTTP 501")),
]
""",
    test_verdicts="CHECKS",
)


@pytest.mark.slow
def test_each_ending_gets_its_verdict_and_pytest_follows(pytester: pytest.Pytester) -> None:
    # One run for all assertions: each pytester run is a fresh interpreter (a few seconds).
    pytester.makepyfile(test_conformance_verdicts=_MODULE)
    result, document = run_plugin(pytester)
    results = {item["check"]: item for item in document["results"]}

    assert {check: item["verdict"] for check, item in results.items()} == {
        "t.pass": "PASS",
        "t.fail": "FAIL",
        "t.deviation": "DEVIATION",
        "t.info-by-evidence": "INFO",
        "t.info-note": "INFO",
        "t.skip": "SKIP",
        "t.error": "ERROR",
        "t.not-implemented": "NOT_IMPLEMENTED",
        "t.not-implemented-again": "SKIP",
    }
    assert results["t.not-implemented"]["message"].endswith("Op (HTTP 501 NotImplemented)")
    assert results["t.not-implemented-again"]["message"] == (
        "depends on Op, which the endpoint does not implement (see t.not-implemented)"
    )
    assert results["t.info-note"]["notes"] == ["the spec is silent"]
    assert results["t.error"]["message"] == "ZeroDivisionError: division by zero"
    assert results["t.skip"]["message"] == "depends on t.fail"
    # The failure is shrunk to the minimal input, and only the drawn input is shown.
    assert results["t.fail"]["counterexample"] == "n=4"
    assert results["t.fail"]["observed"] == "4"
    # Only FAIL and ERROR fail pytest; the run's exit status says so.
    result.assert_outcomes(passed=4, failed=2, skipped=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # The report directory holds every format, each rendered from the same results.
    assert sorted(path.name for path in (pytester.path / "out").iterdir()) == sorted(RUN_FILES)
