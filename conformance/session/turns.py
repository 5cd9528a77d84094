"""Observations gathered side by side, taking turns: one runs at a time, and a read waiting out an
endpoint's lag lets the next run meanwhile.

On an eventually consistent endpoint most of an observation's time is the wait between its writes and
the reads that must show them (`conformance.session.settling`), and the examples of a test are gathered
one after another, so a run waits once an example. `Turns` runs several gatherings on threads of their
own, but never two at once: a thread runs only while it holds the turn, and gives it up only while it
sleeps in a settle (`pause`) or when it ends. Nothing of the session is ever used by two threads at the
same moment; what changes is only that the waits of several observations overlap. The calls a
gathering records are its own (the session's recording logs are the thread's,
`conformance.session.suite.SuiteSession.recording`).

Examples may draw the same device name (the name is the input under test, used as drawn: the simplest
names come up again and again); one after another, each example's device is deleted before the next is
created. Side by side, `TurnNames` keeps it so: a gathering that creates a device under a name another
one holds waits, giving way, until that one's observation is made.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["TurnNames", "Turns", "pause", "stopping"]

_NAME_POLL_S = 0.01

_current = threading.local()  # .turns: the `Turns` whose thread this is (unset: not taking turns)


class Turns:
    """Threads that take turns with the one that started them (`start`, `join`)."""

    def __init__(self) -> None:
        self._turn = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.stop = threading.Event()  # set: pauses end at once, settles give up (an interrupt)
        self.errors: list[BaseException] = []  # what the threads' work raised

    def __enter__(self) -> Turns:
        self._turn.acquire()  # the starting thread holds the turn while it runs
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:  # interrupted: the threads stop waiting, and run to their ends
            self.stop.set()
        self.join()
        self._turn.release()

    def start(self, work: Callable[[], None]) -> None:
        """Run ``work`` on a thread of its own until it first pauses or ends; then come back."""
        gave_way = threading.Event()

        def run() -> None:
            _current.turns, _current.gave_way = self, gave_way
            with self._turn:
                try:
                    work()
                except BaseException as error:  # kept for the starter, never lost in a thread
                    self.errors.append(error)
                finally:
                    gave_way.set()

        thread = threading.Thread(target=run, name=f"turns-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        self._turn.release()
        try:
            thread.start()
            gave_way.wait()
        finally:
            self._turn.acquire()

    def join(self) -> None:
        """Let every thread run to its end."""
        self._turn.release()
        try:
            for thread in self._threads:
                thread.join()
        finally:
            self._turn.acquire()
        self._threads.clear()

    def pause(self, seconds: float) -> None:
        """Sleep without the turn (called on a thread of these turns)."""
        gave_way: threading.Event = _current.gave_way
        self._turn.release()
        gave_way.set()
        try:
            self.stop.wait(seconds)
        finally:
            self._turn.acquire()


def pause(seconds: float) -> None:
    """Sleep ``seconds``: giving the turn to another gathering meanwhile on a thread of `Turns`."""
    turns: Turns | None = getattr(_current, "turns", None)
    if turns is None:
        time.sleep(seconds)
    else:
        turns.pause(seconds)


def stopping() -> bool:
    """Whether the turns this thread takes were told to stop (its settles then give up waiting)."""
    turns: Turns | None = getattr(_current, "turns", None)
    return turns is not None and turns.stop.is_set()


class TurnNames:
    """Device names held by the gatherings taking turns, each from its create to the end of its
    observation (`conformance.session.suite.SuiteSession.names`): a name another one holds is waited
    for. An observation holds one drawn name at a time, so two cannot wait on each other."""

    def __init__(self) -> None:
        self._held: dict[str, int] = {}  # name -> the thread holding it

    def hold(self, name: str) -> None:
        me = threading.get_ident()
        while self._held.get(name, me) != me:
            pause(_NAME_POLL_S)
        self._held[name] = me

    def release(self) -> None:
        """This thread's observation is made: its names are free."""
        me = threading.get_ident()
        for name in [name for name, holder in self._held.items() if holder == me]:
            del self._held[name]
