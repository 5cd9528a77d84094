"""`started(recipe)`: an emulator on a free loopback port, guarded, healthy, and stopped whatever happens.

The emulator runs in a session (and so a process group) of its own: a Ctrl-C at the terminal reaches
this process only, and stopping kills the whole group, so no child of the emulator outlives it. It is
stopped by the PID it was started with: SIGTERM, a grace period, then SIGKILL of the group (LocalStack
may take more than a minute to exit on SIGTERM), when the body returns, raises, or is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from conformance.emulators import procs
from conformance.emulators.logs import guard_refusals, tail
from conformance.emulators.recipes import Launch, Recipe, RecipeError
from conformance.emulators.venvs import install

__all__ = ["GUARD_DIR", "Running", "Stopped", "emulator_environment", "http_get", "started"]

GUARD_DIR = Path(__file__).resolve().parent / "guard"
GUARD_LOG_ENV = "IAM_EMULATOR_GUARD_LOG"  # the guard's sitecustomize reads it (it cannot import this)
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Never passed on: the user's AWS settings (credentials, profiles, endpoints) and what would change
# which Python code the emulator runs.
_DROPPED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")
_GUARD_PROBE = "import socket, sys; sys.exit(0 if getattr(socket, '_loopback_guard', False) else 3)"
_POLL = 0.05


@dataclass(frozen=True)
class Stopped:
    seconds: float  # from the SIGTERM to the end of the group
    how: str  # "exited on SIGTERM (status N)", "killed after N s", "had exited (status N)"
    left: tuple[int, ...]  # pids that had to be killed outside the group (should be empty)


@dataclass
class Running:
    recipe: Recipe
    url: str
    product: str
    version: str
    version_source: str  # where the version came from: "GET <path>" or "pinned"
    pid: int
    log_path: Path
    guard_log_path: Path
    stopped: Stopped | None = None  # filled in when it has been stopped

    def refusals(self) -> list[str]:
        return guard_refusals(self.guard_log_path)


def emulator_environment(recipe: Recipe, launch: Launch, guard_log: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in _DROPPED}
    env.update(recipe.environment(launch))
    env.update(DUMMY_CREDENTIALS)
    env.update(PYTHONPATH=str(GUARD_DIR), PYTHONUNBUFFERED="1", **{GUARD_LOG_ENV: str(guard_log)})
    env["TMPDIR"] = str(launch.data_dir / "tmp")  # its temporary files go with its data folder
    return env


@contextlib.contextmanager
def started(
    recipe: Recipe,
    *,
    cache_dir: Path | None = None,
    run_dir: Path | None = None,
    start_timeout: float | None = None,
    stop_grace: float | None = None,
) -> Iterator[Running]:
    """Install if needed, start, wait for health; yield what runs; stop it by its PID on the way out.

    ``run_dir`` (default: a new temporary folder, kept) receives ``emulator.log`` and ``guard.log``;
    the emulator runs in its ``data/`` subfolder (with ``$TMPDIR`` in ``data/tmp``), empty at start and
    removed at the end.
    """
    installed, _ = install(recipe, cache_dir)
    run_dir = Path(tempfile.mkdtemp(prefix=f"iam-emulator-{recipe.name}-")) if run_dir is None else run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    data_dir, log_path, guard_log = run_dir / "data", run_dir / "emulator.log", run_dir / "guard.log"
    launch = Launch(python=installed.python, port=_free_port(), data_dir=data_dir)
    env = emulator_environment(recipe, launch, guard_log)
    _check_guard(recipe, launch.python, env)
    guard_log.write_text("")
    shutil.rmtree(data_dir, ignore_errors=True)
    (data_dir / "tmp").mkdir(parents=True)
    try:
        with log_path.open("wb") as log:
            process = _spawn(recipe, recipe.command(launch), env, data_dir, log)
        running: Running | None = None
        try:
            url = f"http://127.0.0.1:{launch.port}"
            _wait_healthy(recipe, process.pid, url, start_timeout or recipe.start_timeout, log_path)
            version, source = _detect_version(recipe, url)
            running = Running(recipe, url, recipe.product, version, source, process.pid, log_path, guard_log)
            yield running
        finally:
            stopped = _stop(process, recipe.stop_grace if stop_grace is None else stop_grace)
            if running is not None:
                running.stopped = stopped
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _free_port() -> int:
    # The emulator binds it itself a moment later: a small window, unavoidable for another process.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _check_guard(recipe: Recipe, python: Path, env: dict[str, str]) -> None:
    probe = subprocess.run([str(python), "-c", _GUARD_PROBE], env=env, capture_output=True, check=False)
    if probe.returncode != 0:
        raise RecipeError(
            f"{recipe.product}: the network guard is not active under {python}; not starting it"
        )


def _spawn(
    recipe: Recipe, command: list[str], env: dict[str, str], cwd: Path, log: IO[bytes]
) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session and process group: see the module docstring
        )
    except OSError as error:
        raise RecipeError(f"{recipe.product}: cannot start {command[0]}: {error.strerror}") from None


def _exit_status(pid: int) -> int | None:
    """The exit status once ``pid`` has ended, without reaping it: its pid (and group id) stay ours."""
    result = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    if result is None or result.si_pid == 0:
        return None
    return result.si_status if result.si_code == os.CLD_EXITED else -result.si_status


def http_get(url: str, timeout: float) -> tuple[int, bytes] | None:
    """GET ``url`` straight (never through a proxy): (status, body), or None when nothing answered."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    try:
        with opener.open(url, timeout=timeout) as answer:
            return int(answer.status), answer.read(1 << 20)
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (OSError, ValueError):
        return None


