"""Expectations end to end, as a mock server's CI uses them: write the file from a run against the
embedded moto server, run again with it (green), then break it both ways. The runs are restricted to
the created-device checks (``-k``), where moto fails ``vmfa.create.qr.png`` and passes the seed checks;
one full run proves the shipped ``expectations/moto.toml`` describes the pinned moto exactly (moto in
process: the run `tests.test_moto_targets_agree` compares with the server's, verdict by verdict).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.scenarios import all_checks
from reports.expectations import Entry, load_expectations
from reports.expectations_writer import TODO_PREFIX, render_expectations, write_expectations
from reports.model import Verdict
from reports.score import format_score
from tests.suite_runner import SuiteRun, run_suite, shared_run
from tests.test_report_against_moto import SECRET_SHAPES

_ONLY = ("-k", "test_created_device")
_KNOWN_FAILURE = "vmfa.create.qr.png"  # moto's QRCodePNG is random bytes
_PASSING = "vmfa.create.seed.base32"  # moto's seed is good base32
_SHIPPED = Path(__file__).resolve().parents[1] / "expectations" / "moto.toml"


def _expectations_of(run: SuiteRun) -> dict[str, str | None]:
    return {f"{item['check']} [{item['case']}]": item["expectation"] for item in run.document["results"]}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, Path]:
    """A run that writes an expectations file beside its report, made once for every xdist worker."""

    def make(report_dir: Path) -> SuiteRun:
        path = report_dir.parent / "moto.toml"
        return run_suite(report_dir, "--profile", "quick", *_ONLY, "--write-expectations", str(path))

    run = shared_run(tmp_path_factory, "moto-written", make)
    return run, run.report_dir.parent / "moto.toml"


def _judged_with(
    tmp_path_factory: pytest.TempPathFactory, written: tuple[SuiteRun, Path], change: list[Entry] | None
) -> SuiteRun:
    """A run judged against the written file, with ``change`` as its entries when given."""
    directory = tmp_path_factory.mktemp("judged")
    expectations = load_expectations(written[1])
    if change is not None:
        expectations = replace(expectations, entries=tuple(change))
    write_expectations(directory / "moto.toml", expectations)
    return run_suite(
        directory / "report", "--profile", "quick", *_ONLY, "--expectations", str(directory / "moto.toml")
    )


@pytest.mark.slow
def test_the_file_written_from_a_run_lists_what_moto_fails(written: tuple[SuiteRun, Path]) -> None:
    run, path = written
    assert run.returncode == 1, run.stderr  # the run itself still fails: the file records, not forgives
    entries = load_expectations(path, {check.id for check in all_checks()}).entries
    assert [(e.check, e.verdict) for e in entries] == [(_KNOWN_FAILURE, Verdict.FAIL)]
    assert entries[0].reason.startswith(f"{TODO_PREFIX} (received: no PNG signature")
    assert f"expectations written to {path}: entries 1, reasons still to write (TODO) 1" in run.stdout
    assert not SECRET_SHAPES.search(path.read_text())


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory, written: tuple[SuiteRun, Path]) -> SuiteRun:
    return _judged_with(tmp_path_factory, written, None)


@pytest.mark.slow
def test_a_run_judged_against_its_own_file_is_green(round_trip: SuiteRun) -> None:
    assert round_trip.returncode == 0, round_trip.stdout[-3000:] + round_trip.stderr
    expectations = _expectations_of(round_trip)
    assert expectations[f"{_KNOWN_FAILURE} [None]"] == "EXPECTED_FAILURE"
    assert "UNEXPECTED_FAILURE" not in expectations.values()
    assert round_trip.document["expectations"].endswith("moto.toml")
    assert (
        "expected failures 1 (counted, not listed), unexpected failures 0, unexpected passes 0"
        in round_trip.stdout
    )


@pytest.mark.slow
def test_a_known_failure_missing_from_the_file_fails_the_run(
    tmp_path_factory: pytest.TempPathFactory, written: tuple[SuiteRun, Path]
) -> None:
    run = _judged_with(tmp_path_factory, written, [])
    assert run.returncode == 1, run.stderr
    assert _expectations_of(run)[f"{_KNOWN_FAILURE} [None]"] == "UNEXPECTED_FAILURE"
    assert f"    FAIL {_KNOWN_FAILURE}: no PNG signature" in run.stdout


@pytest.mark.slow
def test_an_entry_for_a_check_moto_passes_is_reported_and_does_not_fail(
    tmp_path_factory: pytest.TempPathFactory, written: tuple[SuiteRun, Path]
) -> None:
    entries = [*load_expectations(written[1]).entries, Entry(_PASSING, Verdict.FAIL, "thought broken")]
    run = _judged_with(tmp_path_factory, written, entries)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    assert _expectations_of(run)[f"{_PASSING} [None]"] == "UNEXPECTED_PASS"
    assert f"    PASS {_PASSING} (listed: thought broken)" in run.stdout
    assert "hint: remove these from" in run.stdout


def test_the_shipped_moto_file_is_valid_and_every_reason_is_written() -> None:
    expectations = load_expectations(_SHIPPED, {check.id for check in all_checks()})
    assert (expectations.implementation, expectations.version) == ("moto", "5.2.5")
    assert not [entry for entry in expectations.entries if entry.reason.startswith(TODO_PREFIX)]
    # Exactly as the writer writes it, so that regenerating it changes only what changed.
    assert render_expectations(replace(expectations, source=str(_SHIPPED))) == _SHIPPED.read_text(
        encoding="utf-8"
    )


def shared_shipped_file_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """One full quick run against moto in process (``--target moto``) with the shipped file, made once for
    every test and xdist worker that reads it (here, and `tests.test_moto_targets_agree`, which shows that
    moto in process and moto's server, the target ``make expectations`` writes the file from, give the
    same verdict to every check and case: so the file describes both)."""

    def make(report_dir: Path) -> SuiteRun:
        return run_suite(
            report_dir, "--target", "moto", "--profile", "quick", "--expectations", str(_SHIPPED)
        )

    return shared_run(tmp_path_factory, "moto-in-process-shipped", make)


@pytest.mark.slow
def test_the_shipped_moto_file_describes_moto_exactly(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One full run. When it fails after new checks land: ``make expectations``, then write the reasons."""
    run = shared_shipped_file_run(tmp_path_factory)
    expectations = _expectations_of(run)
    assert "UNEXPECTED_FAILURE" not in expectations.values(), run.stdout[-5000:]
    assert "UNEXPECTED_PASS" not in expectations.values(), run.stdout[-5000:]
    assert "but not judged in this run" not in run.stdout  # every entry still matches a result
    assert run.returncode == 0, run.stderr
    # The terminal is the suite's: its summary last, agreeing with the exit code and the report.
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    expected = sum(1 for value in expectations.values() if value == "EXPECTED_FAILURE")
    assert lines[-1].endswith(
        f" · exit 0: nothing unexpected ({expected} failures, each listed in {_SHIPPED})"
    )
    assert lines[-1].startswith(f"score {format_score(_counts(run))} · ")
    counts = ", ".join(f"{count} {verdict}" for verdict, count in _counts(run).items())
    assert f"  verdicts: {counts}" in lines
    assert "  needs attention: nothing unexpected" in lines
    assert "FAILURES" not in run.stdout and not re.search(r"\d+ (passed|failed|xfailed)", run.stdout)
    assert "\r" not in run.stdout and "\x1b" not in run.stdout  # off a terminal: plain lines, no colour
    total = len(run.document["results"])
    assert re.search(rf"^\[{total}/{total}\] {total} checks run in ", run.stdout, re.MULTILINE)


def _counts(run: SuiteRun) -> dict[Verdict, int]:
    return {verdict: run.document["counts"][verdict] for verdict in Verdict}
