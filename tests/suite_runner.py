"""Run the conformance suite the way a user does (the CLI, in a subprocess) and read its report."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli_forkserver import forked_enabled, run_forked

__all__ = ["CLI", "SuiteRun", "finish", "run_command", "run_plugin", "run_suite", "shared_run"]

SEED = 20261122  # fixed: the proof tests draw the same inputs every time
CLI = (sys.executable, "-m", "conformance.runner.cli")  # the ``iam-conformance`` command


@dataclass(frozen=True)
class SuiteRun:
    returncode: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def document(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.report_dir / "results.json").read_text())
        return loaded

    @property
    def verdicts(self) -> dict[str, str]:
        return {item["check"]: item["verdict"] for item in self.document["results"]}

    def result(self, check: str) -> dict[str, Any]:
        found: dict[str, Any] = next(item for item in self.document["results"] if item["check"] == check)
        return found


def run_command(
    report_dir: Path,
    *args: str,
    url: str | None = None,
    profile: str | None = None,
    keyword: str | None = None,
) -> list[str]:
    """``iam-conformance run`` writing its report to ``report_dir``, with the fixed `SEED` unless ``args``
    give one. ``url``: the endpoint (``--target url --endpoint-url URL``); ``profile``: ``--profile``;
    ``keyword``: ``-k``, the tests to run."""
    command = [*CLI, "run", "--report-dir", str(report_dir)]
    if url is not None:
        command += ["--target", "url", "--endpoint-url", url]
    if profile is not None:
        command += ["--profile", profile]
    if keyword is not None:
        command += ["-k", keyword]
    command += args
    if "--seed" not in args:
        command += ["--seed", str(SEED)]
    return command


def run_suite(
    report_dir: Path,
    *args: str,
    url: str | None = None,
    profile: str | None = None,
    keyword: str | None = None,
    timeout: float = 300,
    env: Mapping[str, str] | None = None,
) -> SuiteRun:
    """`run_command` run to its end, without the caller's AWS_* variables; ``env``: variables to add. In a
    process forked from one that imported the CLI already (`tests.cli_forkserver`): the command without
    its start-up, which the proof table pays 80 times."""
    command = run_command(report_dir, *args, url=url, profile=profile, keyword=keyword)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment.update(env or {})
    if forked_enabled():
        with tempfile.TemporaryDirectory(prefix="suite-run-") as output:
            forked = run_forked(command[len(CLI) :], environment, Path(output), timeout)
        if forked is not None:
            return SuiteRun(*forked, report_dir)
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=environment, check=False
    )
    return SuiteRun(completed.returncode, completed.stdout, completed.stderr, report_dir)


def run_plugin(
    pytester: pytest.Pytester, *args: str, url: str | None = None
) -> tuple[pytest.RunResult, dict[str, Any]]:
    """Plain pytest with the suite's plugin, in a subprocess, on the test modules ``pytester`` made: against
    the in-process moto (``url``: that endpoint), quick profile, report in ``out/``. pytest's result and
    the report's results.json."""
    target = ["--iam-target", "url", "--iam-endpoint-url", url] if url else ["--iam-target", "moto"]
    result = pytester.runpytest_subprocess(
        "-p", "conformance.runner.plugin", *target, "--iam-profile", "quick",
        "--iam-report-dir", "out", "-p", "no:cacheprovider", *args,
    )  # fmt: skip
    document: dict[str, Any] = json.loads((pytester.path / "out" / "results.json").read_text())
    return result, document


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[str, str]:
    """The output of a suite run started with `subprocess.Popen` (text pipes), once it ends; killed if it
    has not ended after ``timeout`` (generous: CI machines may be loaded), its pipes closed either way
    (an open pipe warns in a later test)."""
    try:
        return process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test session's temporary folder, the same for every pytest-xdist worker (each worker's
    basetemp is popen-gwN inside it)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``make(folder)`` fills, once per test session however many tests, modules or
    pytest-xdist workers ask for it by ``name``.

    A module fixture is made once per worker, and xdist may send a module's tests to both workers (the
    ``xdist_group`` mark that would keep them together does nothing with pytest 9.2: pytest-xdist
    issue 1386). So the first asker makes it under a lock in the session's temporary folder, which
    every worker shares, and marks it done; an asker that comes later, or waits on the lock, finds it.
    A ``make`` that raises marks nothing: the next asker tries again (and fails the same way).
    """
    root = shared_root(tmp_path_factory)
    folder = root / f"shared-{name}"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / _DONE).exists():
            folder.mkdir(exist_ok=True)
            make(folder)
            (folder / _DONE).touch()
    return folder


_DONE = "done"


def shared_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], SuiteRun]
) -> SuiteRun:
    """The run ``make(report_dir)`` returns, made once per test session (`shared_folder`), recorded in
    its folder for the askers that come later."""

    def made(folder: Path) -> None:
        run = make(folder / "report")
        record = {**dataclasses.asdict(run), "report_dir": str(run.report_dir)}
        (folder / "run.json").write_text(json.dumps(record))

    fields = json.loads((shared_folder(tmp_path_factory, name, made) / "run.json").read_text())
    return SuiteRun(**{**fields, "report_dir": Path(fields["report_dir"])})
