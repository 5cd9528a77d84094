"""A ``--workers`` worker's process ends as soon as it is done, without tearing its interpreter down.

At the end of a run the controller waits for every worker's process to end (pytest-xdist terminates
its execnet gateways and waits for each subprocess) before its own final sweep and the report. A
worker is done by then: its results, counters and notes went to the controller, its sweep ran, and
execnet's gateway has stopped serving. What was left was Python freeing the worker's objects one by
one (the model, the strategies, pytest's and Hypothesis's state): 0.5-0.6 s of the controller's wait
with four workers on two loaded cores, 0.04 s without it.

So a worker of a conformance run ends as the command's own process does (`conformance.runner.cli`):
its exit handlers run (logging's flush, Hypothesis's, coverage's), its output is flushed, and the
process ends there, with code 0 (execnet and pytest-xdist read no worker's exit code: a worker's
failures reach the controller over its channel). Under a profiler or a tracer the process ends as
usual, so that they can write what they saw.

No ``__all__`` here: Hypothesis draws the literals of the suite's modules, a name listed there among
them, and a literal no module held before changes what a seed draws.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys


def end_without_teardown() -> None:
    """From now on, this process ends without tearing its interpreter down (see the module)."""
    atexit.register(_end_now)


def _end_now() -> None:
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    atexit.unregister(_end_now)
    atexit._run_exitfuncs()  # the others, registered before this one or after it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # gone, or closed by its owner
            stream.flush()
    os._exit(0)
