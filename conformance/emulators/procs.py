"""Linux's process table, read from /proc: the processes an emulator started, so none is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Process", "descendants", "group_members", "kill_survivors", "process_table"]

_PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    pgrp: int
    started: int  # clock ticks since boot: a pid and its start time name one process, even if pids wrap
    state: str  # "Z": a zombie, ended and waiting to be reaped

    @property
    def running(self) -> bool:
        return self.state != "Z"


def _read(stat: Path) -> Process | None:
    try:
        text = stat.read_text()
    except OSError:
        return None  # gone meanwhile
    # The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    pid = int(text.split(" ", 1)[0])
    return Process(pid, ppid=int(fields[1]), pgrp=int(fields[2]), started=int(fields[19]), state=fields[0])


def process_table() -> dict[int, Process]:
    table: dict[int, Process] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit() and (process := _read(entry / "stat")) is not None:
            table[process.pid] = process
    return table


def group_members(pgrp: int) -> list[Process]:
    """The group's processes that still run (not the zombies)."""
    return [process for process in process_table().values() if process.pgrp == pgrp and process.running]


def descendants(pid: int) -> list[Process]:
    """Every process below ``pid`` now, whatever its group (one that started a session of its own too)."""
    table = process_table()
    found: list[Process] = []
    parents = {pid}
    while True:
        children = [p for p in table.values() if p.ppid in parents and p.running and p not in found]
        if not children:
            return found
        found += children
        parents = {p.pid for p in children}


def kill_survivors(processes: list[Process]) -> list[Process]:
    """SIGKILL those of ``processes`` that still run (the same pid *and* start time); return them."""
    table = process_table()
    survivors = [
        p
        for p in processes
        if (now := table.get(p.pid)) is not None and now.started == p.started and now.running
    ]
    for process in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
    return survivors
