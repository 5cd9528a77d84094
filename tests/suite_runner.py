"""Run the conformance suite the way a user does (the CLI, in a subprocess) and read its report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SuiteRun", "run_suite"]

SEED = 20261122  # fixed: the proof tests draw the same inputs every time


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


def run_suite(report_dir: Path, *args: str, timeout: float = 300) -> SuiteRun:
    command = [sys.executable, "-m", "conformance.runner.cli", "run", "--report-dir", str(report_dir), *args]
    if "--seed" not in args:
        command += ["--seed", str(SEED)]
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    return SuiteRun(completed.returncode, completed.stdout, completed.stderr, report_dir)
