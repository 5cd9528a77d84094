"""``iam-conformance``: the command line.

``iam-conformance run`` runs the conformance tests through pytest with the plugin's options and writes
the report; with ``--expectations FILE`` it fails only on what that file does not expect. ``report``,
``compare`` and ``expectations`` work on saved runs, ``list`` lists the checks
(`conformance.runner.cli_reports`). Exit codes: 0 no
failures, 1 the report has FAIL or ERROR verdicts (unexpected ones, with an expectations file) or
``compare`` found a regression, 2 bad usage, an unusable endpoint or a bad input file (always one line
on stderr, never a traceback), 3 the run left resources on the endpoint, 4 the run was interrupted
(`conformance.runner.exit_codes`).
"""

# ruff: noqa: E402  (the collector is paused before the imports below: `_IMPORTS_PAUSE_GC`)

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import NoReturn

# Set before Hypothesis is first imported (below): it then loads no third-party plugins. What a seed
# draws must not depend on what else is installed (a "hypothesis" entry point may register strategies
# or random generators; trio, which selenium brings into the development environment, registers one),
# and finding them scanned the metadata of every installed distribution at each start (0.1 s or more).
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
# The garbage collector is off while the run's modules are imported (pytest, Hypothesis, botocore, the
# suite: some 150 collections walking a heap that only grows, 0.05 s of CPU), on again after them; a
# run then pauses it through collection (`conformance.runner.heap`).
_IMPORTS_PAUSE_GC = gc.isenabled()
gc.disable()

import pytest

from conformance.runner.aws_options import add_cli_options
from conformance.runner.aws_options import pytest_args as aws_args
from conformance.runner.cli_reports import (
    CommandError,
    add_commands,
    previous_expectations,
    read_run,
    write_expectations_from,
)
from conformance.runner.config import PROFILES, TARGETS, ConfigError, RunConfig, config_from_options
from conformance.runner.ending import SUMMARY, SUMMARY_SHOWN
from conformance.runner.exit_codes import (
    FAILED,
    INTERRUPTED,
    LEFT_BEHIND,
    OK,
    USAGE,
    exit_code,
    last_line,
)
from conformance.runner.policy import add_policy_command
from conformance.runner.quick_exit import exit_now
from conformance.runner.sweep import add_sweep_command
from conformance.runner.system_deps import MISSING_ZBAR_MESSAGE, zbar_available
from conformance.scenarios import all_checks
from conformance.session.preflight import preflight
from conformance.session.targets import EndpointError
from reports.expectations import ExpectationsError, load_expectations
from reports.model import RunResult

if _IMPORTS_PAUSE_GC:
    gc.enable()

