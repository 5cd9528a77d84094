"""``python -m tests.benchmark``: where a conformance run's time goes. A measurement, not a test.

Three figures, printed as a small table (``--json FILE`` writes them too):

- floor: what the run's requests cost at the least. One moto server (in this process, on a free loopback
  port) answers a plain boto3 loop of CreateVirtualMFADevice / ListVirtualMFADevices /
  DeleteVirtualMFADevice, which gives a cost per call; the suite runs against the same server (the
  CLI in a subprocess, a fixed seed) between two such loops, and its ``api_calls`` times their mean
  cost is the floor. The ratio of the
  run's wall time to the floor is the suite's own overhead: generating inputs, decoding QR codes,
  judging, writing the report, starting up. Beside wall time, the CPU time of each side: the suite's
  process (user+sys of the child) and the server's (this process's, which only serves while it waits).
  On a shared machine wall time follows the load; the CPU seconds move far less, and tell which side
  a change made cheaper. ``--against DIR`` alternates each run with one of another checkout's code
  (``git archive`` of the commit before), ``--rounds N`` times, and prints both checkouts' medians and
  the differences pair by pair: the fairest comparison this machine allows. Both checkouts' code is then
  imported the same way, from its folder on ``PYTHONPATH``.
- start-up: the interpreter alone, importing the plugin, and ``iam-conformance run --help``.
- workers: the suite against the reference endpoint with added latency, serially and with ``--workers``
  (one run for each count of ``--workers 2,4``, one after another, each beside the same serial run), and
  whether they gave the serial run's verdicts (those that differ are listed under the table), with the
  load average as each run began. With ``--timeline``, where each run spent its time: which test ran
  when, on which worker (`tests.worker_timeline`).

Timings depend on the machine and on what else runs on it: the figures are indicative, never asserted.
Each suite run gets its own working directory, so no saved Hypothesis examples carry over between runs.
Hypothesis's caches do (``.hypothesis/unicode_data``, its table of Unicode categories, and
``.hypothesis/constants``, the literals it collects from the suite's own modules), and so do the
modules' compiled bytecode (in a folder of the benchmark's, ``PYTHONPYCACHEPREFIX``, also where
``PYTHONDONTWRITEBYTECODE`` is set): a run in the same directory as the last, as ``make report`` is,
finds them, and the floor's plain loop is timed warm too. Built afresh they cost a quick run about
0.8 s of processor time (0.5 s the constants, 0.15 s the Unicode table, 0.2 s compiling some 150 of
the suite's modules where bytecode is not written); ``--cold-caches`` measures that.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from conformance.session.targets import moto_server
from tests import worker_timeline
from tests.reference import Noise, ReferenceEndpoint
from tests.suite_runner import SEED

__all__ = ["main"]

PROFILES = ("quick", "default")
PARTS = ("floor", "startup", "workers")
_RUN_TIMEOUT_S = 3600
_STARTUP_REPEATS = 3


@dataclass(frozen=True)
class CliRun:
    """One ``iam-conformance run`` in a subprocess."""

    returncode: int
    wall_s: float
    cpu_s: float  # user+sys of the suite's process
    api_calls: int | None  # None: no results.json (the run did not get that far)
    verdicts: dict[str, str]  # "check[case]" -> verdict
    stderr_tail: str
    timeline: tuple[str, ...] = ()  # with --timeline: where the run's time went


@dataclass(frozen=True)
class FloorRow:
    profile: str
    api_calls: int | None
    floor_s: float | None
    run_s: float
    ratio: float | None
    returncode: int
    suite_cpu_s: float  # the suite's process, user+sys
    server_cpu_s: float  # the moto server's (this process while the suite ran), user+sys
    loop_cpu_s: float | None  # the plain loop's CPU (client and server) for the same number of calls
    per_call_s: float | None = None  # the plain loop's wall time a call, timed around this run
    code: str = ""  # with --against: which checkout ran ("this", or the other's folder name)


@dataclass(frozen=True)
class WorkersRow:
    profile: str
    latency_ms: float
    workers: int
    api_calls: int | None
    serial_s: float
    workers_s: float | None
    speedup: float | None
    same_verdicts: bool | None
    note: str  # why there is no figure, when there is none
    serial_load: float = 0.0  # the machine's load average (1 minute) as the serial run began
    workers_load: float = 0.0  # ... and as the run with workers began
    differences: tuple[str, ...] = ()  # "check[case]: serial -> workers", where the verdicts differ
    serial_timeline: tuple[str, ...] = ()
    workers_timeline: tuple[str, ...] = ()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "conformance.runner.cli", *args]


# ``--source DIR``: the suite's code comes from another checkout (a before/after pair on the same server).
_SOURCE: list[Path] = []
# ``--against DIR``: the floor's runs alternate with DIR's, on the same server, ``--rounds`` times.
_AGAINST: list[Path] = []
# Hypothesis's caches that every run gets, and keeps adding to, with a folder of compiled modules
# (none: ``--cold-caches``). Never the example database, which would change what a run draws.
_CACHES: list[Path] = []
_CACHE_NAMES = ("unicode_data", "constants")


def _environment(timeline: Path | None = None) -> dict[str, str]:
    # Emulated targets get dummy credentials from the suite; nothing of the user's AWS setup is passed on.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    paths = [str(_SOURCE[0])] if _SOURCE else []
    if timeline is not None:  # the run loads tests.worker_timeline, from this checkout
        paths.append(str(Path(__file__).resolve().parent.parent))
        environment["PYTEST_ADDOPTS"] = f"{environment.get('PYTEST_ADDOPTS', '')} -p tests.worker_timeline"
        environment[worker_timeline.ENV] = str(timeline)
    if paths:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [*paths, environment.get("PYTHONPATH")]))
    if _CACHES:  # compiled modules kept too, out of the checkouts, whatever this environment says
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(_CACHES[0] / "pycache")
    return environment


def run_cli(profile: str, endpoint_url: str, *extra: str, timeline: bool = False) -> CliRun:
    """The suite against ``endpoint_url`` with the fixed seed, timed from start to exit."""
    with tempfile.TemporaryDirectory(prefix="iam-bench-") as scratch:
        timeline_file = Path(scratch) / "timeline.jsonl" if timeline else None
        report_dir = Path(scratch) / "report"
        command = _cli(
            "run",
            "--target",
            "url",
            "--endpoint-url",
            endpoint_url,
            "--profile",
            profile,
            "--seed",
            str(SEED),
            "--report-dir",
            str(report_dir),
            *extra,
        )
        if _CACHES:  # the caches a run in a used directory finds
            _copy_caches(_CACHES[0], Path(scratch) / ".hypothesis")
        children_before = _children_cpu_s()
        started, started_at = time.perf_counter(), time.time()
        completed = subprocess.run(
            command,
            cwd=scratch,
            env=_environment(timeline_file),
            capture_output=True,
            text=True,
            timeout=_RUN_TIMEOUT_S,
            check=False,
        )
        wall_s = time.perf_counter() - started
        cpu_s = _children_cpu_s() - children_before
        if _CACHES:  # and what this run added to them, for the next
            _copy_caches(Path(scratch) / ".hypothesis", _CACHES[0])
        results = report_dir / "results.json"
        document: dict[str, Any] = json.loads(results.read_text()) if results.exists() else {}
        spent: list[str] = []
        if timeline_file is not None and timeline_file.exists():
            spent = worker_timeline.summary(timeline_file, started_at, started_at + wall_s)
    verdicts = {f"{r['check']}[{r['case'] or ''}]": r["verdict"] for r in document.get("results", [])}
    tail = "\n".join(completed.stderr.strip().splitlines()[-3:])
    return CliRun(
        completed.returncode, wall_s, cpu_s, document.get("api_calls"), verdicts, tail, tuple(spent)
    )


def _copy_caches(source: Path, target: Path) -> None:
    """Hypothesis's caches in the folder ``source`` into the folder ``target``."""
    for name in _CACHE_NAMES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)


