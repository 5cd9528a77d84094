"""The ``iam-conformance`` subcommands that work on saved runs (``results.json``) or on the suite itself,
never on an endpoint.

``report`` merges runs against several targets into one matrix, ``compare`` lists what changed between
two runs (exit 1 on a regression), ``expectations`` writes an expectations file from a run, ``list``
says which checks the suite has (from the registry: id, operation, evidence, clause, rule). Every bad
input (a missing file, a file that is not JSON or not a results document, a bad expectations file, a
place that cannot be written) is a `CommandError`: one line, which the CLI prints and exits 2 on.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from conformance import __version__
from conformance.scenarios import all_checks
from conformance.session.secrets import scrub
from reports import write as report_writers
from reports.compare import compare, render_json, render_markdown, render_text
from reports.expectations import Expectations, ExpectationsError, load_expectations
from reports.expectations_writer import TODO_PREFIX, expectations_from_run, write_expectations
from reports.model import SCHEMA, RunResult
from reports.text_files import UnreadableFile, read_text

__all__ = ["CommandError", "add_commands", "read_run", "write_expectations_from"]

_REPORT_EXAMPLES = """examples:
  iam-conformance report moto/results.json localstack/results.json --out matrix/
  iam-conformance report runs/*/results.json --out matrix/
"""
_COMPARE_EXAMPLES = """examples:
  iam-conformance compare before/results.json after/results.json
  iam-conformance compare main.json pr.json --format markdown > comment.md
  iam-conformance compare main.json pr.json --format json     # regressions, fixes, new, removed

exit codes: 0 nothing regressed, 1 a result got worse, 2 bad usage or an unreadable file
"""
_LIST_EXAMPLES = """examples:
  iam-conformance list                  # one line per check: id, evidence, operation, clause
  iam-conformance list --format json    # with each check's rule, for a script
  iam-conformance list | grep vmfa.tags # the ids to pass to run -k
"""
_EXPECTATIONS_EXAMPLES = """examples:
  iam-conformance expectations conformance-report/results.json --out expectations/mine.toml
  iam-conformance expectations results.json --out expectations/moto.toml   # keeps the file's reasons

Lists every FAIL, ERROR, DEVIATION and NOT_IMPLEMENTED of the run. A reason is kept from the file
being rewritten (same check, case and verdict); new entries get a "TODO: say why" to fill in.
"""


_WIDEST = 40  # characters a column of `list` is padded to, at most
_COMPARISON_FORMATS = {"text": render_text, "markdown": render_markdown, "json": render_json}


class CommandError(Exception):
    """Bad input to a command: one line, exit code 2."""


def add_commands(commands: Any) -> None:
    """Add ``report``, ``compare``, ``expectations`` and ``list`` to the CLI's subparsers."""
    report = _add(commands, "report", "merge saved runs (several targets) into one report", _REPORT_EXAMPLES)
    report.add_argument("results", nargs="+", type=Path, metavar="RESULTS.json", help="saved runs")
    report.add_argument("--out", required=True, type=Path, metavar="DIR", help="where the report goes")
    report.set_defaults(handler=_report)
    comparison = _add(
        commands, "compare", "list regressions and fixes between two saved runs", _COMPARE_EXAMPLES
    )
    comparison.add_argument("old", type=Path, metavar="OLD.json", help="the run before")
    comparison.add_argument("new", type=Path, metavar="NEW.json", help="the run after")
    comparison.add_argument(
        "--format", choices=tuple(_COMPARISON_FORMATS), default="text", help="default text"
    )
    comparison.set_defaults(handler=_compare)
    expectations = _add(
        commands, "expectations", "write an expectations file from a saved run", _EXPECTATIONS_EXAMPLES
    )
    expectations.add_argument("results", type=Path, metavar="RESULTS.json", help="a saved run")
    expectations.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file to write")
    expectations.set_defaults(handler=_expectations)
    listing = _add(
        commands, "list", "list the suite's checks: id, operation, evidence, clause", _LIST_EXAMPLES
    )
    listing.add_argument("--format", choices=("text", "json"), default="text", help="default text")
    listing.set_defaults(handler=_list)


def _add(commands: Any, name: str, summary: str, epilog: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _report(args: argparse.Namespace) -> int:
    runs = [read_run(path) for path in args.results]
    _writing(args.out, lambda: report_writers.write_matrix_reports(runs, args.out, scrub))
    print(f"report of {len(runs)} run(s) written to {args.out}/")
    return 0


def _compare(args: argparse.Namespace) -> int:
    comparison = compare(read_run(args.old), read_run(args.new))
    print(_COMPARISON_FORMATS[args.format](comparison), end="")
    return 1 if comparison.regressed else 0


def _expectations(args: argparse.Namespace) -> int:
    write_expectations_from(read_run(args.results), args.out, previous_expectations(args.out))
    return 0


def _list(args: argparse.Namespace) -> int:
    checks = sorted(all_checks(), key=lambda check: check.id)
    rows = [
        {
            "id": check.id,
            "operation": check.operation,
            "evidence": str(check.evidence),
            "clause": check.clause,
            "title": check.title,
        }
        for check in checks
    ]
    if args.format == "json":
        print(json.dumps({"suite_version": __version__, "checks": rows}, indent=2, ensure_ascii=False))
        return 0
    columns = ("id", "evidence", "operation")  # then the clause; a longer operation pushes it on
    widths = [min(_WIDEST, max(len(column), *(len(row[column]) for row in rows))) for column in columns]
    heading = {"id": "id", "evidence": "evidence", "operation": "operation", "clause": "clause"}
    for line in [heading, *rows]:
        cells = [line[column].ljust(width) for column, width in zip(columns, widths, strict=True)]
        print("  ".join([*cells, line["clause"]]))
    return 0


def read_run(path: Path) -> RunResult:
    """A saved run, or a `CommandError` saying in one line what is wrong with the file."""
    try:
        text = read_text(path)
    except UnreadableFile as error:
        raise CommandError(str(error)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not JSON ({error.msg}, line {error.lineno} column {error.colno})"
        ) from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise CommandError(f"{path}: not an {SCHEMA} document (a results.json of iam-conformance run)")
    try:
        return RunResult.from_json(document)
    except KeyError as error:
        raise CommandError(f"{path}: malformed {SCHEMA} document (no {error.args[0]!r})") from None
    except (AttributeError, TypeError, ValueError) as error:
        raise CommandError(f"{path}: malformed {SCHEMA} document ({error})") from None


def previous_expectations(path: Path) -> Expectations | None:
    """The file about to be rewritten, for its reasons; stale check ids in it are simply not carried."""
    if not path.exists():
        return None
    try:
        return load_expectations(path)
    except ExpectationsError as error:
        raise CommandError(f"{error} (fix or remove it: it would be rewritten)") from None


def write_expectations_from(run: RunResult, path: Path, previous: Expectations | None) -> None:
    """Write the file and say in one line what it holds and how many reasons are still to be written."""
    known = {check.id for check in all_checks()}
    written = expectations_from_run(run, str(path), previous)
    stale = sorted({entry.check for entry in written.entries if entry.check not in known})
    if stale:
        written = replace(written, entries=tuple(entry for entry in written.entries if entry.check in known))
    _writing(path, lambda: write_expectations(path, written))
    todo = sum(entry.reason.startswith(TODO_PREFIX) for entry in written.entries)
    count = len(written.entries)
    print(f"expectations written to {path}: entries {count}, reasons still to write (TODO) {todo}")
    if stale:
        print(f"left out, no longer checks of this suite: {', '.join(stale)}")


def _writing(path: Path, write: Callable[[], object]) -> None:
    try:
        write()
    except OSError as error:
        raise CommandError(f"{path}: cannot write there ({error.strerror or error})") from None
