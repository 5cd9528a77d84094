"""The README's CI recipe is real: its three shell steps run, in order, as GitHub runs a ``run:`` (bash
with ``-eo pipefail``), against a local emulator.

- **Install the suite**: into a fresh venv standing for setup-python's Python, from this repository as a
  git URL (``git+file://localhost/<checkout>``: the committed state) in place of the GitHub one, the
  index's packages pinned by ``PIP_CONSTRAINT=requirements.lock``. ``sudo`` is a stand-in that records
  what it was asked (``apt-get install -y libzbar0``) and installs nothing: the library is the machine's.
  Without the moto extra, an embedded target is refused in one line.
- **Start the emulator**: ``./your-emulator`` is moto's server (from this environment), behind the
  emulators' network guard with dummy credentials, on a free loopback port in place of 4566; the step
  starts it in the background and waits for it with curl. It is stopped by its PID, also on failure.
- **Run the conformance suite**: with an expectations file written from a first run, as the recipe
  says; moto fails a check of the subset, the file lists it, so the step passes.

The steps only GitHub can run (checkout, setup-python, artifacts, the pull-request comment) are checked
for what they name: the report files the run wrote.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml  # PyYAML: moto's own dependency, so the test adds none

from conformance.emulators.logs import guard_refusals
from conformance.emulators.process import GUARD_DIR, http_get

pytestmark = pytest.mark.slow  # installs the suite into a fresh venv and runs it end to end

ROOT = Path(__file__).resolve().parent.parent
_RECIPE_URL = "http://127.0.0.1:4566"
_GIT_URL = "git+https://github.com/OWNER/iam-conformance"
_SUBSET = "-k 'test_valid_request and not test_created_device'"  # seconds, and moto fails one check of it
_BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c")  # GitHub's shell for a `run:` step
# Stands for the emulator: the recipe's `--host H --port P`, given to moto's server behind the network
# guard with dummy credentials; it records its PID (exec keeps it), by which the test stops it.
_EMULATOR = """#!/bin/sh
echo $$ > emulator.pid
export PYTHONPATH="{guard}" IAM_EMULATOR_GUARD_LOG="{guard_log}"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
exec "{moto_server}" -H "$2" -p "$4"
"""
_SUDO = """#!/bin/sh
echo "$@" >> "{log}"
"""


def _workflow() -> dict[str, Any]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## In an emulator's CI") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README's CI section has no YAML block"
    loaded: dict[str, Any] = yaml.safe_load(block.group(1))
    return loaded


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"]["conformance"]["steps"]
    return steps


def _step(workflow: dict[str, Any], name: str) -> str:
    found: str = next(step for step in _steps(workflow) if step.get("name") == name)["run"]
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_the_recipe_s_shell_steps_run_against_a_local_emulator(tmp_path: Path) -> None:
    workflow = _workflow()
    assert workflow["jobs"]["conformance"]["env"]["EMULATOR_URL"] == _RECIPE_URL
    port = _free_port()
    install, start, run = (
        _step(workflow, name).replace("4566", str(port))
        for name in ("Install the suite", "Start the emulator", "Run the conformance suite")
    )
    assert _GIT_URL in install
    install = install.replace(_GIT_URL, f"git+file://localhost{ROOT}")
    venv = tmp_path / "python"
    assert subprocess.run([sys.executable, "-m", "venv", venv], check=False).returncode == 0
    shims = tmp_path / "shims"
    shims.mkdir()
    _executable(shims / "sudo", _SUDO.format(log=tmp_path / "sudo.log"))
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    moto_server = Path(sys.executable).parent / "moto_server"
    guard_log = tmp_path / "guard.log"
    emulator = _EMULATOR.format(moto_server=moto_server, guard=GUARD_DIR, guard_log=guard_log)
    _executable(workdir / "your-emulator", emulator)
    ours = ("AWS_", "PIP_CONSTRAINT", "PYTHON", "VIRTUAL_ENV")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env.update(
        PATH=os.pathsep.join([str(venv / "bin"), str(shims), os.environ["PATH"]]),
        EMULATOR_URL=f"http://127.0.0.1:{port}",
        PIP_CONSTRAINT=str(ROOT / "requirements.lock"),
    )

    def shell(script: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_BASH, script],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    try:
        installed = shell(install)
        assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
        assert (tmp_path / "sudo.log").read_text() == "apt-get install -y libzbar0\n"
        # Installed without the moto extra, as the recipe does: an embedded target is one line, exit 2.
        embedded = shell("iam-conformance run --report-dir embedded")
        assert embedded.returncode == 2 and embedded.stdout == "", embedded.stdout[-2000:]
        assert embedded.stderr == (
            "iam-conformance: error: --target moto-server needs moto, which is not installed: "
            "pip install 'iam-conformance[moto]' (or use --target url or aws)\n"
        )

        started = shell(start, timeout=120)
        assert started.returncode == 0, started.stderr[-2000:]
        assert http_get(f"http://127.0.0.1:{port}/moto-api/", timeout=5) is not None, (
            workdir / "emulator.log"
        ).read_text()[-2000:]

        # The first expectations file, written from a run as the README says: moto fails a check here.
        first = shell(
            f'iam-conformance run --target url --endpoint-url "$EMULATOR_URL" --profile quick {_SUBSET}'
            " --report-dir first --write-expectations iam-conformance-expectations.toml"
        )
        assert first.returncode == 1, first.stdout[-2000:] + first.stderr[-2000:]
        assert "[[expected]]" in (workdir / "iam-conformance-expectations.toml").read_text()

        done = shell(f"{run} --profile quick {_SUBSET}")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert "exit 0: nothing unexpected (1 failure, each listed in" in done.stdout
    finally:
        _stop(workdir / "emulator.pid")
    assert guard_refusals(guard_log) == []  # the emulator reached for nothing off loopback

    report = workdir / "conformance-report"
    for name in ("junit.xml", "report.html", "report.md"):
        assert (report / name).is_file()
    assert "conformance-report/report.md" in _step(workflow, "Post the report")
    artifact = next(step for step in _steps(workflow) if "upload-artifact" in step.get("uses", ""))
    assert set(artifact["with"]["path"].split()) == {
        "conformance-report/junit.xml",
        "conformance-report/report.html",
    }


def _stop(pid_file: Path) -> None:
    """The emulator, by the PID it recorded: SIGTERM, then SIGKILL after 10 s."""
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().strip())
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _alive(pid):
            return


def _alive(pid: int) -> bool:
    """Running (a zombie, ended and waiting for whoever adopted it to reap it, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
