"""The CLI run in a process forked from one that has imported it already: the command minus Python's
start-up and the suite's imports (about 0.7 s of CPU a run, paid about 130 times by ``make test``), and
minus the caches every run fills the same way (`tests.cli_preload`: the scenario modules and the
request strategies' character sets, another 0.5-1 s of a run's 1.5-3 s).

A run of ``python -m conformance.runner.cli ARGS`` first imports the CLI module, which imports the plugin
and everything it needs (pytest, Hypothesis, botocore, the QR decoders), and runs nothing; then ``main``
parses ARGS and runs pytest in the same process. The fork server (multiprocessing's, started by each
pytest-xdist worker on its first run) does that import once (with `tests.cli_preload`); each run is a
fresh fork of it that sets the run's environment and working folder, sends its stdout and stderr to
files, calls ``main(ARGS)``, runs the exit handlers as the interpreter would, and exits with
``main``'s code. What the run does is the CLI's own work, in a process of its own: nothing of the test
process is in it (the server is a fresh interpreter, not a fork of the test process).

The server imports the CLI with the environment of its start, and a module may read a variable when it
is imported (``IAM_CONFORMANCE_READ_TIMEOUT``): a run whose environment differs from the server's in
anything but what pytest changes per test is not forked (``run_forked`` returns None) but run as a plain
subprocess by the caller. ``SUITE_RUN_FORKED=0`` runs every command as a plain subprocess.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from multiprocessing.context import ForkServerContext
from pathlib import Path

__all__ = ["forked_enabled", "run_forked"]

_PRELOAD = "tests.cli_preload"  # imports conformance.runner.cli, and fills pure caches
# What pytest sets per test, and this module's own switch: not the environment the imports saw.
_VOLATILE = frozenset({"PYTEST_CURRENT_TEST", "SUITE_RUN_FORKED"})
_context: ForkServerContext | None = None
_server_env: dict[str, str] = {}


def forked_enabled() -> bool:
    return os.environ.get("SUITE_RUN_FORKED", "1") != "0" and sys.platform == "linux"


def _comparable(env: Mapping[str, str]) -> dict[str, str]:
    return {key: value for key, value in env.items() if key not in _VOLATILE and not key.startswith("AWS_")}


def _server() -> ForkServerContext:
    """The fork server's context: the server itself starts with the first run, from this environment."""
    global _context, _server_env
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([_PRELOAD])
        _context, _server_env = context, _comparable(os.environ)
    return _context


def _main_in_child(argv: Sequence[str], env: Mapping[str, str], cwd: str, stdout: str, stderr: str) -> None:
    """In the forked child: the command's environment, folder and output files, then the CLI's main."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for fd, path in ((1, stdout), (2, stderr)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    from conformance.runner.cli import main

    try:
        code: int | str | None = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors, as `python -m` ends on them
        code = exit_.code if isinstance(exit_.code, int) else 1 if exit_.code else 0
    finally:
        atexit._run_exitfuncs()  # the interpreter's exit handlers (multiprocessing ends with os._exit)
        sys.stdout.flush()
        sys.stderr.flush()
    sys.exit(code)


def run_forked(
    argv: Sequence[str], env: Mapping[str, str], output: Path, timeout: float
) -> tuple[int, str, str] | None:
    """``python -m conformance.runner.cli *argv`` with ``env``: its exit code, stdout and stderr (files
    in ``output``, a folder of the caller's); killed after ``timeout`` seconds (TimeoutError). None when
    ``env`` is not the environment the server imported the CLI with: the caller runs a subprocess."""
    context = _server()
    if _comparable(env) != _server_env:
        return None
    output.mkdir(parents=True, exist_ok=True)
    stdout, stderr = output / "stdout.txt", output / "stderr.txt"
    stdout.touch()
    stderr.touch()  # there, empty, if the child dies before it opens them
    process = context.Process(
        target=_main_in_child, args=(list(argv), dict(env), os.getcwd(), str(stdout), str(stderr))
    )
    process.start()
    process.join(timeout)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise TimeoutError(f"the suite run did not end within {timeout:g} s: {' '.join(argv)}")
    code = process.exitcode
    process.close()
    return code, stdout.read_text(errors="replace"), stderr.read_text(errors="replace")
