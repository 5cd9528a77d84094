"""How a process of a run ends: once its exit handlers ran and its output is flushed, without tearing its
interpreter down. The command itself (`conformance.runner.cli.console`) and each ``--workers`` worker.

Freeing a run's objects one by one (the model, the strategies, pytest's and Hypothesis's state), after
the report is written, cost some 0.2 s of CPU of every run and 0.1 s of a ``--help``. At the end of a
run with workers the controller waits for every worker's process to end (pytest-xdist terminates its
execnet gateways and waits for each subprocess) before its own final sweep and the report, and a worker
is done by then: its results, counters and notes went to the controller, its sweep ran, and execnet's
gateway has stopped serving. Its teardown was 0.5-0.6 s of the controller's wait with four workers on
two loaded cores, 0.04 s without it. A worker ends with code 0: execnet and pytest-xdist read no
worker's exit code (its failures reach the controller over its channel).

The exit handlers still run (logging's flush, pytest-xdist's, Hypothesis's, coverage's). Under a
profiler or a tracer (``python -m cProfile -m conformance.runner.cli``, a debugger, coverage) the process
ends as usual, so that they can write what they saw after the module returns.

No ``__all__`` here: Hypothesis draws the literals of the suite's modules, a name listed there among
them, and a literal no module held before changes what a seed draws.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys


def exit_now(code: int) -> None:
    """End the process with ``code`` once its exit handlers ran and its output is flushed; returns
    only under a profiler or a tracer, whose caller then ends the process as usual."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    atexit._run_exitfuncs()  # the others, registered before the caller or after it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that has gone (``| head``), or closed
            stream.flush()
    os._exit(code)


def end_without_teardown() -> None:
    """From now on, this process (a worker) ends without tearing its interpreter down: see the module."""
    atexit.register(_end_now)


def _end_now() -> None:
    atexit.unregister(_end_now)  # not run again by `exit_now`'s exit handlers
    exit_now(0)
