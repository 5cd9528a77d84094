"""The committed comparison (`compat/`, what `make compat` writes) was produced by the current suite,
and each implementation's expectations file describes its committed run exactly.

`make compat` itself needs the emulators (installs, loopback servers, minutes), so it is not part of
`make test`; this test keeps the committed copy honest: every column comes from this suite version and
this model, knows only check ids the suite has, and `expectations/<implementation>.toml` lists exactly
what that implementation fails (no unexpected failure, no unexpected pass, no entry left unjudged).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import __version__
from conformance.scenarios import all_checks
from reports.expectations import apply_expectations, load_expectations, unjudged_entries
from reports.model import Expectation, load_results
from strategies.model import model_identity

ROOT = Path(__file__).resolve().parent.parent
COMPAT = ROOT / "compat"
IMPLEMENTATIONS = ("moto", "ministack", "localstack")


def test_the_comparison_is_there() -> None:
    assert (COMPAT / "SUMMARY.md").is_file()
    assert (COMPAT / "report.md").is_file() and (COMPAT / "report.html").is_file()
    summary = (COMPAT / "SUMMARY.md").read_text()
    for label in ("moto 5.2.5", "MiniStack 1.5.33", "LocalStack 2026.3.0"):
        assert f"| {label} |" in summary


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_each_column_was_produced_by_the_current_suite(name: str) -> None:
    run = load_results(COMPAT / name / "results.json")
    assert run.suite_version == __version__
    assert run.model_version == model_identity().describe()
    assert run.complete
    known = {check.id for check in all_checks()}
    assert {result.check for result in run.results} <= known
    assert (COMPAT / name / "findings.md").is_file() and (COMPAT / name / "guard.txt").is_file()


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_each_expectations_file_matches_its_committed_run_exactly(name: str) -> None:
    run = load_results(COMPAT / name / "results.json")
    expectations = load_expectations(ROOT / "expectations" / f"{name}.toml", {c.id for c in all_checks()})
    judged = apply_expectations(run, expectations)
    surprises = [
        (result.check, result.case, str(result.verdict))
        for result in judged.results
        if result.expectation in (Expectation.UNEXPECTED_FAILURE, Expectation.UNEXPECTED_PASS)
    ]
    assert surprises == []
    assert unjudged_entries(judged, expectations) == ()
