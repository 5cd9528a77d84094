"""Which test ran when, and on which worker: where a ``--workers`` run's time goes. A measurement aid.

Loaded into a suite run with ``-p tests.worker_timeline`` (the benchmark's ``--timeline`` passes it in
``PYTEST_ADDOPTS``), it appends one JSON line per test phase to the file named by `ENV`, in the
controller only (a worker's reports reach the controller with their worker's id and their own clock's
start and stop). `summary` reads the file back: per worker, its tests, busy time and span; the start-up
before the first test and the end after the last; the longest tests; and the tail, the last tests to
end, which is where the workers wait on one another.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

__all__ = ["ENV", "summary"]

ENV = "IAM_BENCH_TIMELINE"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    out = os.environ.get(ENV)
    if not out or os.environ.get("PYTEST_XDIST_WORKER"):  # the controller writes; workers send reports
        return
    node = getattr(report, "node", None)
    worker = str(node.gateway.id) if node is not None else "serial"
    line = {"id": report.nodeid, "worker": worker, "start": report.start, "stop": report.stop}
    with open(out, "a", encoding="utf-8") as timeline:
        timeline.write(json.dumps(line) + "\n")


def summary(path: Path, started: float, ended: float, longest: int = 5, tail: int = 6) -> list[str]:
    """The timeline of one run, as lines; ``started`` and ``ended``: the process's start and end (epoch)."""
    spans: dict[tuple[str, str], list[float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        phase = json.loads(line)
        span = spans.setdefault((phase["id"], phase["worker"]), [phase["start"], phase["stop"]])
        span[0], span[1] = min(span[0], phase["start"]), max(span[1], phase["stop"])
    if not spans:
        return ["  no test ran"]
    first = min(start for start, _ in spans.values())
    last = max(stop for _, stop in spans.values())
    lines = [f"  start-up {first - started:.1f} s, tests {last - first:.1f} s, end {ended - last:.1f} s"]
    by_worker: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for (test, worker), (start, stop) in spans.items():
        by_worker[worker].append((start - first, stop - first, test))
    for worker, tests in sorted(by_worker.items()):
        busy = sum(stop - start for start, stop, _ in tests)
        ends = max(stop for _, stop, _ in tests)
        lines.append(f"  {worker}: {len(tests)} tests, busy {busy:.1f} s, last one ended at {ends:.1f} s")
    every = sorted(
        (
            (stop - start, start, stop, worker, test)
            for worker, tests in by_worker.items()
            for start, stop, test in tests
        ),
        reverse=True,
    )
    lines.append("  longest:")
    lines += [f"    {d:5.1f} s {w} {a:6.1f}-{b:6.1f} {_short(t)}" for d, a, b, w, t in every[:longest]]
    lines.append("  the last to end:")
    ending = sorted(every, key=lambda entry: entry[2])[-tail:]
    lines += [f"    {a:6.1f}-{b:6.1f} {w} {_short(t)}" for _, a, b, w, t in ending]
    return lines


def _short(nodeid: str) -> str:
    return nodeid.rpartition("::")[2][:90]
