"""``python -m conformance.emulators {list,install,start,run} NAME...``: the emulators by hand.

``compat [NAME...]`` runs the suite against each (all by default) and writes the comparison
(`conformance.emulators.compat`). ``run NAME -- ARGS`` starts the emulator, runs ``iam-conformance run
--target url --endpoint-url URL ARGS`` against it, stops it, and exits with the suite's code. ``start``
serves until interrupted.
Bad input, an emulator that cannot be installed or does not get healthy: one line, exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from conformance.emulators import compat
from conformance.emulators.logs import summarise_refusals
from conformance.emulators.process import Running, started
from conformance.emulators.recipes import RECIPES, Recipe, RecipeError, recipe_named
from conformance.emulators.venvs import DEFAULT_CACHE, install, installation

__all__ = ["main", "suite_command"]

_PROG = "python -m conformance.emulators"
_OWN_OPTIONS = ("--target", "--endpoint-url")  # run sets these itself
_SUITE_GRACE = 30.0  # seconds the suite gets to clean up after an interrupt before it is killed


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def suite_command(url: str, args: Sequence[str]) -> list[str]:
    suite = [sys.executable, "-m", "conformance.runner.cli", "run"]
    return [*suite, "--target", "url", "--endpoint-url", url, *args]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=_PROG, description="Install, start and test third-party IAM emulators.")
    parser.add_argument("--cache-dir", type=Path, help=f"where the venvs go (default {DEFAULT_CACHE})")
    parser.add_argument("--run-dir", type=Path, help="where the logs go (default: a new temporary folder)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    listed = commands.add_parser("list", help="each recipe: version, interpreter, whether installed")
    listed.add_argument("names", nargs="*", metavar="NAME")
    for command, text in (("install", "install (once per version)"), ("start", "serve until Ctrl-C")):
        commands.add_parser(command, help=text).add_argument("names", nargs="+", metavar="NAME")
    run = commands.add_parser("run", help="start NAME, run the suite against it (args after --), stop it")
    run.add_argument("names", nargs=1, metavar="NAME")
    compared = commands.add_parser("compat", help="run every NAME (default: all) and write the comparison")
    compared.add_argument("names", nargs="*", metavar="NAME")
    compared.add_argument("--out", type=Path, default=Path("compat"), help="where it goes (default compat/)")
    compared.add_argument("--profile", default="default", help="the suite's profile (default: default)")
    compared.add_argument("--seed", type=int, default=compat.SEED, help=f"the seed (default {compat.SEED})")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    recipes: Mapping[str, Recipe] = RECIPES,
    command_for: Callable[[str, Sequence[str]], list[str]] = suite_command,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    own, suite_args = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    try:
        args = _parser().parse_args(own)
        if "--" in argv and args.command != "run":
            raise _UsageError(f"only run takes arguments after --, not {args.command}")
        chosen = [recipe_named(name, recipes) for name in args.names] or list(recipes.values())
        for option in _OWN_OPTIONS:
            if any(arg == option or arg.startswith(option + "=") for arg in suite_args):
                raise _UsageError(f"run sets {option} itself; leave it out of the arguments after --")
    except (_UsageError, RecipeError) as error:
        return _fail(str(error))
    try:
        with _interruptible():
            if args.command == "list":
                return _list(chosen, args.cache_dir)
            if args.command == "install":
                return _install(chosen, args.cache_dir)
            if args.command == "start":
                return _start(chosen, args.cache_dir, args.run_dir)
            if args.command == "compat":
                suite_args = ["--profile", args.profile, "--seed", str(args.seed)]
                return compat.compare(chosen, args.out, suite_args, command_for, args.cache_dir, _say)
            return _run(chosen[0], args.cache_dir, args.run_dir, command_for(_URL_SLOT, suite_args))
    except RecipeError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        _say("interrupted")
        return 130


_URL_SLOT = "\0url"  # stands for the endpoint's URL in the suite's command until it is known


def _say(line: str) -> None:
    print(f"emulators: {line}", file=sys.stderr, flush=True)


def _fail(message: str) -> int:
    print(f"{_PROG}: error: {message}", file=sys.stderr)
    return 2


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, turned into an exception so that every ``finally`` stops its emulator."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated(signal.Signals(signum).name)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    # SIGINT too: a shell's background job starts with it ignored, and a Ctrl-C must still stop us.
    handlers: dict[signal.Signals, Callable[[int, FrameType | None], object]] = {
        signal.SIGINT: signal.default_int_handler,
        signal.SIGTERM: _raise_terminated,
        signal.SIGHUP: _raise_terminated,
    }
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _list(recipes: list[Recipe], cache_dir: Path | None) -> int:
    for recipe in recipes:
        try:
            where = installation(recipe, cache_dir)
            state = f"installed in {where.home}" if where.installed else f"not installed ({where.home})"
            detail = f"{state}; python {recipe.python()}"
        except RecipeError as error:
            detail = f"cannot run here: {error}"
        print(f"{recipe.name:<11} {recipe.product + ' ' + recipe.version:<20} {detail}")
    return 0


def _install(recipes: list[Recipe], cache_dir: Path | None) -> int:
    for recipe in recipes:
        begun = time.monotonic()
        where, fresh = install(recipe, cache_dir)
        how = f"installed in {time.monotonic() - begun:.0f} s" if fresh else "already installed"
        _say(f"{recipe.product} {recipe.version}: {how} ({where.home})")
    return 0


@contextlib.contextmanager
def _announced(recipe: Recipe, cache_dir: Path | None, run_dir: Path | None) -> Iterator[Running]:
    begun = time.monotonic()
    _say(f"starting {recipe.product} {recipe.version} ...")
    logs = run_dir / recipe.name if run_dir is not None else None
    running: Running | None = None
    try:
        with started(recipe, cache_dir=cache_dir, run_dir=logs) as running:
            _say(
                f"{running.product} {running.version} ({running.version_source}) at {running.url}, "
                f"pid {running.pid}, ready in {time.monotonic() - begun:.1f} s; log {running.log_path}"
            )
            yield running
    finally:
        if running is not None and running.stopped is not None:
            stopped = running.stopped
            left = f"; killed {len(stopped.left)} that had left its group" if stopped.left else ""
            _say(f"stopped {running.product} in {stopped.seconds:g} s: {stopped.how}{left}")
            _say(f"{summarise_refusals(running.refusals())} (log {running.guard_log_path})")


def _start(recipes: list[Recipe], cache_dir: Path | None, run_dir: Path | None) -> int:
    with contextlib.ExitStack() as stack:
        running = [stack.enter_context(_announced(recipe, cache_dir, run_dir)) for recipe in recipes]
        for emulator in running:
            print(f"{emulator.recipe.name} {emulator.url}", flush=True)
        _say("serving; Ctrl-C stops " + ("it" if len(running) == 1 else "them"))
        try:
            while True:
                for emulator in running:
                    if not Path(f"/proc/{emulator.pid}").exists() or _is_zombie(emulator.pid):
                        _say(f"{emulator.product} exited on its own; see {emulator.log_path}")
                        return 1
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    return 0  # not reached


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def _run(recipe: Recipe, cache_dir: Path | None, run_dir: Path | None, command: list[str]) -> int:
    with _announced(recipe, cache_dir, run_dir) as running:
        command = [running.url if part == _URL_SLOT else part for part in command]
        begun = time.monotonic()
        suite = subprocess.Popen(command)
        try:
            code = suite.wait()
        except KeyboardInterrupt as interrupt:
            _wind_down(suite, forward=isinstance(interrupt, _Terminated))
            raise
        _say(f"the suite exited with {code} after {time.monotonic() - begun:.1f} s")
        return code


def _wind_down(suite: subprocess.Popen[bytes], *, forward: bool) -> None:
    """A Ctrl-C at the terminal reached the suite too (same process group); SIGTERM did not."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        suite.wait(timeout=0 if forward else 5)
    if suite.poll() is None:
        suite.terminate()  # the suite cleans up on SIGTERM as on Ctrl-C
    try:
        suite.wait(timeout=_SUITE_GRACE)
    except subprocess.TimeoutExpired:
        suite.kill()
        suite.wait()