def _wait_healthy(recipe: Recipe, pid: int, url: str, timeout: float, log: Path) -> None:
    health = url + recipe.health_path
    deadline = time.monotonic() + timeout
    name = f"{recipe.product} {recipe.version}"
    while True:
        status = _exit_status(pid)
        if status is not None:
            raise RecipeError(f"{name} exited with status {status} before it was healthy; {tail(log)}")
        answer = http_get(health, timeout=2)
        if answer is not None and answer[0] == 200:
            return
        if time.monotonic() > deadline:
            got = f"last answer HTTP {answer[0]}" if answer else "no answer"
            raise RecipeError(
                f"{name} was not healthy at GET {health} within {timeout:g} s ({got}); {tail(log)}"
            )
        time.sleep(_POLL * 2)


def _detect_version(recipe: Recipe, url: str) -> tuple[str, str]:
    if recipe.version_path is not None:
        answer = http_get(url + recipe.version_path, timeout=5)
        if answer is not None and answer[0] == 200 and (found := recipe.version_from(answer[1])):
            return found, f"GET {recipe.version_path}"
    return recipe.version, "pinned"


def _stop(process: subprocess.Popen[bytes], grace: float) -> Stopped:
    """SIGTERM to the PID, up to ``grace`` seconds, then SIGKILL to its group; a second Ctrl-C only
    shortens the grace. The leader is reaped last, so its pid cannot be reused while we signal it."""
    begun = time.monotonic()
    below = procs.descendants(process.pid)
    status = _exit_status(process.pid)
    how = f"had exited (status {status})" if status is not None else ""
    try:
        if status is None:
            os.kill(process.pid, signal.SIGTERM)
            deadline = begun + grace
            while (status := _exit_status(process.pid)) is None and time.monotonic() < deadline:
                time.sleep(_POLL)
            how = (
                f"exited on SIGTERM (status {status})" if status is not None else f"killed after {grace:g} s"
            )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 5  # SIGKILL is not instant: let the group end before looking
        while procs.group_members(process.pid) and time.monotonic() < deadline:
            time.sleep(_POLL / 5)
        left = procs.kill_survivors(below)  # any that left the group (a session of its own)
    return Stopped(round(time.monotonic() - begun, 2), how or "killed", tuple(p.pid for p in left))