__all__ = ["console", "main"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_TESTS_DIR = _PACKAGE_DIR / "operations"
_SUITE_INI = _PACKAGE_DIR / "suite.ini"
_EXAMPLES = """examples:
  iam-conformance run                         # the embedded moto server, report in ./conformance-report/
  iam-conformance run --target url --endpoint-url http://127.0.0.1:4566
  iam-conformance run --profile thorough --report-dir out/
  iam-conformance run --target url --endpoint-url http://127.0.0.1:4566 --workers 4   # a slow endpoint
  iam-conformance run --target aws --allow-aws --aws-account 123456789012   # real AWS: see the README
  iam-conformance run --expectations moto    # exit 1 only on what moto is not known to fail (a shipped file)
  iam-conformance run --expectations my-emulator.toml --target url --endpoint-url http://127.0.0.1:4566
  iam-conformance run --profile quick --write-expectations expectations/moto.toml   # rewrite it from this run
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, then exit 2 (argparse's default prints the whole usage first)."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="iam-conformance", description="Conformance suite for the IAM virtual MFA API.")
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser(
        "run",
        help="run the conformance suite against an endpoint and write the report",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--target", default="moto-server", choices=TARGETS, help="the endpoint (default moto-server)"
    )
    run.add_argument("--endpoint-url", help="the endpoint's URL, with --target url")
    run.add_argument("--region", default="us-east-1", help="the region to sign requests for")
    run.add_argument(
        "--label",
        help='what reports call the target, e.g. "LocalStack 2026.3.0" (default: asked of the endpoint)',
    )
    run.add_argument(
        "--profile", choices=PROFILES, help="how hard Hypothesis searches (default: aws on AWS, else default)"
    )
    run.add_argument("--report-dir", default="conformance-report", type=Path, help="where the report goes")
    run.add_argument("--allow-aws", action="store_true", help="explicit opt-in to touch real AWS")
    run.add_argument("--seed", type=int, help="Hypothesis seed, to reproduce a run (default: a random one)")
    run.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        metavar="N",
        help="worker processes sharing the endpoint (default 1: serial); helps on slow endpoints",
    )
    run.add_argument(
        "--patience",
        type=float,
        metavar="SECONDS",
        help="how long a read may be polled to reflect a write (default: 0 on local endpoints, "
        "5 on a remote URL, 10 on AWS)",
    )
    run.add_argument(
        "-k", dest="keyword", help="only the checks whose test id matches this pytest expression"
    )
    run.add_argument("-v", "--verbose", action="store_true", help="one line per check while running")
    run.add_argument(
        "--expectations",
        type=Path,
        metavar="FILE",
        help="what the target is known to fail: a file, or a shipped one by name (moto); exit 1 on the rest",
    )
    run.add_argument(
        "--write-expectations",
        type=Path,
        metavar="FILE",
        help="write FILE from this run's failures (keeping the reasons FILE already gives)",
    )
    add_cli_options(run)
    run.set_defaults(handler=_run_command)
    add_commands(commands)
    add_sweep_command(commands)
    add_policy_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except CommandError as error:
        return _fail(str(error))
    return code


def _run_command(args: argparse.Namespace) -> int:
    try:
        config = config_from_options(args)
        if args.seed is not None and not 0 <= args.seed < 2**32:
            raise CommandError(f"invalid seed {args.seed}: expected 0 to {2**32 - 1}")
        if args.workers > 1 and config.target == "moto":
            raise CommandError("--workers: --target moto runs inside one process; use --target moto-server")
        _writable_folder(args.report_dir, "--report-dir")
        if args.write_expectations is not None:
            _writable_folder(args.write_expectations.parent, "--write-expectations", create=False)
        if args.expectations is not None:
            args.expectations = shipped_expectations(args.expectations)
            load_expectations(args.expectations, {check.id for check in all_checks()})
        previous = previous_expectations(args.write_expectations) if args.write_expectations else None
        if not zbar_available():
            raise CommandError(MISSING_ZBAR_MESSAGE.removeprefix("error: "))
        checked = preflight(config)  # a remote endpoint that is down is one line, before pytest starts
    except (ConfigError, EndpointError, ExpectationsError) as error:
        raise CommandError(str(error)) from None
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    code = _run(
        config,
        seed=seed,
        keyword=args.keyword,
        verbose=args.verbose,
        expectations=args.expectations,
        preflight_requests=checked,
        workers=args.workers,
    )
    if args.write_expectations is not None and code in (OK, FAILED, LEFT_BEHIND):
        run = read_run(args.report_dir / "results.json")
        if run.complete and run.interrupted is None:  # never from a run cut short
            write_expectations_from(run, args.write_expectations, previous)
    return code


def _run(
    config: RunConfig,
    *,
    seed: int,
    keyword: str | None,
    verbose: bool,
    expectations: Path | None,
    preflight_requests: int = 0,
    workers: int = 1,
) -> int:
    plugins = _suite_plugins()
    pytest_args = [
        str(_TESTS_DIR),
        *(option for module in plugins for option in ("-p", module.__name__)),
        "-c",
        str(_SUITE_INI),
        "--rootdir",
        str(_PACKAGE_DIR.parent),
        "-p",
        "no:cacheprovider",
        "--assert=plain",  # checks return outcomes; nothing to rewrite (and the plugin is imported already)
        "--iam-target",
        config.target,
        "--iam-region",
        config.region,
        "--iam-profile",
        str(config.profile),
        "--iam-report-dir",
        str(config.report_dir),
        f"--hypothesis-seed={seed}",
        f"--iam-preflight-requests={preflight_requests}",
        *(["-v"] if verbose else []),  # the display takes it: a line per check, pytest's tracebacks
    ]
    if config.endpoint_url:
        pytest_args += ["--iam-endpoint-url", config.endpoint_url]
    if config.allow_aws:
        pytest_args.append("--iam-allow-aws")
    if config.patience is not None:
        pytest_args += ["--iam-patience", str(config.patience)]
    if config.label is not None:
        pytest_args += ["--iam-label", config.label]
    pytest_args += aws_args(config)
    if keyword:
        pytest_args += ["-k", keyword]
    if expectations is not None:
        pytest_args += ["--iam-expectations", str(expectations)]
    if workers > 1:  # pytest-xdist; the plugin hands the tests out (`conformance.runner.workers`)
        pytest_args += ["-n", str(workers)]
    ended = _RunEnd()
    code = pytest.main(pytest_args, plugins=[ended, *plugins])
    if ended.run is not None:  # the run's own codes (`conformance.runner.exit_codes`)
        # The summary's last line said how the run ended; but pytest reports a KeyboardInterrupt after
        # it, and an interrupted run's last line must say it was interrupted.
        shown = ended.summary_shown and ended.run.interrupted is None
        line = None if shown else last_line(ended.run, config.report_dir)
        if line:
            print(line, flush=True)
        return exit_code(ended.run)
    if code == pytest.ExitCode.INTERRUPTED:
        print("iam-conformance: INTERRUPTED before the first request: nothing was run", flush=True)
        return INTERRUPTED
    if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(code)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        return _fail("no conformance test matched")
    return USAGE  # pytest has printed the one-line reason (a usage error) already


def _suite_plugins() -> list[ModuleType]:
    """The run's pytest plugins, in their order: `heap` first (no garbage collection until collection
    ends, in each worker too), the `plugin` (loaded by name: it never loads itself into other runs), and
    `progress` (the suite's own terminal: progress, then its summary last).

    Each is named by a ``-p`` option, for the workers of ``--workers``, which read their plugins from the
    command line, and registered by the command itself, so that pytest finds each registered already:
    each ``-p`` it has to find itself costs a scan of every installed distribution's entry points (5 ms
    apiece). Imported here, not with the command: the heap's collector pause starts at its import
    (`conformance.runner.heap`)."""
    from conformance.runner import heap, plugin, progress

    return [heap, plugin, progress]


class _RunEnd:
    """A pytest plugin object that keeps the run's result once pytest is done with it."""

    run: RunResult | None = None
    summary_shown = False

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.run = config.stash.get(SUMMARY, None)
        self.summary_shown = config.stash.get(SUMMARY_SHOWN, False)


