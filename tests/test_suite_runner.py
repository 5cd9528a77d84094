"""The helpers the end-to-end tests share: a run made once per session (``shared_run``), and a run forked
from a process that imported the CLI (`tests.cli_forkserver`), which is the command's own run."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.cli_forkserver import run_forked
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite, shared_run


def test_a_shared_run_is_made_once_and_read_back_the_same(tmp_path_factory: pytest.TempPathFactory) -> None:
    made: list[Path] = []

    def make(report_dir: Path) -> SuiteRun:
        made.append(report_dir)
        return SuiteRun(1, "out", "err", report_dir)

    name = f"test-{uuid.uuid4().hex}"
    first = shared_run(tmp_path_factory, name, make)
    second = shared_run(tmp_path_factory, name, make)
    assert len(made) == 1 and first == second == SuiteRun(1, "out", "err", made[0])


def test_a_run_that_could_not_be_made_is_tried_again(tmp_path_factory: pytest.TempPathFactory) -> None:
    def broken(report_dir: Path) -> SuiteRun:
        raise RuntimeError("endpoint down")

    name = f"test-{uuid.uuid4().hex}"
    with pytest.raises(RuntimeError):
        shared_run(tmp_path_factory, name, broken)
    assert (
        shared_run(tmp_path_factory, name, lambda report_dir: SuiteRun(0, "", "", report_dir)).returncode == 0
    )


@pytest.mark.slow
def test_a_forked_run_is_the_command_run_in_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same command, forked from the process that imported the CLI and as a plain subprocess: the
    same exit code, verdicts and report files; and bad input is the same one line and exit code 2."""
    runs: dict[str, tuple[SuiteRun, SuiteRun]] = {}
    for forked in ("1", "0"):
        monkeypatch.setenv("SUITE_RUN_FORKED", forked)
        with ReferenceEndpoint(mutant="untag-noop") as endpoint:
            args = (
                "--target",
                "url",
                "--endpoint-url",
                endpoint.url,
                "--profile",
                "aws",
                "-k",
                "test_device_tags",
            )
            judged = run_suite(tmp_path / f"forked-{forked}", *args)
        refused = run_suite(tmp_path / f"refused-{forked}", "--workers", "0")
        runs[forked] = (judged, refused)
    (forked_judged, forked_refused), (spawned_judged, spawned_refused) = runs["1"], runs["0"]
    assert forked_judged.returncode == spawned_judged.returncode == 1, forked_judged.stdout[-2000:]
    assert forked_judged.verdicts == spawned_judged.verdicts
    assert forked_judged.verdicts["vmfa.tags.untag-removes"] == "FAIL"
    assert sorted(path.name for path in forked_judged.report_dir.iterdir()) == sorted(
        path.name for path in spawned_judged.report_dir.iterdir()
    )
    assert forked_judged.stdout.splitlines()[-1] == spawned_judged.stdout.splitlines()[-1]
    assert forked_refused.returncode == spawned_refused.returncode == 2
    assert forked_refused.stderr == spawned_refused.stderr and len(forked_refused.stderr.splitlines()) == 1
    assert forked_refused.stdout == spawned_refused.stdout == ""


def test_a_run_in_another_environment_than_the_servers_is_not_forked(tmp_path: Path) -> None:
    """A module may read a variable when the server imports it: such a run is a plain subprocess."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["IAM_CONFORMANCE_READ_TIMEOUT"] = "1"
    assert run_forked(["run", "--workers", "0"], env, tmp_path, timeout=60) is None
    assert not any(tmp_path.iterdir())  # nothing was started
