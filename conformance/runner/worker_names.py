"""Device names held by one ``--workers`` process at a time.

Many scenarios create devices under the names Hypothesis drew, as drawn: the name is the input under
test (its length, its characters), so no token is added. With the run's seed every process draws the
same examples, and the boundary examples are the same in every test: two workers may create, or probe
as deleted, the same name at the same moment, which a serial run never does (an EntityAlreadyExists, a
device that exists where a deleted one was probed). So a worker holds each such name, from its create
to the end of the observation (`conformance.session.suite.SuiteSession.names`), with an exclusive
``flock`` on a file named after it in the folder the workers share: another worker that draws the
same name waits. A process that dies releases its locks with its files.

Names made unique with the run's tokens never wait. An observation holds one drawn name at a time (a
second device of the same example gets a token), so two workers cannot wait on each other; if one
waits longer than ``patience_s`` all the same, it goes on (and says so in a note).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NameLocks"]

_POLL_S = 0.005


@dataclass
class NameLocks:
    folder: Path
    patience_s: float = 120.0
    gave_up: list[str] = field(default_factory=list)  # names used without the lock (waited too long)
    _held: dict[str, int] = field(default_factory=dict)  # name -> the locked file's descriptor

    def hold(self, name: str) -> None:
        if name in self._held:  # this process holds it already (the same name created twice)
            return
        self.folder.mkdir(exist_ok=True)
        path = self.folder / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.patience_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(_POLL_S)
                    continue
                os.close(fd)
                self.gave_up.append(name)
                return
            self._held[name] = fd
            return

    def release(self) -> None:
        for fd in self._held.values():
            os.close(fd)  # closing the file releases its lock
        self._held.clear()
