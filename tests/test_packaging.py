"""The distribution behaves like a good citizen (issue: install anywhere).

Installed from its wheel into a fresh virtual environment, with the moto extra, the command runs
against the embedded moto and finds its shipped expectations file by name. Beside an unrelated project
that has a `reports/` package of its own, that project's plain `pytest` is unaffected: the plugin never
loads itself (no pytest11 entry point), so it adds no option and imports nothing of ours.

One environment serves both checks: creating it and installing the pinned packages is most of the cost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.suite_runner import shared_folder

pytestmark = pytest.mark.slow  # installs a wheel into a fresh venv / runs the whole suite

ROOT = Path(__file__).resolve().parent.parent
_FOREIGN = ("AWS_", "PYTHON", "VIRTUAL_ENV")  # the environment of this run, not the installed one's
Env = dict[str, str]


def _run(
    *command: str | Path, cwd: Path | None = None, timeout: float = 600, environment: Env | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "PYTHON", "VIRTUAL_ENV", "PIPX_", "UV_"))
    }
    env.update(environment or {})
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its moto extra installed (pinned by the lock file).

    Made with uv (``uv venv``, ``uv pip install``: a second or two from its cache) rather than
    ``python -m venv`` and pip (35 s of CPU, most of this module's cost): what these tests show is the
    wheel and the command it installs, not the installer. pip's own way into a venv stays tested by
    `test_pipx_installs_the_command` (pipx installs with pip into a venv of its own)."""
    # Once per test session: xdist may send this module's tests to several workers, and two wheel
    # builds at once from the same source tree collide in its build/ folder ("File exists").
    return shared_folder(tmp_path_factory, "packaging", _install) / "venv"


def _install(where: Path) -> None:
    """Build the wheel into ``where`` and install it with its moto extra into the new venv there."""
    venv = where / "venv"
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", where, ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = where.glob("iam_conformance-*.whl")
    uv = _tool("uv")
    made = _run(uv, "venv", "--quiet", "--python", sys.executable, venv, environment=_UV)
    assert made.returncode == 0, made.stderr[-2000:]
    install: list[str | Path] = [uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python"]
    done = _run(*install, "-c", ROOT / "requirements.lock", f"{wheel}[moto]", environment=_UV)
    assert done.returncode == 0, done.stderr[-2000:]


_UV = {"UV_PYTHON_DOWNLOADS": "never"}  # this Python: uv never downloads one here


def test_the_wheel_carries_what_a_run_needs(installed: Path) -> None:
    [wheel] = installed.parent.glob("iam_conformance-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "conformance/suite.ini" in names
    assert any(name.startswith("conformance/operations/") and name.endswith(".py") for name in names)
    assert any(name.endswith("data/share/iam-conformance/expectations/moto.toml") for name in names)
    assert not any(
        "entry_points" in name and "pytest11" in zipfile.ZipFile(wheel).read(name).decode()
        for name in names
        if name.endswith("entry_points.txt")
    )


def test_the_installed_command_runs_against_the_embedded_moto(installed: Path, tmp_path: Path) -> None:
    _runs_against_the_embedded_moto([installed / "bin" / "iam-conformance"], tmp_path)


def _runs_against_the_embedded_moto(
    command: list[str | Path], tmp_path: Path, environment: Env | None = None
) -> None:
    """``command`` (the installed command, or what stands for it) prints its version, then runs one check
    against the embedded moto, with the shipped expectations file found by name."""
    version = _run(*command, "--version", environment=environment)
    assert version.returncode == 0 and version.stdout.startswith("iam-conformance "), version.stderr[-2000:]
    run = _run(
        *command,
        "run",
        "--profile",
        "quick",
        "--seed",
        "1",
        "-k",
        "test_valid_request and not test_created_device",
        "--expectations",
        "moto",
        "--report-dir",
        tmp_path / "report",
        cwd=tmp_path,
        environment=environment,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads((tmp_path / "report" / "results.json").read_text())["results"]
    assert {result["check"] for result in results} == {"vmfa.create.valid-request-accepted"}


def test_pipx_installs_the_command(installed: Path, tmp_path: Path) -> None:
    """The README's ``pipx install '...[moto]'``, from the wheel, into a pipx home of the test's own."""
    [wheel] = installed.parent.glob("iam_conformance-*.whl")
    pipx = {
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
        "PIPX_DEFAULT_PYTHON": sys.executable,
    }
    lock = f"--pip-args=-c {ROOT / 'requirements.lock'}"
    done = _run(_tool("pipx"), "install", lock, f"{wheel}[moto]", environment=pipx)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    _runs_against_the_embedded_moto([tmp_path / "bin" / "iam-conformance"], tmp_path)


def test_uvx_runs_the_command_once(installed: Path, tmp_path: Path) -> None:
    """The README's ``uvx --from '...[moto]' iam-conformance run``: an environment made for the run, the
    packages from PyPI (pinned by the lock file), this Python (uv never downloads one here)."""
    [wheel] = installed.parent.glob("iam_conformance-*.whl")
    uvx: list[str | Path] = [_tool("uvx"), "--python", sys.executable, "-c", ROOT / "requirements.lock"]
    uvx += ["--from", f"{wheel}[moto]", "iam-conformance"]
    tools = {"UV_TOOL_DIR": str(tmp_path / "tools"), "UV_PYTHON_DOWNLOADS": "never"}
    _runs_against_the_embedded_moto(uvx, tmp_path, tools)


def _tool(name: str) -> Path:
    """A development tool of this environment (pipx and uv are in the dev extra, pinned by the lock)."""
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is missing from {path.parent}: make bootstrap installs it (the dev extra)"
    return path


def test_an_unrelated_project_is_unaffected(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "reports").mkdir(parents=True)
    (project / "reports" / "__init__.py").write_text("")
    (project / "reports" / "totals.py").write_text("def total(xs):\n    return sum(xs)\n")
    (project / "tests").mkdir()
    (project / "tests" / "test_totals.py").write_text(
        "from reports.totals import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"
    )
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\npythonpath = ['.']\n")
    python = installed / "bin" / "python"
    result = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 passed" in result.stdout
    assert "iam" not in _run(python, "-m", "pytest", "--help", cwd=project).stdout
