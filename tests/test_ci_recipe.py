"""The README's CI recipe is real: its shell steps run, here against a local endpoint standing in for
the emulator (the reference endpoint), with an expectations file written from a first run as the
recipe says. The steps that only GitHub can run (checkout, Python, artifacts, the pull-request comment)
are checked for what they name: the report files the run writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml  # PyYAML: moto's own dependency, so the test adds none

from tests.reference import ReferenceEndpoint

ROOT = Path(__file__).resolve().parent.parent


def _workflow() -> dict[str, Any]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## In an emulator's CI") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README's CI section has no YAML block"
    loaded: dict[str, Any] = yaml.safe_load(block.group(1))
    return loaded


def _step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    steps = workflow["jobs"]["conformance"]["steps"]
    found: dict[str, Any] = next(step for step in steps if step.get("name") == name)
    return found


def test_the_run_step_runs_against_a_local_endpoint(tmp_path: Path) -> None:
    workflow = _workflow()
    run_step = _step(workflow, "Run the conformance suite")["run"]
    bin_dir = Path(sys.executable).parent
    with ReferenceEndpoint() as endpoint:
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
            "EMULATOR_URL": endpoint.url,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",  # `iam-conformance`, as installed
        }
        # The first expectations file, written from a run as the README says (nothing fails here).
        first = subprocess.run(
            [
                str(bin_dir / "iam-conformance"),
                "run",
                "--target",
                "url",
                "--endpoint-url",
                endpoint.url,
                "--profile",
                "quick",
                "-k",
                "test_valid_request and not test_created_device",
                "--report-dir",
                str(tmp_path / "first"),
                "--write-expectations",
                str(tmp_path / "iam-conformance-expectations.toml"),
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert first.returncode == 0, first.stderr[-2000:]
        command = f"{run_step} --profile quick -k 'test_valid_request and not test_created_device'"
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    uploaded = _step(workflow, "Post the report")
    for name in ("junit.xml", "report.html", "report.md"):
        assert (tmp_path / "conformance-report" / name).is_file()
    assert "conformance-report/report.md" in uploaded["run"]
    artifact = next(
        step for step in workflow["jobs"]["conformance"]["steps"] if "upload-artifact" in step.get("uses", "")
    )
    assert set(artifact["with"]["path"].split()) == {
        "conformance-report/junit.xml",
        "conformance-report/report.html",
    }


def test_the_start_step_waits_for_the_emulator() -> None:
    start = _step(_workflow(), "Start the emulator")["run"]
    assert "&" in start and "$EMULATOR_URL" in start  # started in the background, then waited for
