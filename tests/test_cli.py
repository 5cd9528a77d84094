"""Bad input gets a clear one-line error and exit code 2, never a traceback."""

from __future__ import annotations

import gc
import json
import pstats
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.scenarios import all_checks
from tests.suite_runner import run_suite


def _closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--target", "url", "--endpoint-url", "http://127.0.0.1:1"], "cannot connect to the IAM endpoint"),
        (
            ["--target", "url", "--endpoint-url", f"http://127.0.0.1:{_closed_loopback_port()}"],
            "is it running?",
        ),
        (["--target", "url"], "--target url needs --endpoint-url"),
        (["--target", "url", "--endpoint-url", "ftp://x"], "invalid endpoint URL"),
        (["--target", "aws"], "refusing to touch real AWS"),
        (["--target", "aws", "--allow-aws"], "--target aws needs the account it may touch"),
        (["--target", "aws", "--allow-aws", "--aws-account", "12345"], "invalid AWS account id"),
        (["--max-calls", "0"], "invalid --max-calls 0"),
        (["--target", "nowhere"], "invalid choice"),
        (["--no-such-option"], "unrecognized arguments"),
        (["--endpoint-url", "http://127.0.0.1:1"], "goes with --target url"),
        (["--target", "moto", "-k", "no-such-check"], "no conformance test matched"),  # and no report
    ],
)
def test_bad_input_ends_in_one_line_and_exit_code_2(tmp_path: Path, args: list[str], says: str) -> None:
    run = run_suite(tmp_path / "report", *args)
    assert run.returncode == 2, run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert says in lines[0]
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "report" / "results.json").exists()


def test_the_command_ends_with_mains_code_after_its_exit_handlers_and_output(tmp_path: Path) -> None:
    """The installed command (`console`) ends its process without tearing the interpreter down: the exit
    code is main's, the exit handlers ran, nothing printed was lost, a bad input is still one line."""
    script = (
        "import atexit, sys; atexit.register(lambda: print('exit handler ran')); "
        "from conformance.runner.cli import console; console()"
    )

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )

    listed = command("list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    document, handled = listed.stdout.rsplit("}", 1)
    assert len(json.loads(document + "}")["checks"]) == len(all_checks())
    assert handled.strip() == "exit handler ran"
    missing = command("compare", "old.json", "new.json")
    assert missing.returncode == 2
    assert missing.stdout.strip() == "exit handler ran"
    assert len(missing.stderr.splitlines()) == 1 and "old.json" in missing.stderr, missing.stderr
    usage = command("run", "--workers", "0")  # argparse's exit
    assert usage.returncode == 2
    assert len(usage.stderr.splitlines()) == 1 and "--workers" in usage.stderr, usage.stderr
    helped = command("run", "--help")
    assert helped.returncode == 0
    assert "--endpoint-url" in helped.stdout and helped.stdout.rstrip().endswith("exit handler ran")


def test_a_profiled_command_still_writes_its_profile(tmp_path: Path) -> None:
    """Under cProfile the command ends as usual, so that the profile is written after it returns."""
    profile = tmp_path / "list.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "conformance.runner.cli", "list"]
    listed = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert pstats.Stats(str(profile)).get_stats_profile().func_profiles  # functions were seen


def test_the_command_registers_the_plugins_its_p_options_name_in_their_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pytest finds each ``-p`` plugin of a run registered already (else it scans every installed
    distribution's entry points for it, once per option); the options stay, for ``--workers``."""
    from conformance.runner import cli
    from conformance.runner.config import config_from_options

    seen: dict[str, list[Any]] = {}

    def main(args: list[str], plugins: list[object]) -> int:
        seen.update(args=args, plugins=plugins)
        return int(pytest.ExitCode.NO_TESTS_COLLECTED)

    monkeypatch.setattr(pytest, "main", main)
    options = cli._parser().parse_args(["run", "--report-dir", str(tmp_path), "--profile", "quick"])
    collecting = gc.isenabled()
    try:
        cli._run(config_from_options(options), seed=1, keyword=None, verbose=False, expectations=None)
    finally:  # the heap's module pauses the collector when first imported (`conformance.runner.heap`)
        if collecting:
            gc.enable()
    args = seen["args"]
    named = [
        args[at + 1] for at, arg in enumerate(args) if arg == "-p" and not args[at + 1].startswith("no:")
    ]
    assert named == ["conformance.runner.heap", "conformance.runner.plugin", "conformance.runner.progress"]
    assert [getattr(plugin, "__name__", None) for plugin in seen["plugins"][1:]] == named
