"""Reading an emulator's log files: the tail an error line ends with, and the guard's refusals."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

__all__ = ["guard_refusals", "summarise_refusals", "tail"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colours: moto's and LocalStack's logs have them


def tail(log: Path, lines: int = 8) -> str:
    """``last lines of LOG: a | b | c``: a log's end folded into the one line an error is."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return f"no log at {log}"
    last = [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()][-lines:]
    if not last:
        return f"{log} is empty"
    return f"last lines of {log}: " + " | ".join(last)


def guard_refusals(guard_log: Path) -> list[str]:
    """The refused attempts, as ``<call> <host>:<port>``, in order (the guard's time and pid dropped)."""
    try:
        text = guard_log.read_text(errors="replace")
    except FileNotFoundError:
        return []
    return [" ".join(line.split()[2:]) for line in text.splitlines() if line.strip()]


def summarise_refusals(refusals: list[str], shown: int = 5) -> str:
    if not refusals:
        return "the guard refused no attempt"
    counts = Counter(refusals)
    listed = ", ".join(f"{attempt} (x{n})" if n > 1 else attempt for attempt, n in counts.most_common(shown))
    more = f", and {len(counts) - shown} more" if len(counts) > shown else ""
    return f"the guard refused {len(refusals)} attempt{'s' if len(refusals) != 1 else ''}: {listed}{more}"
