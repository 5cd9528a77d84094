"""The exit codes of ``iam-conformance run``, decided in one place from the run's result.

| code | meaning |
| --- | --- |
| 0 | the run ended, no FAIL or ERROR (none the expectations file does not expect), nothing left behind |
| 1 | the report has FAIL or ERROR verdicts (unexpected ones, with an expectations file) |
| 2 | bad usage or an endpoint that cannot be used: one line on stderr, nothing was run |
| 3 | the run left resources on the endpoint it could not delete (listed in every report) |
| 4 | the run was interrupted (SIGINT, SIGTERM, SIGHUP): its results are not final |

When several apply, 3 wins over 4, and 4 over 1: what was left behind must be removed by hand whatever
else happened, and the verdicts of an interrupted run are not final. The last line the command prints
says what applied.
"""

from __future__ import annotations

from reports.leftovers import interrupted_line, leftovers_line
from reports.model import RunResult

__all__ = ["FAILED", "INTERRUPTED", "LEFT_BEHIND", "OK", "USAGE", "exit_code", "last_line"]

OK = 0
FAILED = 1
USAGE = 2
LEFT_BEHIND = 3
INTERRUPTED = 4


def exit_code(run: RunResult) -> int:
    if run.leftovers:
        return LEFT_BEHIND
    if run.interrupted:
        return INTERRUPTED
    return FAILED if run.failed else OK


def last_line(run: RunResult, report_dir: object) -> str | None:
    """The command's last line when the run needs more than its verdicts to be understood, else None."""
    parts = []
    if run.interrupted:
        parts.append(interrupted_line(run.interrupted, run.complete))
    if run.leftovers:
        parts.append(leftovers_line(run.leftovers) + f" (listed in {report_dir}/results.json)")
    if not parts:
        return None
    return f"iam-conformance: {'; '.join(parts)} (exit {exit_code(run)})"
