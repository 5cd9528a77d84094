"""The results model round-trips through JSON, and its file is written atomically."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from conformance.judging.verdicts import drawn_inputs
from reports import results_json, terminal
from reports.model import (
    SCHEMA,
    CheckResult,
    Evidence,
    RunResult,
    TargetInfo,
    Verdict,
    load_results,
    write_atomically,
)


def _run(*verdicts: Verdict) -> RunResult:
    return RunResult(
        target=TargetInfo("url", "http://127.0.0.1:1", "us-east-1", None, "123456789012"),
        suite_version="0.1.0",
        model_version="botocore x, iam 2010-05-08",
        profile="quick",
        started="2026-11-22T00:00:00+00:00",
        finished="2026-11-22T00:00:01+00:00",
        api_calls=7,
        results=tuple(
            CheckResult(
                check=f"vmfa.test.{index}",
                operation="CreateVirtualMFADevice",
                clause="clause",
                evidence=Evidence.DOCUMENTED,
                verdict=verdict,
                message=f"{verdict} happened",
                notes=("a note",),
            )
            for index, verdict in enumerate(verdicts)
        ),
    )


def test_json_round_trip_keeps_every_verdict(tmp_path: Path) -> None:
    run = _run(*Verdict)
    path = tmp_path / "results.json"
    write_atomically(path, results_json.render(run))
    assert load_results(path) == run
    document = json.loads(path.read_text())
    assert document["schema"] == SCHEMA
    assert document["counts"] == {str(verdict): 1 for verdict in Verdict}
    assert {item["verdict"] for item in document["results"]} == {str(v) for v in Verdict}


def test_an_incomplete_run_and_its_notes_round_trip_and_are_shown(tmp_path: Path) -> None:
    note = "cleanup: could not delete devices the suite created: arn:x: HTTP 500 ServiceFailure"
    run = dataclasses.replace(_run(Verdict.PASS), complete=False, notes=(note,))
    path = tmp_path / "results.json"
    write_atomically(path, results_json.render(run))
    assert load_results(path) == run
    shown = terminal.render(run)
    assert "INCOMPLETE: the run ended before every check was run" in shown
    assert f"NOTE: {note}" in shown
    # A document written before these fields existed is a complete run without notes.
    document = json.loads(path.read_text())
    del document["complete"], document["notes"]
    assert RunResult.from_json(document) == _run(Verdict.PASS)


def test_loading_another_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"schema": "something/else"}))
    with pytest.raises(ValueError, match="not an iam-conformance/results/1 document"):
        load_results(path)


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("old")

    with pytest.raises(TypeError):
        write_atomically(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


@pytest.mark.parametrize(
    ("verdicts", "failed"),
    [
        ((Verdict.PASS, Verdict.DEVIATION, Verdict.INFO, Verdict.SKIP), False),
        ((Verdict.PASS, Verdict.ERROR), True),
    ],
)
def test_run_fails_only_on_fail_or_error(verdicts: tuple[Verdict, ...], failed: bool) -> None:
    assert _run(*verdicts).failed is failed


def test_terminal_summary_counts_and_lists_what_needs_attention() -> None:
    text = terminal.render(_run(Verdict.PASS, Verdict.FAIL, Verdict.DEVIATION))
    assert "1 PASS, 1 FAIL, 1 DEVIATION" in text
    assert "    CreateVirtualMFADevice\n      FAIL vmfa.test.1: FAIL happened\n" in text
    assert "vmfa.test.0" not in text  # passes are counted, not listed


def test_the_counterexample_keeps_drawn_inputs_and_names_labelled_draws() -> None:
    notes = [
        "Falsifying example: test_x(\n    check=vmfa.x,\n    name='0',\n"
        "    data=data(...),\n    suite=<s>,\n)",
        "Draw 1 (AuthenticationCode1): '0000000'",
        "Draw 2: 3",
        "Draw 3 (invalid request): InvalidRequest()",
    ]
    expected = "name='0',\nAuthenticationCode1='0000000'\n3\nInvalidRequest()"
    assert drawn_inputs(notes, {"check", "suite"}) == expected


def test_a_report_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    write_atomically(tmp_path / "report.md", "text")
    previous = os.umask(0o022)
    os.umask(previous)
    assert (tmp_path / "report.md").stat().st_mode & 0o777 == 0o666 & ~previous


def test_a_label_is_optional_and_older_files_without_one_still_load(tmp_path: Path) -> None:
    run = _run(Verdict.PASS)
    document = run.to_json()
    assert document["target"]["label"] is None
    del document["target"]["label"]  # a file written before the field existed
    assert RunResult.from_json(document) == run
    target = {**document["target"], "label": "MiniStack 1.5.33"}
    labelled = RunResult.from_json({**document, "target": target})
    assert labelled.target.label == "MiniStack 1.5.33"
    assert labelled.to_json()["schema"] == SCHEMA
