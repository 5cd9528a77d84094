"""Signals that cut a run short: the first ends the run, none skips its cleanup.

A CI runner stops a job with SIGTERM (a timeout, a cancelled build), a terminal with SIGINT (Ctrl-C) or
SIGHUP (the window closed, the SSH session dropped); often a second signal follows the first when the
job does not stop at once. The run must still delete what it created, write a report that says it was
interrupted, and exit with its own code (`conformance.runner.exit_codes`). So, from the moment the first
request may be sent until the process is done:

- the first signal raises `KeyboardInterrupt` in the main thread, as Ctrl-C does: pytest ends the test
  that is running (its own cleanup runs), and the final sweep and the reports follow;
- every later signal, and any signal once the run is cleaning up, raises nothing: it is recorded, and
  ``on_hurry`` is called, which shortens the waits of the cleanup (backoffs, read patience) but never
  skips a delete.

SIGINT is handled too because a process started in the background by a shell (``cmd &``, as CI runners
and scripts do) inherits SIGINT *ignored*, and Python then installs no handler: ``kill -INT`` would be
lost. SIGKILL cannot be caught: the run's ``results.json`` is then the one written after the last
result (``complete: false``), and the next run clears the report directory before it starts.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["SIGNALS", "Interrupts"]

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupts:
    """The run's signal handlers: install once, restore when the process is done with the run."""

    def __init__(self) -> None:
        self.received: list[str] = []  # the signals' names, in the order they came
        self.on_hurry: Callable[[], None] | None = None
        self._ending = False  # the run is ending (interrupted or cleaning up): signals raise nothing
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        """Handle `SIGNALS` from now on (only the main thread can; elsewhere nothing changes)."""
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def cleaning_up(self) -> None:
        """The run is at its cleanup: from now on a signal is recorded and hurries it, never raises."""
        self._ending = True

    @property
    def interrupted(self) -> str | None:
        """The signals received, in order (``SIGINT, SIGTERM``); None when there was none."""
        return ", ".join(self.received) or None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signal.Signals(signum).name)
        if not self._ending:
            self._ending = True
            raise KeyboardInterrupt
        if self.on_hurry is not None:
            self.on_hurry()