def _worker_count(text: str) -> int:
    """``--workers``: an integer, at least 1 (1 is a serial run)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1, not {value}")
    return value


def _writable_folder(folder: Path, option: str, *, create: bool = True) -> None:
    """Checked before the run, not found out after it: a folder that is a file, is under one, cannot be
    made or written. ``create``: make it (a report directory); else it must exist."""
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{option}: {folder} is a file, not a folder")
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise CommandError(f"{option}: the folder {folder} does not exist")
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise CommandError(f"{option}: cannot write in {folder} ({error.strerror or error})") from None


def shipped_expectations(value: Path) -> Path:
    """``value``, or the expectations file shipped under that bare name (``moto`` -> moto.toml): in a
    clone, ``expectations/``; in an installed wheel, ``<prefix>/share/iam-conformance/expectations/``."""
    if value.exists() or value.suffix or len(value.parts) != 1:
        return value
    for folder in (
        _PACKAGE_DIR.parent / "expectations",
        Path(sys.prefix) / "share/iam-conformance/expectations",
    ):
        if (folder / f"{value}.toml").is_file():
            return folder / f"{value}.toml"
    return value


def _version_line() -> str:
    """The suite's version, and the versions that decide its verdicts: the model's and the engines'."""
    from importlib.metadata import version

    from conformance import __version__

    engines = ", ".join(f"{name} {version(name)}" for name in ("botocore", "hypothesis", "pytest"))
    return f"iam-conformance {__version__} ({engines})"


def _fail(message: str) -> int:
    print(f"iam-conformance: error: {message}", file=sys.stderr)
    return 2


def console() -> NoReturn:
    """The ``iam-conformance`` command (and ``python -m conformance.runner.cli``): `main`, then the
    process ends without tearing the interpreter down (`conformance.runner.quick_exit`). An exception
    other than argparse's exit ends the process as usual (a traceback)."""
    try:
        code = main()
    except SystemExit as exit_:  # argparse: --help, --version, a usage error (its line printed already)
        if exit_.code is not None and not isinstance(exit_.code, int):
            print(exit_.code, file=sys.stderr)
        code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    exit_now(code)
    sys.exit(code)  # under a profiler or a tracer


if __name__ == "__main__":
    console()