def warm_caches(url: str, profiles: Sequence[str]) -> None:
    """Fill the caches a run in a used directory finds: one suite run of the first profile, not timed."""
    if _CACHES:
        run_cli(profiles[0], url)


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---- the floor: moto's cost per call, and the suite against the same server


def _reset_moto(url: str) -> None:
    """Forget every device and user, so each measurement starts from an empty account."""
    with urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30):
        pass


def _iam(url: str) -> Any:
    return boto3.session.Session().client(
        "iam",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )


def _create_list_delete(iam: Any, rounds: int, prefix: str) -> None:
    for index in range(rounds):
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{prefix}-{index}")["VirtualMFADevice"][
            "SerialNumber"
        ]
        iam.list_virtual_mfa_devices()
        iam.delete_virtual_mfa_device(SerialNumber=serial)


@dataclass(frozen=True)
class PerCall:
    wall_s: float
    cpu_s: float  # client and server together: both run in this process


def per_call_seconds(url: str, calls: int, warmup_calls: int = 30) -> PerCall:
    """What a call costs in a plain boto3 loop (create, list, delete), after a warm-up."""
    iam = _iam(url)
    try:
        _create_list_delete(iam, max(warmup_calls // 3, 1), "warm")
        rounds = max(calls // 3, 1)
        started, cpu_started = time.perf_counter(), time.process_time()
        _create_list_delete(iam, rounds, "bench")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return PerCall(wall / (rounds * 3), cpu / (rounds * 3))
    finally:
        iam.close()


def floor_rows(
    url: str, profiles: Sequence[str], calls: int, rounds: int = 1
) -> tuple[list[FloorRow], PerCall]:
    """Each profile's run, and its floor from the plain loop timed just before and just after it;
    ``rounds`` times, and with ``--against`` each run followed by the other checkout's.

    A loop of a few hundred calls timed once, before the runs, was seen to cost from 3.2 to 6.7 ms a
    call on this shared machine within half an hour: the run beside it had met another moment. The mean
    of the loops on either side of a run is its floor's cost a call; the figure printed above the table
    is the mean of every loop. Even so, on a shared virtual machine the server's CPU time for the same
    work was seen to drift by a quarter within minutes: a change of a few percent shows only in runs
    alternated with the code before it, at the same moments (``--against``), compared pair by pair."""
    rows, loops = [], []
    # With --against, this checkout's code is imported as the other's is, from its folder on PYTHONPATH,
    # not through the installed editable package's finder: the two sides then differ by their code alone.
    own = list(_SOURCE) or ([Path(__file__).resolve().parent.parent] if _AGAINST else [])
    codes: list[tuple[str, list[Path]]] = [("this", own), *((path.name, [path]) for path in _AGAINST)]
    for profile, (code, source) in (
        (profile, code) for _ in range(rounds) for profile in profiles for code in codes
    ):
        _SOURCE[:] = source
        row, before, after = _floor_row(url, profile, calls)
        rows.append(dataclasses.replace(row, code=code if _AGAINST else ""))
        loops += [before, after]
    _SOURCE[:] = own
    return rows, _mean(loops)


def _floor_row(url: str, profile: str, calls: int) -> tuple[FloorRow, PerCall, PerCall]:
    """One run of ``profile`` between two plain loops: its row, and the two loops."""
    _reset_moto(url)
    before = per_call_seconds(url, calls)
    _reset_moto(url)
    server_before = time.process_time()
    run = run_cli(profile, url)
    server_cpu_s = time.process_time() - server_before
    _reset_moto(url)
    after = per_call_seconds(url, calls)
    per_call = _mean([before, after])
    floor = None if run.api_calls is None else run.api_calls * per_call.wall_s
    loop_cpu = None if run.api_calls is None else run.api_calls * per_call.cpu_s
    ratio = None if not floor else run.wall_s / floor
    row = FloorRow(
        profile,
        run.api_calls,
        floor,
        run.wall_s,
        ratio,
        run.returncode,
        run.cpu_s,
        server_cpu_s,
        loop_cpu,
        per_call.wall_s,
    )
    return row, before, after


def _mean(loops: Sequence[PerCall]) -> PerCall:
    return PerCall(statistics.fmean(p.wall_s for p in loops), statistics.fmean(p.cpu_s for p in loops))


# ---- start-up


def startup_seconds() -> tuple[dict[str, float], dict[str, float]]:
    """The best of a few runs of each command: start-up costs with as little of the machine's noise.
    Wall time, and the CPU time (user+sys) of the command's process, which a loaded machine disturbs
    less."""
    # The plugin as a run imports it: the command (and each of its workers) has Hypothesis load no
    # third-party plugin (`conformance.runner.cli`); imported bare, Hypothesis loaded those of the
    # development tools (trio, which selenium brings), some 0.17 s no run pays.
    plugin = "import os; os.environ['HYPOTHESIS_NO_PLUGINS'] = '1'; import conformance.runner.plugin"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import the plugin": [sys.executable, "-c", plugin],
        # what the installed script runs, by module: the script's entry point may not be in --source
        "iam-conformance run --help": _cli("run", "--help"),
    }
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    for label, command in commands.items():
        times, cpu = [], []
        for _ in range(_STARTUP_REPEATS):
            cpu_before, started = _children_cpu_s(), time.perf_counter()
            subprocess.run(command, env=_environment(), capture_output=True, check=True, timeout=120)
            times.append(time.perf_counter() - started)
            cpu.append(_children_cpu_s() - cpu_before)
        best[label], best_cpu[label] = min(times), min(cpu)
    return best, best_cpu


# ---- workers against a slow endpoint


def workers_rows(
    profile: str, latency_ms: float, counts: Sequence[int], timeline: bool = False
) -> list[WorkersRow]:
    """The same run serially and with each count of ``--workers``, one after another, each on a fresh
    reference endpoint of that latency."""
    noise = Noise(latency_ms=latency_ms)
    serial_load = os.getloadavg()[0]
    with ReferenceEndpoint(noise=noise) as endpoint:
        serial = run_cli(profile, endpoint.url, timeline=timeline)
    rows = []
    for workers in counts:
        _progress(f"{profile}: --workers {workers}")
        workers_load = os.getloadavg()[0]
        with ReferenceEndpoint(noise=noise) as endpoint:
            parallel = run_cli(profile, endpoint.url, "--workers", str(workers), timeline=timeline)
        row = WorkersRow(profile, latency_ms, workers, serial.api_calls, serial.wall_s, None, None, None, "")
        row = dataclasses.replace(
            row,
            serial_timeline=serial.timeline,
            workers_timeline=parallel.timeline,
            serial_load=serial_load,
            workers_load=workers_load,
        )
        rows.append(_compared(row, serial, parallel))
    return rows


def _compared(row: WorkersRow, serial: CliRun, parallel: CliRun) -> WorkersRow:
    if serial.returncode not in (0, 1):
        return dataclasses.replace(
            row, note=f"n/a (serial run: exit {serial.returncode}: {serial.stderr_tail})"
        )
    if parallel.returncode not in (0, 1):
        return dataclasses.replace(row, note=f"n/a (exit {parallel.returncode}: {parallel.stderr_tail})")
    return dataclasses.replace(
        row,
        workers_s=parallel.wall_s,
        speedup=serial.wall_s / parallel.wall_s,
        same_verdicts=parallel.verdicts == serial.verdicts,
        differences=tuple(
            f"{key}: {serial.verdicts.get(key)} -> {parallel.verdicts.get(key)}"
            for key in sorted(serial.verdicts.keys() | parallel.verdicts.keys())
            if serial.verdicts.get(key) != parallel.verdicts.get(key)
        ),
    )


# ---- all of it, and the table


@dataclass(frozen=True)
class Figures:
    machine: dict[str, str]
    seed: int
    loop_calls: int
    per_call: PerCall | None  # None: the floor part was not run
    floor: list[FloorRow]
    startup_s: dict[str, float]
    workers: list[WorkersRow]
    warm_caches: bool = True  # the runs found Hypothesis's caches and bytecode (the module's docstring)
    startup_cpu_s: dict[str, float] = dataclasses.field(default_factory=dict)  # user+sys, as startup_s


def _progress(message: str) -> None:
    print(f"benchmark: {message}", file=sys.stderr, flush=True)


def measure(
    profiles: Sequence[str],
    latency_ms: float,
    workers: Sequence[int],
    calls: int,
    timeline: bool = False,
    parts: Sequence[str] = PARTS,
    rounds: int = 1,
) -> Figures:
    machine = _machine()  # the load average before the benchmark adds its own
    per_call: PerCall | None = None
    floor: list[FloorRow] = []
    if "floor" in parts:
        with moto_server() as url:
            if _CACHES:
                _progress("a first suite run, not timed, fills Hypothesis's caches")
                warm_caches(url, profiles)
            _progress(
                f"suite runs against moto at {url}: {', '.join(profiles)}, each between two plain loops"
                f" of {calls} calls"
            )
            floor, per_call = floor_rows(url, profiles, calls, rounds)
    startup: dict[str, float] = {}
    startup_cpu: dict[str, float] = {}
    if "startup" in parts:
        _progress("start-up")
        startup, startup_cpu = startup_seconds()
    rows = []
    for profile in profiles if "workers" in parts else ():
        counts = ",".join(map(str, workers))
        _progress(f"{profile}: serially and with --workers {counts}, {latency_ms:g} ms a request")
        rows += workers_rows(profile, latency_ms, workers, timeline)
    return Figures(machine, SEED, calls, per_call, floor, startup, rows, startup_cpu_s=startup_cpu)


def _machine() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "moto": version("moto"),
        "load_average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def _number(value: float | None, unit: str = "", digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for line in [header, *rows]:
        # The first column names the row (left-aligned); the others are figures (right-aligned).
        cells = [cell.rjust(width) for cell, width in zip(line, widths, strict=True)]
        cells[0] = line[0].ljust(widths[0])
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def render(figures: Figures) -> str:
    machine = figures.machine
    lines = [
        f"iam-conformance benchmark: seed {figures.seed}, {machine['cpus']} CPUs, Python {machine['python']},"
        f" load average {machine['load_average']} before (figures are indicative on a shared machine)",
        "Hypothesis's caches and compiled modules: "
        + (
            "warm, as in a second run"
            if figures.warm_caches
            else "as this environment leaves them (--cold-caches)"
        ),
    ]
    if figures.per_call is not None:
        lines += [
            "",
            f"floor: moto {machine['moto']} server, plain boto3 loop of create/list/delete:"
            f" {figures.per_call.wall_s * 1000:.2f} ms a call, {figures.per_call.cpu_s * 1000:.2f} ms CPU"
            f" (the mean of the loops of {figures.loop_calls} calls around each run; each run's own is its"
            " row's loop ms)",
        ]
        coded = any(row.code for row in figures.floor)
        floor_rows = [
            [
                row.profile,
                *([row.code] if coded else []),
                str(row.api_calls),
                _number(row.floor_s, " s"),
                _number(row.run_s, " s"),
                _number(row.ratio, "x", 2),
                f"{row.suite_cpu_s:.1f} s",
                f"{row.server_cpu_s:.1f} s",
                _number(row.loop_cpu_s, " s"),
                _number(_cpu_ratio(row), "x", 2),
                _number(None if row.per_call_s is None else row.per_call_s * 1000, "", 2),
                str(row.returncode),
            ]
            for row in figures.floor
        ]
        header = ["profile", *(["code"] if coded else []), "api_calls", "floor", "run", "run/floor"]
        header += ["suite CPU", "server CPU", "loop CPU", "CPU ratio", "loop ms", "exit"]
        lines += _table(header, floor_rows)
        lines += [
            "  (CPU: user+sys. suite: the run's process; server: the moto server during the run; loop: the",
            "   plain loop's client and server for as many calls; CPU ratio: (suite + server) / loop, an",
            "   estimate of run/floor that a loaded machine disturbs less: the two sides mostly take turns)",
        ]
        if coded:
            lines += _compared_codes(figures.floor)
    if figures.startup_s:
        lines += ["", f"start-up (best of {_STARTUP_REPEATS})"]
        cpu = figures.startup_cpu_s
        startup_rows = [[k, f"{v:.2f}", f"{cpu.get(k, math.nan):.2f}"] for k, v in figures.startup_s.items()]
        lines += _table(["command", "seconds", "CPU"], startup_rows)
    if figures.workers:
        first = figures.workers[0]
        lines += ["", f"workers: reference endpoint, {first.latency_ms:g} ms added to every request"]
        header = [
            "profile",
            "api_calls",
            "latency alone",
            "serial",
            "load",
            "workers",
            "with workers",
            "load",
        ]
        lines += _table(
            [*header, "speed-up", "same verdicts"], [_workers_cells(row) for row in figures.workers]
        )
        lines.append("  (load: the machine's load average, 1 minute, as that run began)")
        for row in figures.workers:  # a timing-dependent verdict shows here (a loaded machine)
            lines += [f"  {row.profile}: differs: {difference}" for difference in row.differences]
        shown: set[tuple[str, str]] = set()
        for row in figures.workers:
            for label, spent in (
                ("serial", row.serial_timeline),
                (f"--workers {row.workers}", row.workers_timeline),
            ):
                if spent and (row.profile, label) not in shown:  # the serial run once, for every count
                    shown.add((row.profile, label))
                    lines += [f"timeline: {row.profile}, {label}", *spent]
    return "\n".join(lines)


def _compared_codes(rows: Sequence[FloorRow]) -> list[str]:
    """With --against: per profile and checkout, the medians; then each round's pair, this checkout's
    run less the other's (run wall time and suite CPU), which the machine's drift disturbs least."""
    lines = ["  medians, and this checkout's run less the other's, pair by pair (same moment, same server):"]
    for profile in dict.fromkeys(row.profile for row in rows):
        mine = [row for row in rows if row.profile == profile]
        for code in dict.fromkeys(row.code for row in mine):
            of_code = [row for row in mine if row.code == code]
            ratios = [row.ratio for row in of_code if row.ratio is not None]
            cpu_ratios = [r for r in map(_cpu_ratio, of_code) if r is not None]
            lines.append(
                f"  {profile} {code}: run {statistics.median(row.run_s for row in of_code):.1f} s,"
                f" suite CPU {statistics.median(row.suite_cpu_s for row in of_code):.1f} s,"
                f" run/floor {_number(statistics.median(ratios) if ratios else None, 'x', 2)},"
                f" CPU ratio {_number(statistics.median(cpu_ratios) if cpu_ratios else None, 'x', 2)}"
                f" ({len(of_code)} runs)"
            )
        this = [row for row in mine if row.code == "this"]
        for code in dict.fromkeys(row.code for row in mine if row.code != "this"):
            pairs = list(zip(this, [row for row in mine if row.code == code], strict=False))
            walls = ", ".join(f"{a.run_s - b.run_s:+.1f}" for a, b in pairs)
            cpus = ", ".join(f"{a.suite_cpu_s - b.suite_cpu_s:+.2f}" for a, b in pairs)
            lines.append(f"  {profile} this - {code}: run {walls} s; suite CPU {cpus} s")
    return lines


def _cpu_ratio(row: FloorRow) -> float | None:
    """The run's CPU time (the suite's and the server's) over the plain loop's for as many calls."""
    return None if not row.loop_cpu_s else (row.suite_cpu_s + row.server_cpu_s) / row.loop_cpu_s


def _workers_cells(row: WorkersRow) -> list[str]:
    alone = None if row.api_calls is None else row.api_calls * row.latency_ms / 1000
    cells = [row.profile, str(row.api_calls), _number(alone, " s"), _number(row.serial_s, " s")]
    cells += [f"{row.serial_load:.1f}", str(row.workers)]
    if row.note:
        return [*cells, row.note, "", "", ""]
    same = "n/a" if row.same_verdicts is None else ("yes" if row.same_verdicts else "NO")
    load = f"{row.workers_load:.1f}"
    return [*cells, _number(row.workers_s, " s"), load, _number(row.speedup, "x", 2), same]


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    parse.__name__ = "integer"  # argparse names the type so in "invalid integer value"
    return parse


def _counts(text: str) -> tuple[int, ...]:
    """``--workers 2,4``: each count at least 2."""
    at_least_two = _at_least(2)
    try:
        return tuple(at_least_two(part.strip()) for part in text.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"worker counts of 2 or more, comma-separated, not {text!r}"
        ) from error


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"choose among {', '.join(PARTS)}, not {text!r}")
    return parts


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark", description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--profile", choices=[*PROFILES, "both"], default="quick", help="the suite's profile (quick)")
    add("--latency-ms", type=_at_least(0), default=30, metavar="MS", help="for the workers row (30)")
    add("--workers", type=_counts, default=(4,), metavar="N[,N...]", help="for the workers rows (4)")
    add("--calls", type=_at_least(3), default=300, metavar="N", help="calls in the plain loop (300)")
    add(
        "--parts",
        type=_parts,
        default=PARTS,
        metavar="LIST",
        help=f"what to measure, comma-separated ({','.join(PARTS)})",
    )
    add(
        "--source",
        type=Path,
        metavar="DIR",
        help="run the suite's code from DIR, another checkout (e.g. `git archive` of a commit to compare)",
    )
    add(
        "--cold-caches",
        action="store_true",
        help="every run builds Hypothesis's caches (Unicode table, source constants) afresh, and compiles"
        " its modules where this environment writes no bytecode",
    )
    add(
        "--against",
        type=Path,
        metavar="DIR",
        help="alternate each floor run with one of DIR's code (another checkout), on the same server;"
        " prints both, their medians and the differences pair by pair",
    )
    add("--rounds", type=_at_least(1), default=1, metavar="N", help="floor runs of each profile (1)")
    add("--json", type=Path, metavar="FILE", help="also write the figures to FILE")
    add("--timeline", action="store_true", help="where the workers rows' runs spent their time")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    profiles = PROFILES if args.profile == "both" else (args.profile,)
    if args.source is not None:
        _SOURCE[:] = [args.source.resolve()]
    if args.against is not None:
        if not (args.against / "conformance").is_dir():
            print(
                f"python -m tests.benchmark: --against {args.against}: not a checkout of the suite",
                file=sys.stderr,
            )
            return 2
        _AGAINST[:] = [args.against.resolve()]
    with tempfile.TemporaryDirectory(prefix="iam-bench-caches-") as caches:
        _CACHES[:] = [] if args.cold_caches else [Path(caches)]
        figures = measure(
            profiles, args.latency_ms, args.workers, args.calls, args.timeline, args.parts, args.rounds
        )
        figures = dataclasses.replace(figures, warm_caches=bool(_CACHES))
    print(render(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(dataclasses.asdict(figures), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
